import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, OutboundMessage, Outcome } from '../../src/channels/types.ts';
import type { Context } from '../../src/context.ts';
import { PRIORITY } from '../../src/domain/deliveries/model.ts';
import { enqueueDeliveries } from '../../src/services/deliveries/enqueue.ts';
import type { Renderer } from '../../src/services/deliveries/render.ts';
import { purgeExpired } from '../../src/services/privacy/retention.ts';
import { claimDeliveries, recordResults } from '../../src/store/deliveries/deliveries.ts';
import { createDeliveryWorker, drainDeliveries } from '../../src/worker/deliveries.ts';
import { backends, createTestContext, type TestContext } from '../support/context.ts';

/** A channel that records every send and answers from a script (default: sent). */
function scriptedChannel(kind: 'email' | 'sms' | 'webhook' = 'email') {
  const sends: OutboundMessage[] = [];
  let script: (m: OutboundMessage, n: number) => Outcome | Promise<Outcome> = (m) => ({
    kind: 'sent',
    providerId: `p-${m.id}`,
  });
  const channel: Channel = {
    kind,
    send: async (m) => {
      sends.push(m);
      return script(m, sends.filter((s) => s.id === m.id).length);
    },
    close: async () => {},
  };
  return {
    channel,
    sends,
    answer(fn: typeof script) {
      script = fn;
    },
  };
}

// Renders from params only: the engine's behaviour, not a feature's rendering, is under test.
const renderers: Record<string, Renderer> = {
  test: async (_ctx, row) => {
    const p = JSON.parse(row.params) as { to?: string; drop?: string; boom?: boolean };
    if (p.boom) throw new Error('renderer bug');
    if (p.drop) return { drop: p.drop };
    return { to: p.to ?? 'someone@example.org', subject: 'Test', text: `Message ${row.id}` };
  },
};

