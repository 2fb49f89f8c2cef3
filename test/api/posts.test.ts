import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

const square = (lon: number, lat: number, size: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + size, lat],
      [lon + size, lat + size],
      [lon, lat + size],
      [lon, lat],
    ],
  ],
});

const baghdad = (over: Json = {}) => ({
  kind: 'embassy',
  name: 'Embassy Baghdad',
  city: 'Baghdad',
  country: 'IQ',
  location: { lat: 33.3, lon: 44.39 },
  contact: {
    phone: '+964 760 030 3000',
    email: 'BaghdadACS@state.gov',
    address: 'International Zone, Baghdad',
    hours: 'Sun-Thu 08:00-16:30',
  },
  district: { regions: ['IQ-BG', 'IQ-AN'] },
  ...over,
});

describe.each(backends())('posts on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
  });
  afterAll(() => h.dispose());

  const create = (payload: unknown, who: Caller = admin) =>
    h.app.inject({ method: 'POST', url: '/api/posts', headers: who.headers, payload: payload as Json });
  const patch = (id: string, payload: unknown, who: Caller = admin) =>
    h.app.inject({
      method: 'PATCH',
      url: `/api/posts/${id}`,
      headers: who.headers,
      payload: payload as Json,
    });
  const get = (url: string, who: Caller = admin) =>
    h.app.inject({ method: 'GET', url, headers: who.headers });
  const count = async (table: 'posts' | 'post_district_regions' | 'audit_log') =>
    Number(
      (
        await h.ctx.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  let baghdadId = '';

  it('creates a post with contact and district, starting in normal posture, audited', async () => {
    const res = await create(baghdad());
    expect(res.statusCode).toBe(201);
    const { post } = res.json();
    baghdadId = post.id;
    expect(post).toMatchObject({
      kind: 'embassy',
      name: 'Embassy Baghdad',
      country: 'IQ',
      location: { lat: 33.3, lon: 44.39 },
      contact: { phone: '+964 760 030 3000', email: 'BaghdadACS@state.gov' },
      district: { regions: ['IQ-AN', 'IQ-BG'], geometry: null },
      coverageDelegateId: null,
      pendingRequestId: null,
      posture: {
        state: 'normal',
        previousState: null,
        services: { citizenServices: true, visas: true, walkIn: true },
      },
    });
    expect((await get(`/api/posts/${post.id}`)).json().post).toEqual(post);
    const viewer = await h.signIn('viewer');
    const list = await get('/api/posts?country=iq', viewer);
    expect(list.statusCode).toBe(200);
    expect(list.json().posts.map((p: Json) => p.id)).toEqual([post.id]);
    expect((await get('/api/posts?country=JO')).json().posts).toEqual([]);
    const audit = await get('/api/audit?action=post.create');
    expect(audit.json().entries[0]).toMatchObject({
      target: `post:${post.id}`,
      actor: `user:${admin.userId}`,
      summary: { after: { name: 'Embassy Baghdad', regions: ['IQ-AN', 'IQ-BG'], polygon: false } },
    });
  });

  it('edits details and district with before/after in the audit', async () => {
    const res = await patch(baghdadId, {
      contact: { hours: 'Sunday-Thursday 08:00-16:30' },
      district: { regions: ['IQ-BG', 'IQ-AN', 'IQ-KA'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().post.contact).toMatchObject({
      hours: 'Sunday-Thursday 08:00-16:30',
      phone: '+964 760 030 3000',
    });
    expect(res.json().post.district.regions).toEqual(['IQ-AN', 'IQ-BG', 'IQ-KA']);
    const audit = (await get('/api/audit?action=post.update&limit=1')).json().entries[0];
    expect(audit.summary).toMatchObject({
      before: { regions: ['IQ-AN', 'IQ-BG'] },
      after: { regions: ['IQ-AN', 'IQ-BG', 'IQ-KA'] },
      contactChanged: true,
    });
    expect((await patch('00000000-0000-4000-8000-000000000000', { name: 'X' })).statusCode).toBe(404);
  });

  it('validates bodies precisely: types, ranges with paths, unknown fields, the country never changes', async () => {
    const lat = await create(baghdad({ location: { lat: 95, lon: 44.39 } }));
    expect(lat.statusCode).toBe(400);
    expect(errorCode(lat)).toBe('validation_failed');
    expect(lat.json().error.details.problems).toContainEqual(
      expect.objectContaining({ path: 'body/location/lat' }),
    );
    const lon = await create(baghdad({ location: { lat: 33, lon: -190 } }));
    expect(lon.json().error.details.problems).toContainEqual(
      expect.objectContaining({ path: 'body/location/lon' }),
    );
    // Latitude and longitude swapped: both in range, but not in Iraq.
    const swapped = await create(baghdad({ location: { lat: 44.39, lon: 33.3 }, district: { regions: [] } }));
    expect(swapped.statusCode).toBe(400);
    expect(swapped.json().error).toMatchObject({ code: 'validation_failed', details: { path: '/location' } });
    expect(errorCode(await create(baghdad({ kind: 'mission' })))).toBe('validation_failed');
    const extra = await create(baghdad({ flag: 'us' }));
    expect(extra.json().error.details.problems).toContainEqual(expect.objectContaining({ field: 'flag' }));
    expect(errorCode(await create(baghdad({ contact: { email: 'not-an-email' } })))).toBe(
      'validation_failed',
    );
    expect(errorCode(await patch(baghdadId, { country: 'JO' }))).toBe('validation_failed');
    expect(errorCode(await patch(baghdadId, {}))).toBe('validation_failed');
  });

  it('refuses unknown countries and regions', async () => {
    const before = await count('posts');
    const c = await create(baghdad({ country: 'XX' }));
    expect(c.statusCode).toBe(400);
    expect(errorCode(c)).toBe('unknown_country');
    const r = await create(baghdad({ district: { regions: ['IQ-ZZ', 'KW-KU'] } }));
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({
      code: 'unknown_region',
      details: { invalid: ['IQ-ZZ', 'KW-KU'], country: 'IQ' },
    });
    expect(await count('posts')).toBe(before);
  });

  it('refuses bad polygons with the reason and where', async () => {
    const jordan = (geometry: unknown) =>
      create({
        kind: 'consulate',
        name: 'Consulate Aqaba',
        city: 'Aqaba',
        country: 'JO',
        location: { lat: 29.53, lon: 35.0 },
        district: { geometry },
      });
    const cases: Array<[unknown, Json]> = [
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [35, 29.3],
              [35.5, 29.8],
              [35.5, 29.3],
              [35, 29.8],
              [35, 29.3],
            ],
          ],
        },
        { reason: 'self_intersection', at: '/district/geometry/coordinates' },
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [35, 29.3],
              [35.5, 29.3],
              [35.5, 29.8],
              [35, 29.8],
            ],
          ],
        },
        { reason: 'unclosed_ring', at: '/district/geometry/coordinates/0' },
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [35, 29.3],
              [35.5, 29.3],
              [35, 29.3],
            ],
          ],
        },
        { reason: 'too_few_points' },
      ],
      [square(179.9, 29, 0.5), { reason: 'out_of_range', at: '/district/geometry/coordinates/0/1' }],
      // (lat, lon) instead of (lon, lat) for a district near 35 E, 105 N... latitude 105 is impossible.
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [29.3, 105],
              [29.8, 105],
              [29.8, 105.5],
              [29.3, 105],
            ],
          ],
        },
        { reason: 'out_of_range', at: '/district/geometry/coordinates/0/0' },
      ],
      // Swapped Aqaba coordinates stay in range but land far from Jordan.
      [square(29.3, 35, 0.4), { reason: 'outside_country' }],
    ];
    for (const [geometry, details] of cases) {
      const res = await jordan(geometry);
      expect(res.statusCode, JSON.stringify(details)).toBe(400);
      expect(res.json().error, JSON.stringify(details)).toMatchObject({ code: 'invalid_geometry', details });
    }
    // Not GeoJSON at all: refused by the schema.
    expect(errorCode(await jordan({ type: 'Point', coordinates: [35, 29.5] }))).toBe('validation_failed');
    expect(errorCode(await jordan({ type: 'Polygon', coordinates: [[['35', 29.3]]] }))).toBe(
      'validation_failed',
    );
    expect((await jordan(square(34.95, 29.3, 0.3))).statusCode).toBe(201);
  });

  it('refuses a district that overlaps another, and writes nothing', async () => {
    const before = {
      posts: await count('posts'),
      regions: await count('post_district_regions'),
      audit: await count('audit_log'),
    };
    const shared = await create(
      baghdad({
        name: 'Consulate Karbala',
        kind: 'consulate',
        city: 'Karbala',
        location: { lat: 32.6, lon: 44.02 },
        district: { regions: ['IQ-KA', 'IQ-NA'] },
      }),
    );
    expect(shared.statusCode).toBe(422);
    expect(shared.json().error).toMatchObject({
      code: 'district_overlap',
      details: { postId: baghdadId, postName: 'Embassy Baghdad', regions: ['IQ-KA'] },
    });
    expect(shared.json().error.details.areaKm2).toBeGreaterThan(1000);
    // A drawn district inside Baghdad governorate.
    const drawn = await create(
      baghdad({ name: 'Office Baghdad', kind: 'office', district: { geometry: square(44.3, 33.2, 0.1) } }),
    );
    expect(drawn.statusCode).toBe(422);
    expect(drawn.json().error.details).toMatchObject({ postId: baghdadId, regions: [] });
    expect(drawn.json().error.details.areaKm2).toBeGreaterThan(50);
    expect({
      posts: await count('posts'),
      regions: await count('post_district_regions'),
      audit: await count('audit_log'),
    }).toEqual(before);

    const najaf = await create(
      baghdad({
        name: 'Consulate Najaf',
        kind: 'consulate',
        city: 'Najaf',
        location: { lat: 32.0, lon: 44.33 },
        district: { regions: ['IQ-NA'] },
      }),
    );
    expect(najaf.statusCode).toBe(201);
    const grab = await patch(najaf.json().post.id, { district: { regions: ['IQ-NA', 'IQ-BG'] } });
    expect(grab.statusCode).toBe(422);
    expect((await get(`/api/posts/${najaf.json().post.id}`)).json().post.district.regions).toEqual(['IQ-NA']);
  });

  it('reports gaps (whole regions, and parts a polygon leaves) and overlaps per country', async () => {
    const res = await get('/api/posts/validation?country=IQ');
    expect(res.statusCode).toBe(200);
    const [iq] = res.json().countries;
    expect(iq).toMatchObject({
      country: 'IQ',
      name: 'Iraq',
      posts: 2,
      ok: false,
      overlaps: [],
      unserved: [],
    });
    const claimed = ['IQ-AN', 'IQ-BG', 'IQ-KA', 'IQ-NA'];
    expect(iq.gaps.map((g: Json) => g.region)).toEqual(
      [
        'IQ-AR',
        'IQ-BA',
        'IQ-BB',
        'IQ-DA',
        'IQ-DI',
        'IQ-DQ',
        'IQ-KI',
        'IQ-MA',
        'IQ-MU',
        'IQ-NI',
        'IQ-QA',
        'IQ-SD',
        'IQ-SU',
        'IQ-WA',
      ].filter((r) => !claimed.includes(r)),
    );
    expect(iq.gaps[0]).toMatchObject({ partial: false });
    expect(iq.gaps[0].areaKm2).toBeGreaterThan(1000);

    const jo = (await get('/api/posts/validation?country=JO')).json().countries[0];
    expect(jo.gaps).toHaveLength(12);
    expect(jo.gaps.find((g: Json) => g.region === 'JO-AQ')).toMatchObject({ partial: true });
    const all = (await get('/api/posts/validation')).json().countries.map((c: Json) => c.country);
    expect(all).toEqual(['IQ', 'JO']);
    expect((await get('/api/posts/validation?country=KW')).json().countries[0]).toMatchObject({
      posts: 0,
      ok: true,
      gaps: [],
    });
    expect(errorCode(await get('/api/posts/validation?country=XX'))).toBe('unknown_country');
  });

  it('limits writes to the posts and countries in scope', async () => {
    const outsider = await h.signIn('officer', ['country:FR']);
    const officer = await h.signIn('officer', ['country:IQ']);
    const postOfficer = await h.signIn('officer', [`post:${baghdadId}`]);
    const crisis = await h.signIn('crisis_manager');
    expect((await patch(baghdadId, { name: 'Embassy of Baghdad' }, outsider)).statusCode).toBe(403);
    // Out of scope is refused whatever the body: no validation detail leaks.
    expect((await patch(baghdadId, { nonsense: true }, outsider)).statusCode).toBe(403);
    expect((await patch(baghdadId, { hours: 'x' }, officer)).statusCode).toBe(400);
    expect((await patch(baghdadId, { name: 'Embassy Baghdad' }, officer)).statusCode).toBe(200);
    expect((await patch(baghdadId, { city: 'Baghdad' }, postOfficer)).statusCode).toBe(200);
    expect(
      (await create(baghdad({ country: 'LB', location: { lat: 33.9, lon: 35.5 }, district: {} }), officer))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await create(
          baghdad({
            name: 'Embassy Beirut',
            city: 'Beirut',
            country: 'LB',
            location: { lat: 33.9, lon: 35.5 },
            district: {},
          }),
          crisis,
        )
      ).statusCode,
    ).toBe(201);
    const viewer = await h.signIn('viewer');
    expect((await get('/api/posts/validation', viewer)).statusCode).toBe(200);
    expect((await patch(baghdadId, { name: 'X' }, viewer)).statusCode).toBe(403);
  });

  it('sets and clears the coverage delegate; refuses unknown delegates and itself', async () => {
    const put = (id: string, coverageDelegateId: string | null) =>
      h.app.inject({
        method: 'PUT',
        url: `/api/posts/${id}/coverage`,
        headers: admin.headers,
        payload: { coverageDelegateId },
      });
    const najafId = (await get('/api/posts?country=IQ'))
      .json()
      .posts.find((p: Json) => p.name === 'Consulate Najaf').id;
    const set = await put(najafId, baghdadId);
    expect(set.statusCode).toBe(200);
    expect(set.json().post.coverageDelegateId).toBe(baghdadId);
    expect(errorCode(await put(najafId, najafId))).toBe('coverage_loop');
    expect(errorCode(await put(najafId, '00000000-0000-4000-8000-000000000000'))).toBe('validation_failed');
    expect((await put(najafId, null)).json().post.coverageDelegateId).toBeNull();
    const audit = (await get('/api/audit?action=post.coverage&limit=1')).json().entries[0];
    expect(audit.summary).toEqual({
      before: { coverageDelegateId: baghdadId },
      after: { coverageDelegateId: null },
    });
  });
});
