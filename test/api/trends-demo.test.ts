import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorld } from '../../src/demo/index.ts';
import { DEPARTURE_DAYS_AGO, type DemoTimeline, demoTimeline } from '../../src/demo/timeline.ts';
import { areaContains } from '../../src/domain/posts/geometry.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

const CBD = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [47.78, 30.5],
      [47.83, 30.5],
      [47.83, 30.515],
      [47.82, 30.53],
      [47.78, 30.53],
      [47.78, 30.5],
    ],
  ],
};

describe.each(backends())("the demo's incidents and threat trends on %s", (backend) => {
  let h: ApiHarness;
  let viewer: Caller;
  const posts: Record<string, string> = {};
  let loadMs = 0;
  let tl: DemoTimeline;
  /** The ordered departure in the loaded world (the story's 2018-09-28T08:00Z, moved). */
  let moment = '';

  beforeAll(async () => {
    h = await createApiHarness(backend);
    tl = demoTimeline(h.ctx.clock.now());
    moment = tl.departure;
    const started = performance.now();
    await loadDemoWorld(h.ctx, cliActor);
    loadMs = performance.now() - started;
    viewer = await h.signIn('viewer');
    const list = (
      await h.app.inject({ method: 'GET', url: '/api/posts?country=IQ', headers: viewer.headers })
    ).json();
    for (const p of list.posts) posts[p.city] = p.id;
  });
  afterAll(() => h.dispose());

  const get = async (url: string) => {
    const res = await h.app.inject({ method: 'GET', url, headers: viewer.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('loads a year of incidents in Iraq in reasonable time', async () => {
    const n = await h.ctx.store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBeGreaterThan(2000);
    expect(loadMs).toBeLessThan(30_000);
    const oldest = (await get(`/api/incidents?country=IQ&to=${tl.day('2017-10-05')}&limit=1000`)).incidents;
    expect(oldest.length).toBeGreaterThan(0);
  });

  it('fires a rising-threat signal for the Basrah consulate (indirect fire) at the moment of the ordered departure', async () => {
    const { trend } = await get(`/api/trends/posts/${posts.Basrah}?at=${moment}`);
    expect(trend.firing).toBe(true);
    const byType = Object.fromEntries(trend.signals.map((s: Json) => [s.type, s]));
    expect(byType.all.firing).toBe(true);
    expect(byType.explosions_remote_violence).toMatchObject({ firing: true });
    expect(byType.explosions_remote_violence.pValue).toBeLessThan(0.01);
    const { signals } = await get(`/api/trends/signals?at=${moment}`);
    expect(
      signals.some(
        (s: Json) => (s.subject as Json).id === posts.Basrah && s.type === 'explosions_remote_violence',
      ),
    ).toBe(true);
    expect(signals.some((s: Json) => (s.subject as Json).code === 'IQ-BA')).toBe(true);
  });

  it('has indirect fire near the Baghdad embassy, one within the last 24 hours, attributed (suspected) to a militia directed by the Quds Force', async () => {
    const from = new Date(Date.parse(moment) - 86_400_000).toISOString();
    const { incidents } = await get(
      `/api/incidents?postId=${posts.Baghdad}&type=shelling_artillery_missile_attack&from=${from}&to=${moment}`,
    );
    expect(incidents).toHaveLength(1);
    const [last] = incidents;
    expect(last).toMatchObject({
      timePrecision: 'exact',
      target: { postId: posts.Baghdad },
      actors: [{ name: "Kata'ib Hezbollah", role: 'perpetrator', confidence: 'suspected' }],
    });
    const kh = (await get(`/api/actors/${last.actors[0].actorId}`)).actor;
    expect(kh.relations).toContainEqual(
      expect.objectContaining({
        relation: 'directed_by',
        confidence: 'suspected',
        to: expect.objectContaining({
          name: 'Islamic Revolutionary Guard Corps - Quds Force',
          type: 'external_forces',
        }),
      }),
    );
    const seed = await get(`/api/incidents/${last.id}/alert-seed`);
    expect(seed.description).toContain("Kata'ib Hezbollah (suspected)");
  });

  it('has protests turning into riots in the Basrah CBD weeks earlier', async () => {
    const { incidents } = await get(
      `/api/incidents?bbox=47.78,30.5,47.83,30.53&from=${tl.day('2018-09-01')}&to=${tl.day('2018-09-10')}&type=protests,riots&limit=200`,
    );
    const inCbd = incidents.filter((i: Json) => {
      const l = i.location as { lat: number; lon: number };
      return areaContains(CBD, l.lon, l.lat);
    });
    expect(inCbd.length).toBeGreaterThanOrEqual(10);
    expect(inCbd.some((i: Json) => i.type === 'riots')).toBe(true);
  });

  it('tells the story in the present: departure days ago, recent incidents, threats firing now, a review ahead', async () => {
    const now = h.ctx.clock.now().getTime();
    const daysAgo = (now - Date.parse(moment)) / 86_400_000;
    expect(daysAgo).toBeGreaterThan(DEPARTURE_DAYS_AGO - 1);
    expect(daysAgo).toBeLessThan(DEPARTURE_DAYS_AGO + 1);
    const from = new Date(now - 30 * 86_400_000).toISOString();
    const recent = (await get(`/api/incidents?country=IQ&from=${from}&limit=1000`)).incidents;
    expect(recent.length).toBeGreaterThan(20);
    // Nothing happened after the day the demo was loaded.
    expect(
      (await get(`/api/incidents?country=IQ&from=${new Date(now).toISOString()}&limit=10`)).incidents,
    ).toEqual([]);
    // Without an "as of" date, the threat page (signals now) shows the rise at Basrah.
    const { signals } = await get('/api/trends/signals');
    expect(signals.some((s: Json) => (s.subject as Json).id === posts.Basrah)).toBe(true);
    const basrah = (await get(`/api/posts/${posts.Basrah}/posture`)).history[0];
    expect(basrah.state).toBe('ordered_departure');
    expect(Date.parse(basrah.reviewBy)).toBeGreaterThan(now);
    // The advisories were published before the departure, in the story's order.
    const iq = (await h.app.inject({ method: 'GET', url: '/api/public/advisories/IQ' })).body;
    const published = [...iq.matchAll(/"publishedAt":"([^"]+)"/g)].map((m) => Date.parse(m[1]!));
    expect(published.length).toBeGreaterThan(0);
    for (const t of published) expect(t).toBeLessThan(Date.parse(moment));
  });
});
