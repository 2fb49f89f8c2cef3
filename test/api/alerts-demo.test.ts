import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoAlerts, loadDemoAlerts } from '../../src/demo/alerts.ts';
import { type DemoPosts, loadDemoPosts } from '../../src/demo/posts.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { createUser } from '../../src/services/auth/users.ts';
import { enrollTraveller, IN_CBD } from '../support/alert-fixtures.ts';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

describe.each(backends())("the demo's alerts on %s", (backend) => {
  let h: ApiHarness;
  let viewer: Caller;
  let posts: DemoPosts;
  let alerts: DemoAlerts;

  beforeAll(async () => {
    h = await createApiHarness(backend);
    for (const [email, role, scope] of [
      ['admin@warden.local', 'admin', []],
      ['crisis@warden.local', 'crisis_manager', []],
      ['officer.iraq@warden.local', 'officer', ['country:IQ']],
    ] as const) {
      await createUser(h.ctx, cliActor, { email, role, scope: [...scope] });
    }
    posts = await loadDemoPosts(h.ctx, cliActor);
    await enrollTraveller(h.ctx, IN_CBD);
    await enrollTraveller(h.ctx, IN_CBD, { language: 'ar' });
    alerts = await loadDemoAlerts(h.ctx, posts, null, cliActor);
    viewer = await h.signIn('viewer');
  }, 60_000);
  afterAll(() => h.dispose());

  const get = async (url: string) =>
    (await h.app.inject({ method: 'GET', url, headers: viewer.headers })).json();

  it('sends the Basrah CBD demonstration alert from Embassy Baghdad, approved by a second person', async () => {
    const { alert } = await get(`/api/alerts/${alerts.basrah}`);
    expect(alert).toMatchObject({
      state: 'sent',
      recipientCount: 2,
      source: `restriction:${posts.restriction}`,
    });
    // The consulate is on ordered departure: its covering post issues, with its assistance block.
    expect(alert.content.postId).toBe(posts.baghdad);
    expect(alert.content.texts.en.sections.assistance).toContain('Embassy Baghdad');
    expect(alert.content.texts.ar.sections.assistance).toContain('Embassy Baghdad');
    expect(alert.content.cap.responseType).toEqual(['Avoid', 'Monitor']);
    expect(alert.approval.by).not.toBe(alert.createdBy);
    const { total } = await get(`/api/alerts/${alerts.basrah}/deliveries`);
    expect(total).toBe(2);
    const notice = (await get('/api/tasks?kind=public_notice')).tasks[0];
    expect(notice).toMatchObject({
      status: 'resolved',
      resolution: { link: { kind: 'alert', id: alerts.basrah } },
    });
  });

  it('has one exercise sent and one alert waiting for approval', async () => {
    expect((await get(`/api/alerts/${alerts.exercise}`)).alert).toMatchObject({
      state: 'sent',
      content: { status: 'Exercise' },
    });
    const queue = (await get('/api/alerts?state=pending_approval')).alerts;
    expect(queue.map((a: { id: string }) => a.id)).toEqual([alerts.pending]);
  });
});