describe.each(backends())('delivery engine on %s', (backend) => {
  let ctx: TestContext & { dispose(): Promise<void> };
  let mail: ReturnType<typeof scriptedChannel>;
  let c: Context;
  beforeAll(async () => {
    ctx = await createTestContext(backend);
  });
  afterAll(() => ctx.dispose());
  beforeEach(async () => {
    await ctx.store.db.deleteFrom('delivery_attempts').execute();
    await ctx.store.db.deleteFrom('deliveries').execute();
    mail = scriptedChannel();
    c = { ...ctx, email: mail.channel };
  });

  const queue = (
    n: number,
    extra: { priority?: number; params?: Record<string, unknown>; message?: string } = {},
  ) =>
    ctx.store.db.transaction().execute((trx) =>
      enqueueDeliveries(
        c,
        trx,
        Array.from({ length: n }, (_, i) => ({
          template: 'test',
          channel: 'email' as const,
          to: { subscriptionId: `s${i}` },
          message: extra.message ?? 'test:1',
          params: extra.params ?? {},
          ...(extra.priority !== undefined && { priority: extra.priority }),
        })),
      ),
    );
  const row = (id: string) =>
    ctx.store.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const history = (id: string) =>
    ctx.store.db
      .selectFrom('delivery_attempts')
      .selectAll()
      .where('delivery_id', '=', id)
      .orderBy('id')
      .execute();

  it('sends a queued delivery once, with its id as the idempotency key, and records the attempt', async () => {
    const [id] = await queue(1);
    expect((await row(id!)).status).toBe('queued');
    await drainDeliveries(c, { renderers });
    expect(mail.sends.map((m) => m.id)).toEqual([id]);
    const r = await row(id!);
    expect(r).toMatchObject({ status: 'sent', attempts: 1, provider_id: `p-${id}`, possible_duplicate: 0 });
    expect(r.lease_owner).toBeNull();
    expect(r.finished_at).not.toBeNull();
    expect(await history(id!)).toMatchObject([{ attempt: 1, outcome: 'sent' }]);
    // Nothing is sent twice.
    await drainDeliveries(c, { renderers });
    expect(mail.sends).toHaveLength(1);
  });

  it('skips a delivery whose dedupe key exists', async () => {
    const d = {
      template: 'test',
      channel: 'email' as const,
      to: { subscriptionId: 's' },
      dedupeKey: 'once',
    };
    expect(await enqueueDeliveries(c, ctx.store.db, [d])).toHaveLength(1);
    expect(await enqueueDeliveries(c, ctx.store.db, [d])).toHaveLength(0);
  });

  it('retries a transient failure with backoff, honours Retry-After, and gives up with a reason', async () => {
    const [id] = await queue(1);
    mail.answer(() => ({ kind: 'transient', reason: 'HTTP 429', retryAfterMs: 120_000 }));
    await drainDeliveries(c, { renderers });
    let r = await row(id!);
    expect(r.status).toBe('queued');
    expect(r.last_error).toBe('HTTP 429');
    const wait = Date.parse(r.next_attempt_at!) - ctx.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(120_000);
    // Not due yet: nothing is claimed.
    await drainDeliveries(c, { renderers });
    expect(mail.sends).toHaveLength(1);
    mail.answer(() => ({ kind: 'transient', reason: 'connection reset' }));
    const retry = { maxAttempts: 3, baseMs: 1000, maxMs: 10_000 };
    for (let i = 0; i < 3; i++) {
      ctx.clock.advance(15 * 60_000);
      await drainDeliveries(c, { renderers, retry });
    }
    r = await row(id!);
    expect(r.status).toBe('failed');
    expect(r.last_error).toBe('gave up after 3 attempts: connection reset');
    expect(mail.sends).toHaveLength(3);
    expect((await history(id!)).map((a) => a.outcome)).toEqual(['transient', 'transient', 'transient']);
  });

  it('stops at once on a permanent failure, keeping the provider answer', async () => {
    const [id] = await queue(1);
    mail.answer(() => ({
      kind: 'permanent',
      reason: 'mailbox unavailable',
      answer: { status: 550, body: '550 5.1.1 no such user' },
    }));
    await drainDeliveries(c, { renderers });
    expect(await row(id!)).toMatchObject({
      status: 'failed',
      last_error: 'mailbox unavailable',
      attempts: 1,
    });
    expect(await history(id!)).toMatchObject([
      { outcome: 'permanent', status: 550, answer: '550 5.1.1 no such user' },
    ]);
  });

  it('drops a delivery its renderer refuses, and retries one whose renderer throws', async () => {
    const [dropped] = await queue(1, { params: { drop: 'person erased' } });
    const [broken] = await queue(1, { params: { boom: true } });
    await drainDeliveries(c, { renderers });
    expect(await row(dropped!)).toMatchObject({ status: 'dropped', last_error: 'person erased' });
    expect(await row(broken!)).toMatchObject({ status: 'queued', last_error: 'render failed' });
    expect(mail.sends).toHaveLength(0);
  });

  it('sends an emergency before routine messages queued earlier', async () => {
    const routine = await queue(5, { priority: PRIORITY.digest });
    ctx.clock.advance(1000);
    const [urgent] = await queue(1, { priority: PRIORITY.emergency });
    const worker = createDeliveryWorker(c, { renderers, batchSize: 2, listen: false });
    await worker.runOnce();
    expect(mail.sends[0]!.id).toBe(urgent);
    while ((await worker.runOnce()) > 0) {}
    expect(
      mail.sends
        .map((m) => m.id)
        .slice(1)
        .sort(),
    ).toEqual([...routine].sort());
  });

  it('takes over the work of a worker that died after its lease, marked possible_duplicate', async () => {
    const ids = await queue(3);
    const now = ctx.clock.now();
    // A worker claims and dies before recording anything.
    const dead = await claimDeliveries(ctx.store.db, backend, {
      owner: 'dead',
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + 30_000).toISOString(),
      limit: 10,
      channels: ['email'],
    });
    expect(dead.rows).toHaveLength(3);
    // Within the lease nobody else touches them.
    await drainDeliveries(c, { renderers });
    expect(mail.sends).toHaveLength(0);
    ctx.clock.advance(31_000);
    const stats = await drainDeliveries(c, { renderers });
    expect(stats.takenOver).toBe(3);
    expect(mail.sends.map((m) => m.id).sort()).toEqual([...ids].sort());
    for (const id of ids)
      expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, possible_duplicate: 1 });
    // The dead worker's late answer changes nothing.
    const late = await recordResults(
      ctx.store.db,
      'dead',
      ids.map((id) => ({
        id,
        patch: { status: 'failed', last_error: 'late' },
        attempt: {
          id: `late-${id}`,
          delivery_id: id,
          attempt: 1,
          at: now.toISOString(),
          outcome: 'permanent',
          status: null,
          answer: null,
          reason: 'late',
          worker: 'dead',
          duration_ms: 0,
        },
      })),
    );
    expect(late).toBe(0);
    expect((await row(ids[0]!)).status).toBe('sent');
  });

  it('records nothing for a delivery erased while it was being sent', async () => {
    const [id] = await queue(1);
    mail.answer(async (m) => {
      await ctx.store.db.deleteFrom('deliveries').where('id', '=', m.id).execute();
      return { kind: 'sent', providerId: 'x' };
    });
    await drainDeliveries(c, { renderers });
    expect(await ctx.store.db.selectFrom('deliveries').select('id').where('id', '=', id!).execute()).toEqual(
      [],
    );
    expect(await history(id!)).toEqual([]);
  });

  it('never gives one delivery to two workers running at once', async () => {
    const ids = await queue(60);
    const workers = [1, 2, 3].map((i) =>
      createDeliveryWorker(c, { renderers, batchSize: 7, owner: `w${i}`, listen: false }),
    );
    await Promise.all(
      workers.map(async (w) => {
        while ((await w.runOnce()) > 0) {}
      }),
    );
    expect(mail.sends.map((m) => m.id).sort()).toEqual([...ids].sort());
    const owners = await ctx.store.db
      .selectFrom('delivery_attempts')
      .select('worker')
      .where('delivery_id', 'in', ids)
      .execute();
    expect(owners).toHaveLength(60);
  });

  it('keeps security deliveries (with their history) past routine retention, then purges them too', async () => {
    const [routine] = await queue(1);
    const [security] = await enqueueDeliveries(c, ctx.store.db, [
      { template: 'test', channel: 'email', to: { subscriptionId: 's' }, retention: 'security' },
    ]);
    await drainDeliveries(c, { renderers });
    const at = ctx.clock.now();
    try {
      ctx.clock.advance(31 * 86_400_000);
      await purgeExpired(c);
      const left = async () =>
        (await ctx.store.db.selectFrom('deliveries').select('id').execute()).map((r) => r.id);
      expect(await left()).toEqual([security]);
      expect(await history(security!)).toHaveLength(1);
      expect(routine).toBeDefined();
      ctx.clock.advance(370 * 86_400_000);
      await purgeExpired(c);
      expect(await left()).toEqual([]);
      expect(await history(security!)).toEqual([]);
    } finally {
      ctx.clock.set(at);
    }
  });

  it('wakes the running worker when a transaction that queued a message commits (well under 1 s)', async () => {
    const worker = createDeliveryWorker(c, { renderers, pollMs: 60_000 });
    worker.start();
    try {
      // Let the first (empty) round finish and the worker go to sleep.
      await new Promise((r) => setTimeout(r, 200));
      const t0 = performance.now();
      const [id] = await queue(1);
      for (;;) {
        if (mail.sends.some((m) => m.id === id)) break;
        if (performance.now() - t0 > 2000) throw new Error('not sent within 2 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(performance.now() - t0).toBeLessThan(1000);
    } finally {
      await worker.stop();
    }
  });
});
