import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACLED_COLUMNS } from '../../src/domain/incidents/acled.ts';
import { importIncidentsCsv } from '../../src/imports/incidents/import.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

const AT = '2018-09-28T08:00:00.000Z';
const DAY = 86_400_000;

let seq = 0;
/** `perWeek[j]` ACLED rows at (lat, lon) in week j before AT (0 = the newest week). */
function series(
  lat: number,
  lon: number,
  perWeek: readonly number[],
  subType = 'Shelling/artillery/missile attack',
) {
  const rows: string[] = [];
  perWeek.forEach((n, j) => {
    for (let k = 0; k < n; k++) {
      const day = new Date(Date.parse(AT) - (7 * j + 1 + (k % 6)) * DAY).toISOString().slice(0, 10);
      const v: Record<string, string> = {
        event_id_cnty: `IRQT${++seq}`,
        event_date: day,
        time_precision: '1',
        event_type: 'Explosions/Remote violence',
        sub_event_type: subType,
        actor1: 'Unidentified Armed Group (Iraq)',
        inter1: '3',
        actor2: '',
        iso: '368',
        country: 'Iraq',
        latitude: (lat + k * 0.001).toFixed(4),
        longitude: lon.toFixed(4),
        geo_precision: '1',
        source: 'Test',
        notes: 'Test event.',
        fatalities: '0',
      };
      rows.push(ACLED_COLUMNS.map((c) => v[c] ?? '').join(','));
    }
  });
  return rows;
}

const weeks = (recent: number, baseline: number) => [
  ...Array.from({ length: 4 }, () => recent),
  ...Array.from({ length: 12 }, () => baseline),
  ...Array.from({ length: 20 }, () => baseline),
];

