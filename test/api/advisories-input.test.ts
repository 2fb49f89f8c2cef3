import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

/** Around Basrah's central business district. */
const BASRAH_CBD = {
  type: 'Polygon',
  coordinates: [
    [
      [47.78, 30.5],
      [47.84, 30.5],
      [47.84, 30.54],
      [47.78, 30.54],
      [47.78, 30.5],
    ],
  ],
};
const ring = (...pts: number[][]) => ({ type: 'Polygon', coordinates: [pts] });

const body = (over: Record<string, unknown> = {}) => ({
  level: 4,
  indicators: ['T', 'K', 'U'],
  summary: 'Do not travel to Iraq due to terrorism, kidnapping, armed conflict and civil unrest.',
  changeNote: 'Test edition.',
  ...over,
});

describe.each(backends())('advisory input on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
  });
  afterAll(() => h.dispose());

  const counts = async () => {
    const db = h.ctx.store.db;
    const n = async (t: 'advisory_editions' | 'audit_log') =>
      Number(
        (
          await db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { editions: await n('advisory_editions'), audit: await n('audit_log') };
  };
  const post = (country: string, payload: object) =>
    h.app.inject({
      method: 'POST',
      url: `/api/advisories/${country}/editions`,
      headers: admin.headers,
      payload,
    });

  /** The request fails with exactly this status and code, and writes nothing at all. */
  async function refused(req: () => Promise<LightMyRequestResponse>, status: number, code: string) {
    const before = await counts();
    const res = await req();
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await counts()).toEqual(before);
    return res.json().error.details as Record<string, unknown>;
  }

  it('zones may be regions, a drawn polygon, or both, and come back as written', async () => {
    const res = await post('IQ', {
      ...body(),
      zones: [
        {
          name: 'Iraqi Kurdistan Region',
          level: 3,
          indicators: ['T', 'K', 'U'],
          regions: ['iq-ar', 'IQ-DA', 'IQ-SU', 'IQ-AR'],
          text: 'Reconsider travel.',
        },
        { name: 'Basrah CBD', level: 4, indicators: ['U'], geometry: BASRAH_CBD },
        {
          name: 'Both',
          level: 4,
          indicators: ['T'],
          regions: ['IQ-BA'],
          geometry: { type: 'MultiPolygon', coordinates: [BASRAH_CBD.coordinates] },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const zones = res.json().edition.zones;
    expect(zones[0]).toMatchObject({
      name: 'Iraqi Kurdistan Region',
      level: 3,
      levelLabel: 'Reconsider travel',
      regions: ['IQ-AR', 'IQ-DA', 'IQ-SU'],
      geometry: null,
    });
    expect(zones[1]).toMatchObject({ name: 'Basrah CBD', regions: [], geometry: BASRAH_CBD });
    expect(zones[2].geometry.type).toBe('MultiPolygon');
  });

  it('level 5 and other schema breaks are validation_failed', async () => {
    const d = await refused(() => post('IQ', body({ level: 5 })), 400, 'validation_failed');
    expect(JSON.stringify(d)).toContain('level');
    await refused(
      () => post('IQ', body({ zones: [{ name: 'z', level: 0, regions: ['IQ-BA'] }] })),
      400,
      'validation_failed',
    );
    await refused(() => post('IQ', body({ colour: 'red' })), 400, 'validation_failed');
    await refused(() => post('IQ', body({ level: '4' })), 400, 'validation_failed');
    const noArea = await refused(
      () => post('IQ', body({ zones: [{ name: 'Nowhere', level: 3 }] })),
      400,
      'validation_failed',
    );
    expect(noArea.field).toBe('zones[0]');
    const twice = await refused(
      () =>
        post(
          'IQ',
          body({
            zones: [
              { name: 'A', level: 3, regions: ['IQ-BA'] },
              { name: 'a', level: 3, regions: ['IQ-NI'] },
            ],
          }),
        ),
      400,
      'validation_failed',
    );
    expect(twice.field).toBe('zones[1].name');
  });

  it('unknown indicators, countries and regions have their own codes', async () => {
    const ind = await refused(() => post('IQ', body({ indicators: ['T', 'X'] })), 400, 'unknown_indicator');
    expect(ind).toMatchObject({ field: 'indicators', invalid: ['X'] });
    const zoneInd = await refused(
      () => post('IQ', body({ zones: [{ name: 'z', level: 3, indicators: ['Q'], regions: ['IQ-BA'] }] })),
      400,
      'unknown_indicator',
    );
    expect(zoneInd.field).toBe('zones[0].indicators');
    await refused(() => post('ZZ', body()), 400, 'unknown_country');
    await refused(
      () => h.app.inject({ method: 'GET', url: '/api/advisories/ZZ', headers: admin.headers }),
      400,
      'unknown_country',
    );
    const region = await refused(
      () => post('IQ', body({ zones: [{ name: 'z', level: 3, regions: ['IQ-BA', 'IQ-XX'] }] })),
      400,
      'unknown_region',
    );
    expect(region).toMatchObject({ field: 'zones[0].regions', invalid: ['IQ-XX'] });
    // A real region of another country is not a region of this one.
    const foreign = await refused(
      () => post('IQ', body({ zones: [{ name: 'z', level: 3, regions: ['TR-73'] }] })),
      400,
      'unknown_region',
    );
    expect(foreign.invalid).toEqual(['TR-73']);
  });

  it('drawn zones must be valid polygons: each fault has its reason', async () => {
    const zone = (geometry: unknown) => body({ zones: [{ name: 'Drawn', level: 4, geometry }] });
    const cases: Array<[string, unknown]> = [
      ['self_intersection', ring([47.7, 30.4], [47.9, 30.6], [47.9, 30.4], [47.7, 30.6], [47.7, 30.4])],
      ['unclosed_ring', ring([47.7, 30.4], [47.9, 30.4], [47.9, 30.6], [47.7, 30.6])],
      ['coordinates_out_of_range', ring([47.7, 30.4], [200, 30.4], [47.9, 30.6], [47.7, 30.4])],
      ['coordinates_out_of_range', ring([47.7, 30.4], [47.9, 95], [47.9, 30.6], [47.7, 30.4])],
      ['too_few_positions', ring([47.7, 30.4], [47.9, 30.4], [47.7, 30.4])],
      [
        'malformed',
        {
          type: 'Polygon',
          coordinates: [
            [
              [47.7, 30.4],
              ['x', 1],
            ],
          ],
        },
      ],
      ['malformed', { type: 'Polygon', coordinates: [] }],
      ['unsupported_type', { type: 'Point', coordinates: [47.7, 30.4] }],
      ['zero_area', ring([47.7, 30.4], [47.8, 30.5], [47.9, 30.6], [47.7, 30.4])],
      ['outside_country', ring([2.2, 48.8], [2.4, 48.8], [2.4, 48.9], [2.2, 48.9], [2.2, 48.8])],
    ];
    for (const [reason, geometry] of cases) {
      const d = await refused(() => post('IQ', zone(geometry)), 400, 'invalid_geometry');
      expect(d, JSON.stringify(geometry)).toMatchObject({ field: 'zones[0].geometry', reason });
    }
  });

  it('a bad PATCH leaves the draft exactly as it was', async () => {
    const created = await post('IQ', body());
    const d = created.json().edition;
    const patch = (payload: object) => () =>
      h.app.inject({
        method: 'PATCH',
        url: `/api/advisory-editions/${d.id}`,
        headers: admin.headers,
        payload,
      });
    await refused(patch({ level: 5 }), 400, 'validation_failed');
    await refused(patch({ indicators: ['Z'] }), 400, 'unknown_indicator');
    await refused(patch({ zones: [{ name: 'z', level: 3, regions: ['FR-IDF'] }] }), 400, 'unknown_region');
    await refused(
      patch({
        zones: [
          {
            name: 'z',
            level: 3,
            geometry: ring([47.7, 30.4], [47.9, 30.6], [47.9, 30.4], [47.7, 30.6], [47.7, 30.4]),
          },
        ],
      }),
      400,
      'invalid_geometry',
    );
    await refused(patch({}), 400, 'validation_failed');
    const after = (
      await h.app.inject({ method: 'GET', url: `/api/advisory-editions/${d.id}`, headers: admin.headers })
    ).json().edition;
    expect(after).toEqual(d);
  });
});
