import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

describe.each(backends())('actors and their relations on %s', (backend) => {
  let h: ApiHarness;
  let officer: Caller;
  let viewer: Caller;

  beforeAll(async () => {
    h = await createApiHarness(backend);
    officer = await h.signIn('officer', ['country:FR']);
    viewer = await h.signIn('viewer');
  });
  afterAll(() => h.dispose());

  const post = (url: string, payload: Json, who: Caller = officer) =>
    h.app.inject({ method: 'POST', url, headers: who.headers, payload });
  const get = (url: string) => h.app.inject({ method: 'GET', url, headers: viewer.headers });
  const actor = async (name: string, type: string) => {
    const res = await post('/api/actors', { name, type });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().actor.id as string;
  };
  const relate = (from: string, relation: string, to: string, confidence = 'confirmed') =>
    post(`/api/actors/${from}/relations`, { relation, toActorId: to, confidence });

  const ids: Record<string, string> = {};

  it('creates actors with unique names (case and spacing ignored)', async () => {
    ids.quds = await actor('Islamic Revolutionary Guard Corps - Quds Force', 'external_forces');
    ids.kh = await actor("Kata'ib Hezbollah", 'political_militia');
    ids.pmf = await actor('Popular Mobilization Forces', 'political_militia');
    const dup = await post('/api/actors', { name: "  KATA'IB   hezbollah ", type: 'unknown' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'actor_exists', details: { actorId: ids.kh } });
    expect(errorCode(await post('/api/actors', { name: 'X', type: 'mercenaries' }))).toBe(
      'validation_failed',
    );
    expect((await post('/api/actors', { name: 'Y', type: 'unknown' }, viewer)).statusCode).toBe(403);
    const { actors } = (await get('/api/actors?q=HEZBOLLAH')).json();
    expect(actors.map((a: Json) => a.name)).toEqual(["Kata'ib Hezbollah"]);
    expect((await get('/api/actors?type=external_forces')).json().actors).toHaveLength(1);
    expect((await get('/api/actors?q=%25')).json().actors).toEqual([]);
  });

  it("represents a militia directed by a foreign state's forces, with the attribution's confidence", async () => {
    const res = await relate(ids.kh!, 'directed_by', ids.quds!, 'suspected');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().relation).toMatchObject({
      relation: 'directed_by',
      confidence: 'suspected',
      from: { id: ids.kh, name: "Kata'ib Hezbollah", type: 'political_militia' },
      to: { id: ids.quds, name: 'Islamic Revolutionary Guard Corps - Quds Force', type: 'external_forces' },
      createdBy: `user:${officer.userId}`,
    });
    expect((await relate(ids.kh!, 'part_of', ids.pmf!)).statusCode).toBe(201);
    const dup = await relate(ids.kh!, 'directed_by', ids.quds!, 'confirmed');
    expect(dup.statusCode).toBe(409);
    expect(errorCode(dup)).toBe('conflict');
    const { actor } = (await get(`/api/actors/${ids.kh}`)).json();
    expect(actor.relations.map((r: Json) => [r.relation, (r.to as Json).name])).toEqual([
      ['directed_by', 'Islamic Revolutionary Guard Corps - Quds Force'],
      ['part_of', 'Popular Mobilization Forces'],
    ]);
    expect(actor.incidentCount).toBe(0);
    // Both directions are listed.
    const quds = (await get(`/api/actors/${ids.quds}`)).json().actor;
    expect(quds.relations.map((r: Json) => (r.from as Json).id)).toEqual([ids.kh]);
    // directed_by may go both ways in a tangled world; only part_of must not loop.
    expect((await relate(ids.quds!, 'facilitated_by', ids.kh!, 'claimed')).statusCode).toBe(201);
  });

  it('refuses part_of loops (and self relations), naming the loop', async () => {
    const brigade = await actor('Brigade 45', 'political_militia');
    const battalion = await actor('Battalion 3', 'political_militia');
    expect((await relate(battalion, 'part_of', brigade)).statusCode).toBe(201);
    expect((await relate(brigade, 'part_of', ids.kh!)).statusCode).toBe(201);
    // Kata'ib Hezbollah part_of Battalion 3 would close kh -> battalion -> brigade -> kh.
    const cycle = await relate(ids.kh!, 'part_of', battalion);
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().error).toMatchObject({ code: 'relation_cycle' });
    expect(cycle.json().error.details.path).toEqual([ids.kh, battalion, brigade, ids.kh]);
    // A longer loop through the PMF (kh is part of it): pmf -> battalion -> brigade -> kh -> pmf.
    const longer = await relate(ids.pmf!, 'part_of', battalion);
    expect(longer.json().error.details.path).toEqual([ids.pmf, battalion, brigade, ids.kh, ids.pmf]);
    // Without a loop, a second parent is fine.
    expect((await relate(battalion, 'part_of', ids.pmf!)).statusCode).toBe(201);
    const self = await relate(brigade, 'directed_by', brigade);
    expect(self.statusCode).toBe(422);
    expect(self.json().error.details.path).toEqual([brigade, brigade]);
    expect(errorCode(await relate(brigade, 'part_of', '00000000-0000-4000-8000-000000000000'))).toBe(
      'unknown_actor',
    );
    expect(errorCode(await relate(brigade, 'allied_with', battalion))).toBe('validation_failed');
    expect((await relate('00000000-0000-4000-8000-000000000000', 'part_of', brigade)).statusCode).toBe(404);
  });

  it('renames, retypes and removes relations, audited', async () => {
    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/api/actors/${ids.pmf}`,
      headers: officer.headers,
      payload: { name: 'PMF: Popular Mobilization Forces', notes: 'State-sanctioned umbrella.' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().actor).toMatchObject({
      name: 'PMF: Popular Mobilization Forces',
      notes: 'State-sanctioned umbrella.',
    });
    const clash = await h.app.inject({
      method: 'PATCH',
      url: `/api/actors/${ids.pmf}`,
      headers: officer.headers,
      payload: { name: "kata'ib hezbollah" },
    });
    expect(errorCode(clash)).toBe('actor_exists');
    const rel = (await get(`/api/actors/${ids.kh}`))
      .json()
      .actor.relations.find((r: Json) => r.relation === 'part_of' && (r.from as Json).id === ids.kh);
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/api/actors/${ids.kh}/relations/${rel.id}`,
      headers: officer.headers,
    });
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json().relation).toMatchObject({ relation: 'part_of', to: { id: ids.pmf } });
    const again = await h.app.inject({
      method: 'DELETE',
      url: `/api/actors/${ids.kh}/relations/${rel.id}`,
      headers: officer.headers,
    });
    expect(again.statusCode).toBe(404);
    const admin = await h.signIn('admin');
    const audit = (
      await h.app.inject({ method: 'GET', url: '/api/audit?limit=50', headers: admin.headers })
    ).json().entries as Json[];
    const actions = new Set(audit.map((e) => e.action));
    for (const a of ['actor.create', 'actor.update', 'actor.relate', 'actor.unrelate'])
      expect(actions).toContain(a);
  });

  it('counts the incidents that name an actor', async () => {
    const crisis = await h.signIn('crisis_manager');
    const res = await post(
      '/api/incidents',
      {
        occurredAt: '2018-09-27T21:40:00Z',
        location: { lat: 33.303, lon: 44.385 },
        type: 'explosions_remote_violence',
        subType: 'shelling_artillery_missile_attack',
        actors: [{ actorId: ids.kh, role: 'perpetrator', confidence: 'suspected' }],
      },
      crisis,
    );
    expect(res.statusCode, res.body).toBe(201);
    expect((await get(`/api/actors/${ids.kh}`)).json().actor.incidentCount).toBe(1);
    expect((await get('/api/actors/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
