import { configuredChannels, createDeliveryWorker } from '../worker/deliveries.ts';
import { cliContext, out } from './common.ts';

/**
 * `warden worker`: a delivery worker process (any number against one PostgreSQL). Prints
 * throughput every `--report` seconds; stops on SIGINT/SIGTERM after recording the batch in hand.
 */
export async function workerCommand(opts: { report?: string }): Promise<void> {
  const ctx = await cliContext();
  const worker = createDeliveryWorker(ctx);
  const channels = configuredChannels(ctx);
  out(
    `Delivery worker ${worker.owner} (store: ${ctx.store.backend}, channels: ${channels.join(', ') || 'none'})`,
  );
  const every = Math.max(1, Number(opts.report ?? 10));
  let last = { ...worker.stats };
  let lastAt = performance.now();
  const report = setInterval(() => {
    const s = worker.stats;
    const secs = (performance.now() - lastAt) / 1000;
    const done =
      s.sent + s.delivered + s.failed + s.dropped - (last.sent + last.delivered + last.failed + last.dropped);
    out(
      `${(done / secs).toFixed(1)} deliveries/s | sent ${s.sent} delivered ${s.delivered} retried ${s.retried} failed ${s.failed} dropped ${s.dropped} taken over ${s.takenOver}`,
    );
    last = { ...s };
    lastAt = performance.now();
  }, every * 1000);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    clearInterval(report);
    await worker.stop();
    await ctx.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  worker.start();
}