describe.each(backends())('threat trends on %s', (backend) => {
  let h: ApiHarness;
  let viewer: Caller;
  let officer: Caller;
  const posts = { basrah: '', erbil: '' };

  beforeAll(async () => {
    h = await createApiHarness(backend);
    viewer = await h.signIn('viewer');
    officer = await h.signIn('officer', ['country:IQ']);
    const admin = await h.signIn('admin');
    for (const [key, city, lat, lon] of [
      ['basrah', 'Basrah', 30.51, 47.81],
      ['erbil', 'Erbil', 36.19, 44.01],
    ] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/posts',
        headers: admin.headers,
        payload: {
          kind: 'consulate_general',
          name: `Consulate General ${city}`,
          city,
          country: 'IQ',
          location: { lat, lon },
        },
      });
      posts[key] = res.json().post.id;
    }
    // Basrah: 1 a week for months, then 5 a week over the last four. Erbil: 2 a week throughout.
    const csv = [
      ACLED_COLUMNS.join(','),
      ...series(30.515, 47.815, weeks(5, 1)),
      ...series(36.2, 44.0, weeks(2, 2), 'Air/drone strike'),
    ].join('\n');
    const report = await importIncidentsCsv(h.ctx, cliActor, [csv]);
    expect(report).toMatchObject({ failed: 0, inserted: 52 + 72 });
  });
  afterAll(() => h.dispose());

  const get = async (url: string, who: Caller = viewer) => {
    const res = await h.app.inject({ method: 'GET', url, headers: who.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('counts weekly by type over 52 rolling weeks and fires for a rising series', async () => {
    const { trend } = await get(`/api/trends/posts/${posts.basrah}?at=${AT}`);
    expect(trend.subject).toEqual({
      kind: 'post',
      id: posts.basrah,
      name: 'Consulate General Basrah',
      country: 'IQ',
    });
    expect(trend.radiusKm).toBe(25);
    expect(trend.weeks).toHaveLength(52);
    expect(trend.weeks[51]).toMatchObject({ end: AT, start: '2018-09-21T08:00:00.000Z', total: 5 });
    expect(trend.weeks[51].byType).toMatchObject({ explosions_remote_violence: 5, protests: 0 });
    expect(trend.weeks.map((w: Json) => w.total)).toEqual([
      ...Array(16).fill(0),
      ...Array(32).fill(1),
      5,
      5,
      5,
      5,
    ]);
    const all = trend.signals[0];
    expect(all).toMatchObject({ type: 'all', recent: 20, baseline: 12, firing: true });
    expect(all.rateRatio).toBeCloseTo(5, 10);
    // P(X >= 20 | X ~ Binomial(32, 1/4)), exactly 7.98462990192554e-6.
    expect(all.pValue / 7.98462990192554e-6).toBeCloseTo(1, 10);
    expect(trend.signals[1]).toMatchObject({
      type: 'explosions_remote_violence',
      recent: 20,
      baseline: 12,
      firing: true,
    });
    expect(trend.firing).toBe(true);
    expect(trend.method).toMatch(/Binomial\(n, 0\.25\)/);
  });

  it('does not fire for a flat series', async () => {
    const { trend } = await get(`/api/trends/posts/${posts.erbil}?at=${AT}`);
    expect(trend.signals[0]).toMatchObject({
      type: 'all',
      recent: 8,
      baseline: 24,
      rateRatio: 1,
      firing: false,
    });
    expect(trend.signals[0].pValue / 0.5675291577424665).toBeCloseTo(1, 10);
    expect(trend.firing).toBe(false);
    // Months later nothing is recent and nothing fires.
    const later = (await get(`/api/trends/posts/${posts.basrah}?at=2019-06-01T00:00:00Z`)).trend;
    expect(later.signals[0]).toMatchObject({
      recent: 0,
      baseline: 0,
      pValue: 1,
      rateRatio: null,
      firing: false,
    });
  });

  it('trends first-level regions too, and lists firing signals strongest first', async () => {
    const { trend } = await get(`/api/trends/regions/iq-ba?at=${AT}`);
    expect(trend.subject).toEqual({ kind: 'region', code: 'IQ-BA', name: expect.any(String), country: 'IQ' });
    expect(trend.radiusKm).toBeNull();
    expect(trend.signals[0]).toMatchObject({ recent: 20, baseline: 12, firing: true });
    expect((await get(`/api/trends/regions/IQ-AR?at=${AT}`)).trend.firing).toBe(false);
    const { signals, at } = await get(`/api/trends/signals?at=${AT}`);
    expect(at).toBe(AT);
    expect(signals.map((s: Json) => `${(s.subject as Json).kind}:${s.type}`).sort()).toEqual([
      'post:all',
      'post:explosions_remote_violence',
      'region:all',
      'region:explosions_remote_violence',
    ]);
    expect(signals.find((s: Json) => (s.subject as Json).kind === 'post').subject).toMatchObject({
      id: posts.basrah,
    });
    expect(signals).toHaveLength(4);
    expect(signals.every((s: Json) => s.firing)).toBe(true);
    const ps = signals.map((s: Json) => s.pValue as number);
    expect(ps).toEqual([...ps].sort((a, b) => a - b));
    expect((await get(`/api/trends/signals?at=${AT}&kind=region`)).signals).toHaveLength(2);
    expect((await get(`/api/trends/signals?at=${AT}&country=JO`)).signals).toEqual([]);
    expect((await get('/api/trends/signals')).signals).toEqual([]);
    const unknown = await h.app.inject({
      method: 'GET',
      url: '/api/trends/regions/XX-ZZ',
      headers: viewer.headers,
    });
    expect(unknown.json().error.code).toBe('unknown_region');
  });

  it('leaves retracted incidents out of the counts', async () => {
    const { incidents } = await get(`/api/incidents?postId=${posts.basrah}&from=2018-09-21&limit=1`);
    await h.app.inject({
      method: 'POST',
      url: `/api/incidents/${incidents[0].id}/retract`,
      headers: officer.headers,
      payload: { reason: 'Test retraction.' },
    });
    const { trend } = await get(`/api/trends/posts/${posts.basrah}?at=${AT}`);
    expect(trend.signals[0]).toMatchObject({ recent: 19, baseline: 12 });
  });

  it('opens one threat review task per post from a firing signal (scoped)', async () => {
    const url = `/api/trends/posts/${posts.basrah}/review?at=${AT}`;
    const open = await h.app.inject({
      method: 'POST',
      url,
      headers: officer.headers,
      payload: { note: 'Rockets weekly now.' },
    });
    expect(open.statusCode, open.body).toBe(201);
    const { task, created, signals } = open.json();
    expect(created).toBe(true);
    expect(task).toMatchObject({
      kind: 'threat_review',
      status: 'open',
      country: 'IQ',
      postId: posts.basrah,
      subject: `trend:post:${posts.basrah}`,
      details: { note: 'Rockets weekly now.', radiusKm: 25, at: AT },
    });
    expect(task.title).toContain(
      '19 incidents nearby in the last 4 weeks, 12 in the 12 before (rising: all, explosions_remote_violence)',
    );
    expect(signals[0]).toMatchObject({ type: 'all', firing: true });
    const again = await h.app.inject({ method: 'POST', url, headers: officer.headers, payload: {} });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, task: { id: task.id } });
    expect((await get('/api/tasks?kind=threat_review', officer)).tasks.map((t: Json) => t.id)).toEqual([
      task.id,
    ]);
    const outsider = await h.signIn('officer', ['country:FR']);
    expect(
      (await h.app.inject({ method: 'POST', url, headers: outsider.headers, payload: {} })).statusCode,
    ).toBe(403);
    expect(
      (await h.app.inject({ method: 'POST', url, headers: viewer.headers, payload: {} })).statusCode,
    ).toBe(403);
    const missing = await h.app.inject({
      method: 'POST',
      url: '/api/trends/posts/00000000-0000-4000-8000-000000000000/review',
      headers: officer.headers,
      payload: {},
    });
    expect(missing.statusCode).toBe(404);
  });
});
