import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoPosts, loadDemoPosts } from '../../src/demo/posts.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { createUser } from '../../src/services/auth/users.ts';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

describe.each(backends())("the demo's posts on %s", (backend) => {
  let h: ApiHarness;
  let viewer: Caller;
  let demo: DemoPosts;
  const users: Record<string, string> = {};

  beforeAll(async () => {
    h = await createApiHarness(backend);
    for (const [email, role] of [
      ['admin@warden.local', 'admin'],
      ['crisis@warden.local', 'crisis_manager'],
    ] as const) {
      users[role] = (await createUser(h.ctx, cliActor, { email, role })).user.id;
    }
    demo = await loadDemoPosts(h.ctx, cliActor);
    viewer = await h.signIn('viewer');
  });
  afterAll(() => h.dispose());

  const get = async (url: string) =>
    (await h.app.inject({ method: 'GET', url, headers: viewer.headers })).json();

  it("covers all of Iraq's 18 governorates, with no gap or overlap", async () => {
    const { posts } = await get('/api/posts?country=IQ');
    expect(posts.map((p: Json) => p.name)).toEqual([
      'Consulate General Basrah',
      'Consulate General Erbil',
      'Embassy Baghdad',
    ]);
    const regions = posts.flatMap((p: { district: { regions: string[] } }) => p.district.regions);
    expect(regions).toHaveLength(18);
    expect(new Set(regions).size).toBe(18);
    const erbil = posts.find((p: Json) => p.id === demo.erbil);
    expect(erbil.district.regions).toEqual(['IQ-AR', 'IQ-DA', 'IQ-SU']);
    expect((await get('/api/posts/validation?country=IQ')).countries[0]).toMatchObject({
      ok: true,
      overlaps: [],
      gaps: [],
      unserved: [],
    });
  });

  it('has Basrah on ordered departure since September 2018, approved by a second person, covered by Baghdad', async () => {
    const { history } = await get(`/api/posts/${demo.basrah}/posture`);
    expect(history.map((c: Json) => c.state)).toEqual(['ordered_departure', 'normal']);
    const od = history[0];
    expect(od).toMatchObject({
      departure: { staff: 'ordered', family: 'ordered' },
      services: { citizenServices: false, visas: false, walkIn: false },
      coverageDelegateId: demo.baghdad,
      createdBy: `user:${users.crisis_manager}`,
      approvedBy: `user:${users.admin}`,
      statement: { by: 'Secretary of State' },
    });
    expect(od.effectiveAt.slice(0, 7)).toBe('2018-09');
    expect(od.statement.text).toMatch(
      /^The Department of State has placed the U\.S\. Consulate General in Basrah on ordered departure\./,
    );
    expect(od.statement.text).toMatch(
      /Citizen services will be provided by the U\.S\. Embassy in Baghdad\.$/,
    );
    const cov = (
      await h.app.inject({ method: 'GET', url: '/api/public/coverage?lat=30.51&lon=47.81' })
    ).json();
    expect(cov).toMatchObject({
      post: { id: demo.baghdad, contact: { phone: '+964 760 030 3000' } },
      districtPost: { id: demo.basrah },
    });
    expect((await get('/api/tasks?kind=advisory_review&country=IQ')).tasks).toHaveLength(1);
  });

  it("restricts staff movement in Basrah's central business district", async () => {
    const { restrictions } = await get(`/api/posts/${demo.basrah}/restrictions`);
    expect(restrictions).toHaveLength(1);
    expect(restrictions[0].reason).toContain('Basrah central business district');
    const ring = restrictions[0].geometry.coordinates[0] as number[][];
    for (const [lon, lat] of ring) {
      expect(lon).toBeGreaterThanOrEqual(47.78);
      expect(lon).toBeLessThanOrEqual(47.83);
      expect(lat).toBeGreaterThanOrEqual(30.5);
      expect(lat).toBeLessThanOrEqual(30.53);
    }
    const notice = (await get('/api/tasks?kind=public_notice')).tasks[0];
    // Open until the demo's alert is sent, which links it (test/api/alerts-demo.test.ts).
    expect(notice).toMatchObject({ status: 'open', subject: `restriction:${restrictions[0].id}` });
  });
});
