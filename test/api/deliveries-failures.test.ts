import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, startWebhookReceiver, type WebhookReceiver } from '../../src/channels/fakes/index.ts';
import { createWebhookChannel, generateWebhookSecret } from '../../src/channels/index.ts';
import type { Context } from '../../src/context.ts';
import { enqueueDeliveries } from '../../src/services/deliveries/enqueue.ts';
import type { Renderer } from '../../src/services/deliveries/render.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { backends, createTestContext, type TestContext } from '../support/context.ts';

/**
 * Issue 12, reliability: a receiver failing 30% of requests (5xx, 429 with Retry-After, dropped
 * connections, no answer): every delivery ends delivered or failed with a reason, none stays
 * queued or sending, and every key that reached the receiver twice is the same delivery's.
 */
describe.each(backends())('deliveries against a failing receiver on %s', (backend) => {
  let ctx: TestContext & { dispose(): Promise<void> };
  let hooks: WebhookReceiver;
  let c: Context;
  const secret = generateWebhookSecret();
  beforeAll(async () => {
    ctx = await createTestContext(backend);
    hooks = await startWebhookReceiver({
      secret,
      retryAfterSeconds: 2,
      failures: {
        transient: 0.12,
        rateLimited: 0.08,
        permanent: 0.02,
        disconnect: 0.05,
        timeout: 0.03,
        random: seededRandom(7),
      },
    });
    const webhook = createWebhookChannel({ allowPrivate: true, allowHttp: true, secret, timeoutMs: 300 });
    c = { ...ctx, webhook };
  });
  afterAll(async () => {
    await c.webhook?.close();
    await hooks.close();
    await ctx.dispose();
  });

  it('ends every delivery delivered or failed with a reason', async () => {
    const renderers: Record<string, Renderer> = {
      hook: async (_ctx, row) => ({ to: `${hooks.url}/h/${row.id}`, text: 'Test', json: { id: row.id } }),
    };
    const ids = await enqueueDeliveries(
      c,
      ctx.store.db,
      Array.from({ length: 120 }, (_, i) => ({
        template: 'hook',
        channel: 'webhook' as const,
        to: { personId: `p${i}` },
        message: 'test:failures',
      })),
    );
    const retry = { maxAttempts: 6, baseMs: 1000, maxMs: 60_000 };
    for (let round = 0; round < 12; round++) {
      await drainDeliveries(c, { renderers, retry, batchSize: 40 });
      ctx.clock.advance(120_000);
    }
    const rows = await ctx.store.db.selectFrom('deliveries').selectAll().where('id', 'in', ids).execute();
    const by = (s: string) => rows.filter((r) => r.status === s);
    expect(by('queued').length + by('sending').length).toBe(0);
    expect(by('delivered').length + by('failed').length).toBe(120);
    expect(by('delivered').length).toBeGreaterThan(100);
    for (const r of by('failed')) expect(r.last_error).toBeTruthy();
    // Retried ones carry their history.
    const retried = rows.filter((r) => r.attempts > 1);
    expect(retried.length).toBeGreaterThan(10);
    // Every request the receiver saw for a delivery carried that delivery's key.
    expect(hooks.requests.length).toBeGreaterThan(130);
    for (const req of hooks.requests) {
      const id = /\/h\/(msg_[0-9a-f]+)/.exec(req.path)?.[1];
      expect(req.webhookId).toBe(id);
      expect(req.verified).toBe(true);
    }
  }, 60_000);
});
