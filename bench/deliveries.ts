import { performance } from 'node:perf_hooks';
import { startFakeSmsProvider, startWebhookReceiver } from '../src/channels/fakes/index.ts';
import { generateWebhookSecret } from '../src/channels/index.ts';
import type { Channel } from '../src/channels/types.ts';
import type { Context } from '../src/context.ts';
import { type NewDelivery, PRIORITY } from '../src/domain/deliveries/model.ts';
import { enqueueDeliveries } from '../src/services/deliveries/enqueue.ts';
import type { Renderer } from '../src/services/deliveries/render.ts';
import { createDeliveryWorker } from '../src/worker/deliveries.ts';
import { type BenchBackend, benchContext } from './stores.ts';

/*
 * The delivery engine (issue 12):
 *  - materialize: N deliveries written by enqueueDeliveries() (a notice to N travellers);
 *  - end to end: R recipients x 2 channels (SMS to the fake Twilio provider, signed webhooks to
 *    the local receiver) claimed, sent and recorded by W in-process workers;
 *  - latency: commit of a message -> its send starting, p50/p95 over 20 messages.
 * The end-to-end run renders from the row's parameters (a bench renderer): it measures the
 * engine and the channels, not a feature's decryption and text (those are per-template costs).
 * WARDEN_BENCH_DELIVERIES=1000000,100000 sets N and R.
 */

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const [N, R] = (process.env.WARDEN_BENCH_DELIVERIES ?? '1000000,100000').split(',').map(Number) as [
  number,
  number,
];

const rows = (n: number, offset: number, message: string): NewDelivery[] =>
  Array.from({ length: n }, (_, i) => ({
    template: 'bench',
    channel: 'webhook' as const,
    to: { personId: `p${offset + i}` },
    message,
    priority: PRIORITY.notice,
    params: { i: offset + i },
    dedupeKey: `${message}:${offset + i}`,
  }));

async function materialize(ctx: Context, backend: BenchBackend, n: number) {
  const page = 10_000;
  const c0 = cpu();
  const t0 = performance.now();
  for (let off = 0; off < n; off += page)
    await ctx.store.db
      .transaction()
      .execute((trx) => enqueueDeliveries(ctx, trx, rows(Math.min(page, n - off), off, 'notice:bench')));
  const ms = performance.now() - t0;
  console.log(
    `deliveries/${backend} materialize: ${n} in ${(ms / 1000).toFixed(1)} s (${((n / ms) * 1000).toFixed(0)}/s, ` +
      `${(((cpu() - c0) * 1000) / n).toFixed(1)} µs CPU each)`,
  );
}

async function endToEnd(backend: BenchBackend, recipients: number, workers: number) {
  const secret = generateWebhookSecret();
  const [sms, hooks] = await Promise.all([
    startFakeSmsProvider({ callbacks: false, keep: 1000 }),
    startWebhookReceiver({ secret, keep: 1000 }),
  ]);
  const ctx = await benchContext(backend, {
    WARDEN_SMS_PROVIDER_URL: sms.url,
    WARDEN_SMS_ACCOUNT_SID: sms.accountSid,
    WARDEN_SMS_AUTH_TOKEN: sms.authToken,
    WARDEN_SMS_FROM: '+15005550006',
    WARDEN_WEBHOOK_ALLOW_PRIVATE: 'on',
    WARDEN_WEBHOOK_ALLOW_HTTP: 'on',
    WARDEN_WORKER_BATCH: '500',
    WARDEN_SMS_CONCURRENCY: '32',
    WARDEN_WEBHOOK_CONCURRENCY: '32',
  });
  const renderers: Record<string, Renderer> = {
    bench: async (_ctx, row) => {
      const i = (JSON.parse(row.params) as { i: number }).i;
      return row.channel === 'sms'
        ? {
            to: `+96478${String(10_000_000 + i)}`,
            text: `Iraq: Level 4, Do not travel. Trips and stop: https://w.example/m`,
          }
        : { to: `${hooks.url}/hook/${i % 100}`, text: 'Iraq: Level 4, Do not travel.', secret };
    },
  };
  try {
    const message = `notice:e2e-${workers}`;
    for (let off = 0; off < recipients; off += 10_000)
      await ctx.store.db.transaction().execute((trx) =>
        enqueueDeliveries(
          ctx,
          trx,
          rows(Math.min(10_000, recipients - off), off, message).flatMap((d) => [
            d,
            { ...d, channel: 'sms' as const, dedupeKey: `${d.dedupeKey}:sms` },
          ]),
        ),
      );
    const total = recipients * 2;
    const c0 = cpu();
    const t0 = performance.now();
    const pool = Array.from({ length: workers }, (_, i) =>
      createDeliveryWorker(ctx, { renderers, owner: `bench-${i}`, listen: false }),
    );
    await Promise.all(
      pool.map(async (w) => {
        while ((await w.runOnce()) > 0) {}
      }),
    );
    const ms = performance.now() - t0;
    const done = pool.reduce((a, w) => a + w.stats.sent + w.stats.delivered, 0);
    const failed = pool.reduce((a, w) => a + w.stats.failed + w.stats.retried, 0);
    console.log(
      `deliveries/${backend} end to end, ${recipients} recipients x 2 channels, ${workers} worker(s): ` +
        `${done} sent in ${(ms / 1000).toFixed(1)} s = ${((done / ms) * 1000).toFixed(0)} deliveries/s ` +
        `(${(((cpu() - c0) * 1000) / total).toFixed(0)} µs CPU each, sinks included; ${failed} not sent)`,
    );
  } finally {
    await ctx.dispose();
    await Promise.all([sms.close(), hooks.close()]);
  }
}

async function latency(backend: BenchBackend) {
  const ctx = await benchContext(backend);
  const started = new Map<string, number>();
  const webhook: Channel = {
    kind: 'webhook',
    send: async (m) => {
      if (!started.has(m.id)) started.set(m.id, performance.now());
      return { kind: 'delivered' };
    },
    close: async () => {},
  };
  const c: Context = { ...ctx, webhook };
  const renderers: Record<string, Renderer> = {
    bench: async () => ({ to: 'https://example.org/h', text: 'x' }),
  };
  // The default poll interval: on PostgreSQL the wake comes from LISTEN/NOTIFY at commit.
  const worker = createDeliveryWorker(c, { renderers });
  worker.start();
  const waits: number[] = [];
  try {
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 20; i++) {
      let committed = 0;
      const [id] = await ctx.store.db.transaction().execute(async (trx) => {
        const ids = await enqueueDeliveries(c, trx, rows(1, i, 'notice:latency'));
        committed = performance.now();
        return ids;
      });
      while (!started.has(id!)) await new Promise((r) => setTimeout(r, 1));
      waits.push(started.get(id!)! - committed);
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  } finally {
    await worker.stop();
    await ctx.dispose();
  }
  waits.sort((a, b) => a - b);
  const q = (p: number) => waits[Math.min(waits.length - 1, Math.floor(waits.length * p))]!.toFixed(1);
  console.log(
    `deliveries/${backend} commit -> first send: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms (20 messages)`,
  );
}

export async function deliveriesBench(backend: BenchBackend): Promise<void> {
  const ctx = await benchContext(backend);
  try {
    await materialize(ctx, backend, N);
  } finally {
    await ctx.dispose();
  }
  for (const w of backend === 'postgres' ? [1, 2, 4] : [1]) await endToEnd(backend, R, w);
  await latency(backend);
}
