import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/channels/types.ts';
import { enqueueDeliveries } from '../../src/services/deliveries/enqueue.ts';
import type { Renderer } from '../../src/services/deliveries/render.ts';
import { insertNotice } from '../../src/store/subscriptions/notices.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

const renderers: Record<string, Renderer> = {
  test: async (_ctx, row) => ({ to: 'x@example.org', subject: 'S', text: row.id }),
};

describe.each(backends())('deliveries API on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let officer: Caller;
  let outsider: Caller;
  const notice = 'n-iq-1';
  let ids: string[];
  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    officer = await h.signIn('officer', ['country:IQ']);
    outsider = await h.signIn('officer', ['country:FR']);
    const at = h.ctx.clock.now().toISOString();
    await insertNotice(h.ctx.store.db, {
      id: notice,
      kind: 'advisory',
      subject_id: 'e1',
      country: 'IQ',
      details: '{}',
      created_at: at,
      expanding_at: null,
      expanded_at: at,
      recipients: 5,
    });
    ids = await enqueueDeliveries(
      h.ctx,
      h.ctx.store.db,
      Array.from({ length: 5 }, (_, i) => ({
        template: 'test',
        channel: i < 3 ? ('email' as const) : ('sms' as const),
        to: { subscriptionId: `s${i}` },
        message: `notice:${notice}`,
      })),
    );
    let n = 0;
    const email: Channel = {
      kind: 'email',
      // One permanent failure, the rest accepted.
      send: async (m) =>
        n++ === 0 ? { kind: 'permanent', reason: 'mailbox unavailable' } : { kind: 'sent', providerId: m.id },
      close: async () => {},
    };
    await drainDeliveries({ ...h.ctx, email }, { renderers });
  });
  afterAll(() => h.dispose());

  const get = (url: string, c: Caller) => h.app.inject({ method: 'GET', url, headers: c.headers });

  it("lists a message's deliveries by state and channel, a page at a time", async () => {
    const all = await get(`/api/deliveries?message=notice:${notice}`, officer);
    expect(all.statusCode).toBe(200);
    expect(all.json().deliveries).toHaveLength(5);
    const failed = await get(`/api/deliveries?message=notice:${notice}&state=failed`, officer);
    expect(failed.json().deliveries).toMatchObject([
      { state: 'failed', lastError: 'mailbox unavailable', channel: 'email' },
    ]);
    const page = await get(`/api/deliveries?message=notice:${notice}&limit=2`, admin);
    expect(page.json().deliveries).toHaveLength(2);
    const next = await get(
      `/api/deliveries?message=notice:${notice}&limit=2&after=${page.json().next}`,
      admin,
    );
    expect(next.json().deliveries.map((d: { id: string }) => d.id)).toEqual(ids.slice(2, 4));
    // Nothing personal in a delivery: references only.
    expect(JSON.stringify(all.json())).not.toContain('@');
  });

  it('shows progress per state and channel', async () => {
    const res = await get(`/api/deliveries/progress?message=notice:${notice}`, officer);
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.total).toBe(5);
    expect(p.states).toMatchObject({ sent: 2, failed: 1, queued: 2 });
    expect(p.channels).toEqual([
      { channel: 'email', states: expect.objectContaining({ sent: 2, failed: 1 }) },
      { channel: 'sms', states: expect.objectContaining({ queued: 2 }) },
    ]);
  });

  it('keeps officers to the messages of their places, and other lists to worldwide staff', async () => {
    expect((await get(`/api/deliveries?message=notice:${notice}`, outsider)).statusCode).toBe(403);
    expect((await get(`/api/deliveries/progress?message=notice:${notice}`, outsider)).statusCode).toBe(403);
    expect((await get(`/api/deliveries/${ids[0]}`, outsider)).statusCode).toBe(403);
    expect((await get('/api/deliveries', officer)).statusCode).toBe(403);
    expect((await get('/api/deliveries', admin)).statusCode).toBe(200);
    const bad = await get('/api/deliveries?state=lost', admin);
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBeDefined();
  });

  it('retries a failed delivery and drops a waiting one, audited; refuses both on a sent one', async () => {
    const failed = (await get(`/api/deliveries?message=notice:${notice}&state=failed`, admin)).json()
      .deliveries[0];
    const retry = await h.app.inject({
      method: 'POST',
      url: `/api/deliveries/${failed.id}/retry`,
      headers: officer.headers,
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().delivery).toMatchObject({ state: 'queued', attempts: 0 });
    expect(retry.json().attempts).toMatchObject([{ outcome: 'permanent', reason: 'mailbox unavailable' }]);
    const drop = await h.app.inject({
      method: 'POST',
      url: `/api/deliveries/${ids[4]}/drop`,
      headers: officer.headers,
      payload: { reason: 'wrong list' },
    });
    expect(drop.statusCode).toBe(200);
    expect(drop.json().delivery).toMatchObject({
      state: 'dropped',
      lastError: 'dropped by staff: wrong list',
    });
    const sent = (await get(`/api/deliveries?message=notice:${notice}&state=sent`, admin)).json()
      .deliveries[0];
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/deliveries/${sent.id}/retry`,
      headers: admin.headers,
    });
    expect(again.statusCode).toBe(409);
    const audit = await h.ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'target'])
      .where('action', 'like', 'delivery.%')
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { action: 'delivery.retry', target: `delivery:${failed.id}` },
      { action: 'delivery.drop', target: `delivery:${ids[4]}` },
    ]);
  });
});
