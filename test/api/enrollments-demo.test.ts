import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANISATION, DEMO_PERSONS, loadDemoEnrollments } from '../../src/demo/enrollments.ts';
import { areaContains } from '../../src/domain/posts/geometry.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

/** The demo's Basrah CBD restriction polygon (src/demo/posts.ts). */
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

describe.each(backends())("the demo's organisation and travellers on %s", (backend) => {
  let h: ApiHarness;
  let crisis: Caller;

  beforeAll(async () => {
    h = await createApiHarness(backend);
    crisis = await h.signIn('crisis_manager');
    const { report } = await loadDemoEnrollments(h.ctx, cliActor);
    expect(report).toMatchObject({ persons: DEMO_PERSONS, created: DEMO_PERSONS, failed: 0 });
  });
  afterAll(() => h.dispose());

  it('has one organisation with about ten thousand people', async () => {
    const { organisations } = (
      await h.app.inject({ method: 'GET', url: '/api/organisations', headers: crisis.headers })
    ).json();
    expect(organisations).toHaveLength(1);
    expect(organisations[0]).toMatchObject({ name: DEMO_ORGANISATION, persons: 10_000 });
  });

  it('puts most trips in Baghdad, Basrah and Erbil, some inside Basrah’s CBD, some in neighbouring countries', async () => {
    const stats = (
      await h.app.inject({ method: 'GET', url: '/api/enrollments/stats', headers: crisis.headers })
    ).json();
    const countries = Object.fromEntries(
      stats.countries.map((c: { country: string; persons: number }) => [c.country, c.persons]),
    );
    expect(countries.IQ).toBeGreaterThan(7000);
    for (const c of ['KW', 'JO', 'TR', 'IR', 'SA']) expect(countries[c], c).toBeGreaterThan(100);
    const iraq = stats.countries.find((c: { country: string }) => c.country === 'IQ');
    const top = [...iraq.regions]
      .filter((r: { region: string | null }) => r.region)
      .sort((a: { trips: number }, b: { trips: number }) => b.trips - a.trips)
      .slice(0, 3)
      .map((r: { region: string }) => r.region)
      .sort();
    expect(top).toEqual(['IQ-AR', 'IQ-BA', 'IQ-BG']);

    const points = await h.ctx.store.db
      .selectFrom('enrollment_trips')
      .select(['lat', 'lon', 'departure'])
      .where('region', '=', 'IQ-BA')
      .execute();
    const inCbd = points.filter((p) => p.lat !== null && areaContains(CBD, p.lon!, p.lat));
    expect(inCbd.length).toBeGreaterThan(100);
    const residents = await h.ctx.store.db
      .selectFrom('enrollment_trips')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('departure', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(residents.n)).toBeGreaterThan(500);
  });
});
