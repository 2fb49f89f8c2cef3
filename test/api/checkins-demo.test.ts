import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASRAH_SENT_HOURS_AGO } from '../../src/demo/alerts.ts';
import { loadDemoWorld } from '../../src/demo/index.ts';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

describe.each(backends())("the demo's check-ins and Basrah drawdown on %s", (backend) => {
  let h: ApiHarness;
  let crisis: Caller;
  let alertId: string;
  let basrahPost: string;

  beforeAll(async () => {
    h = await createApiHarness(backend);
    await loadDemoWorld(h.ctx);
    crisis = await h.signIn('crisis_manager');
    const { posts } = await get('/api/posts');
    basrahPost = posts.find((p: { name: string }) => p.name === 'Consulate General Basrah').id;
    const { alerts } = await get('/api/alerts?state=sent');
    const withCheckin = alerts.filter(
      (a: { content: { checkIn: { requested: boolean } } }) => a.content.checkIn.requested,
    );
    expect(withCheckin).toHaveLength(1);
    alertId = withCheckin[0].id;
  }, 600_000);
  afterAll(() => h.dispose());

  const get = async (url: string) => {
    const res = await h.app.inject({ method: 'GET', url, headers: crisis.headers });
    expect(res.statusCode, url).toBe(200);
    return res.json();
  };

  it('asks the Basrah CBD alert recipients to check in, with a deadline still ahead', async () => {
    const { alert } = await get(`/api/alerts/${alertId}`);
    expect(alert.content.texts.en.headline).toContain('Basrah');
    const sent = Date.parse(alert.sentAt);
    const now = h.ctx.clock.now().getTime();
    expect(Math.round((now - sent) / 3_600_000)).toBe(BASRAH_SENT_HOURS_AGO);
    expect(Date.parse(alert.content.checkIn.deadline)).toBeGreaterThan(now);
  });

  it('has answers over the hours since, most of the recipients safe, a few needing help', async () => {
    const { rollup, timeline } = await get(`/api/alerts/${alertId}/accountability`);
    // The demo's travellers inside the CBD polygon (src/demo/enrollments.ts): a few hundred.
    expect(rollup.targeted).toBeGreaterThan(200);
    expect(
      rollup.safe + rollup.need_help + rollup.no_answer + rollup.unreachable + rollup.pending + rollup.erased,
    ).toBe(rollup.targeted);
    expect(rollup.safe / rollup.targeted).toBeGreaterThan(0.7);
    expect(rollup.safe / rollup.targeted).toBeLessThan(0.9);
    expect(rollup.need_help).toBeGreaterThan(3);
    expect(rollup.need_help).toBeLessThan(rollup.targeted * 0.05);
    const perHour = new Map<string, number>();
    for (const t of timeline) perHour.set(t.hour, (perHour.get(t.hour) ?? 0) + t.n);
    const answers = [...perHour.values()].reduce((a, b) => a + b, 0);
    // Every answer is kept: more answers than people who answered.
    expect(answers).toBeGreaterThan(rollup.safe + rollup.need_help);
    // A shape: spread over the hours since sending, busiest in the first hour or two, a tail after.
    const hours = [...perHour.keys()].sort();
    expect(hours.length).toBeGreaterThanOrEqual(BASRAH_SENT_HOURS_AGO - 1);
    const counts = hours.map((k) => perHour.get(k) ?? 0);
    expect(Math.max(...counts.slice(0, 3))).toBeGreaterThan(5 * (counts.at(-1) ?? 0));
  });

  it('has opened need-help cases for Embassy Baghdad, one of them handled with a note', async () => {
    const { cases } = await get(`/api/checkins/need-help?alertId=${alertId}`);
    const { rollup } = await get(`/api/alerts/${alertId}/accountability`);
    const handled = cases.filter((c: { handledAt: string | null }) => c.handledAt !== null);
    expect(handled).toHaveLength(1);
    expect(handled[0].handledNote).toContain('Reached by phone');
    // Someone who said they need help and later said safe still has their case (staff close it).
    expect(cases.length).toBeGreaterThanOrEqual(rollup.need_help);
    const settings = await get(`/api/posts/${cases[0].postId}/checkin-settings`);
    expect(settings.dutyEmail).toBe('baghdadacs@state.gov');
  });

  it("shows Basrah's drawdown in progress: most departed or relocated, essential staff remaining", async () => {
    const { board, counts, events, history } = await get(`/api/posts/${basrahPost}/drawdown`);
    expect(board).toMatchObject({ state: 'ordered_departure', closedAt: null });
    expect(history).toHaveLength(1);
    expect(counts.total).toBeGreaterThan(40);
    expect(counts.departed + counts.relocated + counts.remaining + counts.unaccounted).toBe(counts.total);
    expect(counts.departed + counts.relocated).toBeGreaterThan(counts.total * 0.6);
    expect(counts.relocated).toBeGreaterThan(5);
    expect(counts.departed).toBeGreaterThan(5);
    expect(counts.remaining).toBeGreaterThanOrEqual(5);
    expect(counts.essentialRemaining).toBe(counts.remaining);
    expect(counts.unaccounted).toBeGreaterThan(0);
    expect(counts.unaccounted).toBeLessThan(counts.total * 0.15);
    // Set by staff and by members through their roster check-in links, all after the board opened.
    const sources = new Set(events.map((e: { source: string }) => e.source));
    expect(sources).toEqual(new Set(['staff', 'checkin']));
    expect(events.every((e: { at: string }) => e.at >= board.openedAt)).toBe(true);
  });
});
