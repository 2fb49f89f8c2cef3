import { buildApp } from '../../src/server/app.ts';
import { cliActor } from '../../src/services/audit.ts';
import { createUser } from '../../src/services/users.ts';
import { type Backend, createTestContext } from './context.ts';

/** A real listening server on a fresh database, with an admin whose password the test knows. */
export async function startTestServer(opts: { backend?: Backend } = {}) {
  const ctx = await createTestContext(opts.backend ?? 'sqlite');
  // The browser test needs real time: sessions expire by the clock.
  ctx.clock.set(new Date());
  const admin = { email: 'admin@example.org', password: 'browser-test-password-1' };
  await createUser(ctx, cliActor, { ...admin, role: 'admin' });
  const app = await buildApp(ctx);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    admin,
    ctx,
    async close() {
      await app.close();
      await ctx.dispose();
    },
  };
}
