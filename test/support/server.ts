import { buildApp } from '../../src/server/app.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { createUser } from '../../src/services/auth/users.ts';
import { createDeliveryWorker } from '../../src/worker/deliveries.ts';
import { type Backend, createTestContext } from './context.ts';

/**
 * A real listening server on a fresh database, with an admin whose password the test knows.
 * `env` adds configuration (e.g. WARDEN_SMTP_URL); `port` fixes the port, so WARDEN_PUBLIC_URL
 * can name it and the links in the server's emails open this server.
 */
export async function startTestServer(
  opts: { backend?: Backend; env?: Record<string, string>; port?: number } = {},
) {
  const ctx = await createTestContext(opts.backend ?? 'sqlite', { env: opts.env ?? {} });
  // The browser test needs real time: sessions expire by the clock.
  ctx.clock.set(new Date());
  const admin = { email: 'admin@example.org', password: 'browser-test-password-1' };
  await createUser(ctx, cliActor, { ...admin, role: 'admin' });
  const app = await buildApp(ctx);
  const url = await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  // As `warden serve` does: a delivery worker in the process sends what requests queue.
  const worker = createDeliveryWorker(ctx, { pollMs: 100 });
  worker.start();
  return {
    url,
    admin,
    ctx,
    async close() {
      await app.close();
      await worker.stop();
      await ctx.dispose();
    },
  };
}
