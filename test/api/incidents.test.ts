import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellOf } from '../../src/domain/incidents/cells.ts';
import { CELL_SQL } from '../../src/store/migrations/0007_incidents_perf.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { createPostViaApi, postBody } from '../support/factories.ts';

type Json = Record<string, unknown>;

/** Rocket fire 1.2 km north-east of the (demo) consulate in Basrah. */
const rockets = (over: Json = {}): Json => ({
  occurredAt: '2018-09-27T21:40:00Z',
  timePrecision: 'exact',
  location: { lat: 30.518, lon: 47.819, precision: 'exact', place: 'Basrah airport road' },
  type: 'explosions_remote_violence',
  subType: 'shelling_artillery_missile_attack',
  target: { text: 'Consulate General Basrah' },
  actors: [
    { name: "Kata'ib Hezbollah", type: 'political_militia', role: 'perpetrator', confidence: 'suspected' },
  ],
  fatalities: 0,
  injuries: 1,
  sources: ['Post security report', ' Post security report '],
  notes: 'Two rockets landed near the consulate perimeter.',
  ...over,
});

describe.each(backends())('incidents on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let officer: Caller;
  let outsider: Caller;
  let viewer: Caller;
  const posts = { basrah: '', baghdad: '' };

  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    officer = await h.signIn('officer', ['country:IQ']);
    outsider = await h.signIn('officer', ['country:FR']);
    viewer = await h.signIn('viewer');
    posts.basrah = await createPostViaApi(h, admin, postBody('basrah'));
    posts.baghdad = await createPostViaApi(h, admin, postBody('baghdad'));
  });
  afterAll(() => h.dispose());

  const send = (method: 'POST' | 'PATCH', url: string, payload: unknown, who: Caller = officer) =>
    h.app.inject({ method, url, headers: who.headers, payload: payload as Json });
  const get = (url: string, who: Caller = viewer) =>
    h.app.inject({ method: 'GET', url, headers: who.headers });
  const create = async (over: Json = {}, who: Caller = officer) => {
    const res = await send('POST', '/api/incidents', rockets(over), who);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().incident as Json & { id: string };
  };

  let first = '';

  it('logs an incident: country and region from the point, actors matched or created, linked to the post near it, audited', async () => {
    const incident = await create();
    first = incident.id;
    expect(incident).toMatchObject({
      eventId: null,
      occurredAt: '2018-09-27T21:40:00.000Z',
      timePrecision: 'exact',
      location: { lat: 30.518, lon: 47.819, precision: 'exact', place: 'Basrah airport road' },
      country: 'IQ',
      region: 'IQ-BA',
      type: 'explosions_remote_violence',
      typeLabel: 'Explosions/Remote violence',
      subTypeLabel: 'Shelling/artillery/missile attack',
      actors: [
        {
          name: "Kata'ib Hezbollah",
          type: 'political_militia',
          role: 'perpetrator',
          confidence: 'suspected',
        },
      ],
      fatalities: 0,
      injuries: 1,
      sources: ['Post security report'],
      version: 1,
      retraction: null,
      createdBy: `user:${officer.userId}`,
    });
    const links = incident.posts as Array<{ postId: string; distanceKm: number }>;
    expect(links).toHaveLength(1);
    expect(links[0]!.postId).toBe(posts.basrah);
    expect(links[0]!.distanceKm).toBeCloseTo(1.22, 1);
    expect((await get(`/api/incidents/${first}`)).json().incident).toEqual(incident);

    // The same name (other case and spacing) is the same actor; an id works too.
    const kh = (incident.actors as Json[])[0]!.actorId as string;
    const again = await create({
      occurredAt: '2018-09-26T10:00:00Z',
      actors: [
        { name: "  kata'ib   HEZBOLLAH ", role: 'perpetrator', confidence: 'claimed' },
        { actorId: kh, role: 'perpetrator', confidence: 'claimed' },
        { name: 'Civilians (Iraq)', type: 'civilians', role: 'target', confidence: 'confirmed' },
      ],
    });
    expect((again.actors as Json[]).map((a) => [a.actorId === kh, a.role, a.confidence])).toEqual([
      [true, 'perpetrator', 'claimed'],
      [false, 'target', 'confirmed'],
    ]);
    const audit = (await get('/api/audit?action=incident.create&limit=5', admin)).json().entries;
    expect(audit[audit.length - 1]).toMatchObject({
      target: `incident:${first}`,
      actor: `user:${officer.userId}`,
      summary: { after: { country: 'IQ', region: 'IQ-BA', type: 'explosions_remote_violence' } },
    });
  });

  it('refuses what it cannot place, type or attribute, precisely', async () => {
    const bad = async (over: Json, field: string, code = 'validation_failed') => {
      const res = await send('POST', '/api/incidents', rockets(over));
      expect(res.statusCode, res.body).toBe(code === 'unknown_actor' ? 400 : 400);
      expect(errorCode(res)).toBe(code);
      expect(JSON.stringify(res.json().error.details)).toContain(field);
    };
    await bad({ subType: 'armed_clash' }, 'subType');
    await bad({ type: 'floods' }, 'body/type');
    await bad({ location: { lat: 0, lon: -30 } }, 'location');
    await bad({ location: { lat: 91, lon: 47 } }, 'body/location/lat');
    await bad({ occurredAt: '2999-01-01T00:00:00Z' }, 'occurredAt');
    await bad({ target: { postId: '00000000-0000-4000-8000-000000000000' } }, 'target/postId');
    await bad(
      {
        actors: [
          { actorId: '00000000-0000-4000-8000-000000000000', role: 'perpetrator', confidence: 'suspected' },
        ],
      },
      'actors/0/actorId',
      'unknown_actor',
    );
    await bad({ actors: [{ name: 'X', role: 'bystander', confidence: 'suspected' }] }, 'actors');
    await bad({ colour: 'red' }, 'colour');
  });

  it('versions every edit, recomputes post links when the point moves, and refuses a stale version', async () => {
    const moved = await send('PATCH', `/api/incidents/${first}`, {
      location: { lat: 33.305, lon: 44.395, precision: 'near' },
      fatalities: 2,
      target: { postId: posts.baghdad },
      version: 1,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = moved.json().incident;
    expect(after).toMatchObject({
      version: 2,
      region: 'IQ-BG',
      fatalities: 2,
      location: { precision: 'near', place: 'Basrah airport road' },
      target: { postId: posts.baghdad, text: 'Consulate General Basrah' },
      updatedBy: `user:${officer.userId}`,
    });
    expect(after.posts.map((p: Json) => p.postId)).toEqual([posts.baghdad]);
    expect(after.posts[0].distanceKm).toBeLessThan(1);

    const stale = await send('PATCH', `/api/incidents/${first}`, { fatalities: 3, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'conflict', details: { version: 2 } });
    expect(errorCode(await send('PATCH', `/api/incidents/${first}`, { type: 'protests' }))).toBe(
      'validation_failed',
    );

    const { versions } = (await get(`/api/incidents/${first}/versions`)).json();
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      version: 1,
      replacedBy: `user:${officer.userId}`,
      state: { version: 1, region: 'IQ-BA', fatalities: 0, location: { lat: 30.518 } },
    });
    const audit = (await get('/api/audit?action=incident.update&limit=1', admin)).json().entries[0];
    expect(audit.summary.changed).toEqual(
      expect.arrayContaining(['location', 'fatalities', 'targetPostId', 'region']),
    );
    expect(audit.summary).toMatchObject({ version: 2, before: { fatalities: 0 }, after: { fatalities: 2 } });
  });

  it('retracts with a reason: hidden from searches by default, kept with its history, no further edits', async () => {
    const doomed = await create({ occurredAt: '2018-09-20T12:00:00Z', notes: 'Reported twice.' });
    const res = await send('POST', `/api/incidents/${doomed.id}/retract`, {
      reason: 'Duplicate of another report.',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().incident).toMatchObject({
      version: 2,
      retraction: { by: `user:${officer.userId}`, reason: 'Duplicate of another report.' },
    });
    const ids = async (q: string) =>
      (await get(`/api/incidents?${q}`)).json().incidents.map((i: Json) => i.id) as string[];
    expect(await ids('country=IQ')).not.toContain(doomed.id);
    expect(await ids('country=IQ&includeRetracted=true')).toContain(doomed.id);
    expect(await ids(`postId=${posts.basrah}`)).not.toContain(doomed.id);
    expect((await get(`/api/incidents/${doomed.id}`)).json().incident.retraction).not.toBeNull();
    const edit = await send('PATCH', `/api/incidents/${doomed.id}`, { fatalities: 1 });
    expect(edit.statusCode).toBe(409);
    expect(errorCode(edit)).toBe('incident_retracted');
    expect(errorCode(await send('POST', `/api/incidents/${doomed.id}/retract`, { reason: 'Again.' }))).toBe(
      'incident_retracted',
    );
    expect(
      (await get(`/api/incidents/${doomed.id}/versions`)).json().versions[0].state.retraction,
    ).toBeNull();
    expect(errorCode(await send('POST', `/api/incidents/${doomed.id}/retract`, {}))).toBe(
      'validation_failed',
    );
  });

  it('searches by box, time, type, actor, post and country, newest first, page by page', async () => {
    const protest = await create({
      occurredAt: '2018-09-05T09:00:00Z',
      timePrecision: 'day',
      location: { lat: 30.512, lon: 47.8, precision: 'near' },
      type: 'protests',
      subType: 'peaceful_protest',
      actors: [{ name: 'Protesters (Iraq)', type: 'protesters', role: 'other', confidence: 'confirmed' }],
      target: {},
      injuries: null,
    });
    const mosul = await create({
      occurredAt: '2018-08-01T06:00:00Z',
      location: { lat: 36.34, lon: 43.13 },
      type: 'battles',
      subType: 'armed_clash',
      actors: [
        { name: 'Islamic State (Iraq)', type: 'rebel_group', role: 'perpetrator', confidence: 'confirmed' },
      ],
    });
    const ids = async (q: string) => {
      const res = await get(`/api/incidents?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().incidents.map((i: Json) => i.id) as string[];
    };
    const basrahBox = 'bbox=47.6,30.3,48.0,30.7';
    expect(await ids(basrahBox)).toEqual(expect.arrayContaining([protest.id]));
    expect(await ids(basrahBox)).not.toContain(mosul.id);
    expect(await ids(basrahBox)).not.toContain(first); // moved to Baghdad
    expect(await ids('bbox=43,36,43.5,36.5')).toEqual([mosul.id]);
    expect(await ids(`${basrahBox}&from=2018-09-01&to=2018-09-05`)).toEqual([protest.id]);
    expect(await ids('type=protests')).toEqual([protest.id]);
    expect(await ids('type=armed_clash,peaceful_protest')).toEqual([protest.id, mosul.id]);
    expect(await ids('actor=islamic%20state%20(iraq)')).toEqual([mosul.id]);
    expect(await ids('actor=Nobody%20at%20all')).toEqual([]);
    expect(await ids(`postId=${posts.baghdad}`)).toEqual([first]);
    expect(await ids('country=JO')).toEqual([]);

    const all = await ids('country=IQ&limit=100');
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/incidents?country=IQ&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...res.json().incidents.map((i: Json) => i.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    // The same through the viewport path (several countries in view), one at a time.
    const inBox = await ids('bbox=44,29,49,34');
    expect(inBox.length).toBeGreaterThan(2);
    const boxPaged: string[] = [];
    cursor = null;
    do {
      const res = await get(`/api/incidents?bbox=44,29,49,34&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      boxPaged.push(...res.json().incidents.map((i: Json) => i.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(boxPaged).toEqual(inBox);
    const times = (await get('/api/incidents?country=IQ')).json().incidents.map((i: Json) => i.occurredAt);
    expect(times).toEqual([...times].sort().reverse());

    for (const q of [
      'bbox=1,2,3',
      'bbox=0,50,10,40',
      'from=yesterday',
      'type=floods',
      'cursor=nonsense',
      'limit=0',
    ]) {
      expect(errorCode(await get(`/api/incidents?${q}`)), q).toBe('validation_failed');
    }
    expect(errorCode(await get('/api/incidents?country=XX'))).toBe('unknown_country');
  });

  it('exports GeoJSON points ([lon, lat]) with the same filters', async () => {
    const res = await get('/api/incidents.geojson?bbox=47.6,30.3,48.0,30.7&type=protests');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.nextCursor).toBeNull();
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0]).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [47.8, 30.512] },
      properties: {
        type: 'protests',
        subType: 'peaceful_protest',
        subTypeLabel: 'Peaceful protest',
        country: 'IQ',
        region: 'IQ-BA',
        geoPrecision: 'near',
        actors: [{ name: 'Protesters (Iraq)', role: 'other', confidence: 'confirmed' }],
        retracted: false,
      },
    });
    expect(fc.features[0].properties.posts[0].postId).toBe(posts.basrah);
    expect((await h.app.inject({ method: 'GET', url: '/api/incidents.geojson' })).statusCode).toBe(401);
  });

  it('gives the map layer only what a point needs, from the map index, the same incidents as the full export', async () => {
    const fc = async (q: string) => {
      const res = await get(`/api/incidents.geojson?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { features: Json[]; nextCursor: string | null };
    };
    const idsOf = (c: { features: Json[] }) => c.features.map((f) => f.id as string);
    const box = 'bbox=44,29,49,34';
    const full = await fc(box);
    const light = await fc(`${box}&fields=map`);
    expect(light.features.length).toBeGreaterThan(2);
    expect(idsOf(light)).toEqual(idsOf(full));
    const f0 = full.features[0] as { id: string; geometry: Json; properties: Json };
    expect(light.features[0]).toEqual({
      type: 'Feature',
      id: f0.id,
      geometry: f0.geometry,
      properties: {
        id: f0.id,
        type: f0.properties.type,
        typeLabel: f0.properties.typeLabel,
        occurredAt: f0.properties.occurredAt,
      },
    });
    // Page by page, and with a time window.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await fc(`${box}&fields=map&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...idsOf(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(idsOf(light));
    const window = await fc(`${box}&fields=map&from=2018-09-01&to=2018-09-10`);
    expect(idsOf(window)).toEqual(idsOf(await fc(`${box}&from=2018-09-01&to=2018-09-10`)));
    // Retracted incidents are not on the map unless asked for (then read from the table).
    expect((await fc(`${box}&fields=map&includeRetracted=true`)).features.length).toBeGreaterThan(
      light.features.length,
    );
    // A box too large for the map index (a continent) is read by time, with the same answer.
    expect(idsOf(await fc('bbox=20,10,70,45&fields=map'))).toEqual(idsOf(await fc('bbox=20,10,70,45')));
    expect(idsOf(await fc('bbox=20,10,70,45&fields=map'))).toEqual(expect.arrayContaining(idsOf(light)));
    // Box edges are inclusive, wherever they fall in a cell.
    const point = (light.features[0] as { geometry: { coordinates: [number, number] } }).geometry.coordinates;
    const [lon, lat] = point;
    expect(idsOf(await fc(`bbox=${lon},${lat},${lon + 0.01},${lat + 0.01}&fields=map`))).toContain(f0.id);
    expect(idsOf(await fc(`bbox=${lon - 0.01},${lat - 0.01},${lon},${lat}&fields=map`))).toContain(f0.id);
    expect(
      idsOf(await fc(`bbox=${lon + 0.001},${lat},${lon + 0.01},${lat + 0.01}&fields=map`)),
    ).not.toContain(f0.id);
  });

  it('numbers map cells in SQL as the application does (migration 0007 fills existing rows so)', async () => {
    const points: Array<[number, number]> = [
      [0, 0],
      [30.512, 47.8],
      [-0.5, -0.5],
      [-1e-9, 1e-9],
      [89.99, 179.99],
      [90, 180],
      [-90, -180],
      [-33.9, 151.2],
      [64.1, -21.9],
    ];
    for (const [lat, lon] of points) {
      const { rows } = await sql<{ c: number }>`SELECT ${sql.raw(CELL_SQL[backend])} AS c
        FROM (SELECT CAST(${lat} AS double precision) AS lat, CAST(${lon} AS double precision) AS lon) AS p`.execute(
        h.ctx.store.db,
      );
      expect(Number(rows[0]!.c), `${lat},${lon}`).toBe(cellOf(lat, lon));
    }
  });

  it('seeds an alert draft: a circle sized by precision, the time, a headline and a factual description', async () => {
    const res = await get(`/api/incidents/${first}/alert-seed`);
    expect(res.statusCode).toBe(200);
    const seed = res.json();
    expect(seed).toEqual({
      area: { circle: { lat: 33.305, lon: 44.395, radiusKm: 10 } },
      time: '2018-09-27T21:40:00.000Z',
      headline: 'Shelling/artillery/missile attack near Basrah airport road',
      description: expect.stringContaining('On 27 September 2018 at 21:40 UTC'),
    });
    expect(seed.description).toContain("Attributed to Kata'ib Hezbollah (suspected).");
    expect(seed.description).toContain('Target: Embassy Baghdad.');
    expect(seed.description).toContain('2 fatalities and 1 injury reported.');
    expect((await get('/api/incidents/00000000-0000-4000-8000-000000000000/alert-seed')).statusCode).toBe(
      404,
    );
  });

  it('serves an Atom feed to staff only: sign-in or a bearer API token', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/feeds/incidents.atom' })).statusCode).toBe(401);
    const token = await h.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: viewer.headers,
      payload: { name: 'feed reader' },
    });
    const secret = token.json().secret as string;
    const res = await h.app.inject({
      method: 'GET',
      url: '/feeds/incidents.atom?country=IQ&limit=10',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    const feed = new XMLParser({ ignoreAttributes: false }).parse(res.body).feed;
    const entries = Array.isArray(feed.entry) ? feed.entry : [feed.entry];
    expect(entries.length).toBeGreaterThanOrEqual(3);
    const rocket = entries.find((e: Json) => e.id === `urn:warden:incident:${first}`);
    expect(rocket.title['#text']).toBe('Shelling/artillery/missile attack: Basrah airport road (Iraq)');
    expect(rocket.summary['#text']).toContain("Kata'ib Hezbollah (perpetrator, suspected)");
    expect(rocket.summary['#text']).toContain('Near Embassy Baghdad');
    expect(res.body).not.toContain('<script');
    const bad = await h.app.inject({
      method: 'GET',
      url: '/feeds/incidents.atom',
      headers: { authorization: 'Bearer wdn_not-a-token' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('lets viewers read but not write, and officers write only in their countries', async () => {
    expect((await send('POST', '/api/incidents', rockets(), viewer)).statusCode).toBe(403);
    const out = await send('POST', '/api/incidents', rockets(), outsider);
    expect(out.statusCode).toBe(403);
    expect(errorCode(out)).toBe('forbidden');
    expect((await send('PATCH', `/api/incidents/${first}`, { fatalities: 9 }, outsider)).statusCode).toBe(
      403,
    );
    expect(
      (await send('POST', `/api/incidents/${first}/retract`, { reason: 'x' }, outsider)).statusCode,
    ).toBe(403);
    // An officer of one post logs and edits what happens near it, and nothing else.
    const postOfficer = await h.signIn('officer', [`post:${posts.basrah}`]);
    const nearBasrah = await send('POST', '/api/incidents', rockets(), postOfficer);
    expect(nearBasrah.statusCode, nearBasrah.body).toBe(201);
    const id = nearBasrah.json().incident.id;
    expect((await send('PATCH', `/api/incidents/${id}`, { fatalities: 1 }, postOfficer)).statusCode).toBe(
      200,
    );
    const away = await send(
      'PATCH',
      `/api/incidents/${id}`,
      { location: { lat: 33.305, lon: 44.395 } },
      postOfficer,
    );
    expect(away.statusCode).toBe(403);
    expect(
      (await send('POST', '/api/incidents', rockets({ location: { lat: 33.305, lon: 44.395 } }), postOfficer))
        .statusCode,
    ).toBe(403);
    expect((await send('PATCH', `/api/incidents/${first}`, { fatalities: 1 }, postOfficer)).statusCode).toBe(
      403,
    );
    // An Iraqi officer may not move an incident out of Iraq either.
    const toJordan = await send('PATCH', `/api/incidents/${first}`, { location: { lat: 31.95, lon: 35.91 } });
    expect(toJordan.statusCode).toBe(403);
    const crisis = await h.signIn('crisis_manager');
    const jordan = await send(
      'POST',
      '/api/incidents',
      rockets({ location: { lat: 31.95, lon: 35.91 } }),
      crisis,
    );
    expect(jordan.statusCode).toBe(201);
    expect(jordan.json().incident).toMatchObject({ country: 'JO', posts: [] });
    expect((await get('/api/incidents/nope!')).statusCode).toBe(400);
    expect((await get('/api/incidents/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('links incidents to a post created or moved after them, with distances', async () => {
    const far = await create({ occurredAt: '2018-09-01T00:00:00Z', location: { lat: 32.0, lon: 44.33 } });
    expect(far.posts).toEqual([]);
    const najaf = (
      await h.app.inject({
        method: 'POST',
        url: '/api/posts',
        headers: admin.headers,
        payload: {
          kind: 'office',
          name: 'Office Najaf',
          city: 'Najaf',
          country: 'IQ',
          location: { lat: 32.05, lon: 44.35 },
        },
      })
    ).json().post.id as string;
    const near = async () =>
      (await get(`/api/incidents?postId=${najaf}`))
        .json()
        .incidents.map((i: Json) => [i.id, (i.posts as Json[])[0]]);
    const [[id, link]] = await near();
    expect(id).toBe(far.id);
    expect((link as { distanceKm: number }).distanceKm).toBeCloseTo(5.9, 0);
    // Moved 60 km away: the link goes.
    const move = await h.app.inject({
      method: 'PATCH',
      url: `/api/posts/${najaf}`,
      headers: admin.headers,
      payload: { location: { lat: 32.5, lon: 44.0 } },
    });
    expect(move.statusCode, move.body).toBe(200);
    expect(await near()).toEqual([]);
  });
});
