import type { Context } from '../context.ts';
import { buildApp } from '../server/app.ts';
import { systemActor } from '../services/audit/audit.ts';
import { ensureFirstAdmin } from '../services/auth/users.ts';
import { createDeliveryWorker } from '../worker/deliveries.ts';
import { createScheduler } from '../worker/scheduler.ts';
import { cliContext, out } from './common.ts';

/** Listens until SIGINT/SIGTERM, then stops taking requests, finishes those in flight and closes the store. */
export async function runServer(ctx: Context): Promise<void> {
  const app = await buildApp(ctx);
  // Daily purge, presence reminders and digests, and the fan-out of large notices.
  const scheduler = ctx.config.scheduler.enabled ? createScheduler(ctx) : null;
  // Sends every queued message; `warden worker` processes may run beside it (WARDEN_WORKER_IN_PROCESS=off).
  const worker = ctx.config.deliveries.inProcess ? createDeliveryWorker(ctx) : null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ctx.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await app.close();
    await scheduler?.stop();
    await worker?.stop();
    await ctx.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ host: ctx.config.host, port: ctx.config.port });
  scheduler?.start();
  worker?.start();
  out(`Warden is listening on ${address} (public URL ${ctx.config.publicUrl}, store: ${ctx.store.backend})`);
}

export async function serveCommand(): Promise<void> {
  const ctx = await cliContext();
  const first = await ensureFirstAdmin(ctx, systemActor);
  if (first) {
    // Printed to the terminal once, never to the log.
    out('');
    out('First start: an admin account was created. Write the password down; it is not shown again.');
    out(`  email:    ${first.user.email}`);
    out(`  password: ${first.password}`);
    out('');
  }
  await runServer(ctx);
}
