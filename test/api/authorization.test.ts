import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRule } from '../../src/domain/auth/policy.ts';
import type { Role } from '../../src/domain/auth/principal.ts';
import { createDraft } from '../../src/services/advisories/editions.ts';
import { createAlert, startAlert } from '../../src/services/alerts/compose.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { enqueueDeliveries } from '../../src/services/deliveries/enqueue.ts';
import { enroll } from '../../src/services/enrollments/enrollments.ts';
import { createIncident } from '../../src/services/incidents/incidents.ts';
import {
  createOrganisation,
  createOrganisationToken,
} from '../../src/services/organisations/organisations.ts';
import { createPost } from '../../src/services/posts/posts.ts';
import { changePosture } from '../../src/services/posts/posture.ts';
import { createRestriction } from '../../src/services/posts/restrictions.ts';
import { insertAlert } from '../../src/store/alerts/alerts.ts';
import { insertNotice } from '../../src/store/subscriptions/notices.ts';
import { sentAlert } from '../fixtures/alerts/basrah.ts';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Expected = 'public' | 'authenticated' | 'organisation' | readonly Role[] | { scoped: readonly Role[] };

/**
 * Every route and who may call it. A route added without a line here fails this test, so no
 * route ships without someone deciding its rule. HEAD routes follow their GET.
 */
const EXPECTED: Record<string, Expected> = {
  'GET /healthz': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': 'authenticated',
  'POST /api/auth/password': 'authenticated',
  'GET /api/auth/sessions': 'authenticated',
  'DELETE /api/auth/sessions/:id': 'authenticated',
  'POST /api/auth/sign-out-everywhere': 'authenticated',
  'GET /api/users/directory': 'authenticated',
  'POST /api/users/:id/password-reset': ['admin'],
  'GET /api/users': ['admin'],
  'POST /api/users': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'GET /api/tokens': 'authenticated',
  'POST /api/tokens': 'authenticated',
  'DELETE /api/tokens/:id': 'authenticated',
  'GET /api/audit': ['admin'],
  'GET /api/audit/verify': ['admin'],
  'GET /api/audit/checkpoint': ['admin'],
  'POST /api/audit/checkpoint': ['admin'],
  'GET /api/geo/countries': 'public',
  'GET /api/geo/countries.geojson': 'public',
  'GET /api/geo/regions': 'public',
  'GET /api/geo/regions.geojson': 'public',
  'GET /api/geo/places': 'public',
  'GET /api/geo/cities': 'public',
  // Advisories: staff read everything; writers act in their countries; the public reads current editions.
  'GET /api/advisories': 'authenticated',
  'GET /api/advisories/overdue': 'authenticated',
  'GET /api/advisories/diff': 'authenticated',
  'GET /api/advisories/:country': 'authenticated',
  'POST /api/advisories/:country/editions': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/advisories/:country/review': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/advisory-editions/:id': 'authenticated',
  'PATCH /api/advisory-editions/:id': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'DELETE /api/advisory-editions/:id': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/advisory-editions/:id/publish': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/public/advisories': 'public',
  'GET /api/public/advisories/:country': 'public',
  'GET /feeds/advisories.atom': 'public',
  'GET /geo/advisories.geojson': 'public',
  // Posts, posture, coverage and tasks: staff read everything; writers act on their posts/countries.
  'GET /api/posts': 'authenticated',
  'POST /api/posts': ['admin', 'crisis_manager'],
  'GET /api/posts/validation': 'authenticated',
  'GET /api/posts/:id': 'authenticated',
  'PATCH /api/posts/:id': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'PUT /api/posts/:id/coverage': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/posts/:id/posture': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/posts/:id/posture': 'authenticated',
  'POST /api/posts/:id/restrictions': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/posts/:id/restrictions': 'authenticated',
  'GET /api/posture-requests': 'authenticated',
  'GET /api/posture-requests/:id': 'authenticated',
  'PATCH /api/posture-requests/:id': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/posture-requests/:id/approve': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/posture-requests/:id/reject': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/tasks': 'authenticated',
  'POST /api/tasks/:id/resolve': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/public/posts': 'public',
  'GET /api/public/coverage': 'public',
  // Rosters: personal data for writers in scope; the board's counts for viewers too.
  'GET /api/posts/:id/roster': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/posts/:id/roster': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/posts/:id/roster/import': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'PUT /api/posts/:id/roster/:memberId/status': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'DELETE /api/posts/:id/roster/:memberId': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/posts/:id/drawdown': { scoped: ['admin', 'crisis_manager', 'officer', 'viewer'] },
  'POST /api/public/roster-checkin/view': 'public',
  'POST /api/public/roster-checkin': 'public',
  // Check-ins: counts for viewers too, people for writers in scope; answers need no account.
  'GET /api/alerts/:id/accountability': { scoped: ['admin', 'crisis_manager', 'officer', 'viewer'] },
  'GET /api/alerts/:id/accountability/people': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/alerts/:id/accountability/people.csv': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/checkins/need-help': ['admin', 'crisis_manager', 'officer'],
  'POST /api/checkins/need-help/:id/handle': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/posts/:id/checkin-settings': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'PUT /api/posts/:id/checkin-settings': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/public/checkin/view': 'public',
  'POST /api/public/checkin': 'public',
  'POST /api/public/checkin/callback/:token': 'public',
  'POST /api/hooks/sms/inbound': 'public',
  'GET /feeds/posts.atom': 'public',
  // Traveller enrollment: public, answers never reveal who is enrolled.
  'POST /api/public/enrollments': 'public',
  'GET /api/public/verify': 'public',
  'POST /api/public/verify': 'public',
  'POST /api/public/manage-link': 'public',
  'POST /api/public/verify-phone': 'public',
  'POST /api/public/me/session': 'public',
  // Public at the staff layer; the traveller's own session (Bearer wtr_…) is checked by the route.
  'GET /api/public/me': 'public',
  'PATCH /api/public/me': 'public',
  'DELETE /api/public/me': 'public',
  'GET /api/public/me/export': 'public',
  'POST /api/public/me/unsubscribe': 'public',
  'POST /api/public/me/trips/:id/confirm': 'public',
  'POST /api/public/trips/confirm': 'public',
  // Advisory subscriptions: public; the manage token (Bearer) is checked by the route.
  'POST /api/public/subscriptions': 'public',
  'POST /api/public/subscriptions/verify': 'public',
  'POST /api/public/subscriptions/manage-link': 'public',
  'POST /api/public/subscriptions/unsubscribe': 'public',
  'POST /api/public/unsubscribe': 'public',
  'GET /api/public/unsubscribe': 'public',
  'GET /api/public/subscriptions/me': 'public',
  'PATCH /api/public/subscriptions/me': 'public',
  'GET /api/enrollments/stats': 'authenticated',
  'GET /api/enrollments/:id': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/enrollments/:id/view': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/enrollments/countries/:country/people': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/enrollments/search': ['admin', 'crisis_manager', 'officer'],
  'PUT /api/enrollments/:id/drill-participant': { scoped: ['admin', 'crisis_manager', 'officer'] },
  // Organisations: crisis staff manage them; an organisation's own token (and only it) reaches its API.
  'GET /api/organisations': ['admin', 'crisis_manager'],
  'POST /api/organisations': ['admin', 'crisis_manager'],
  'GET /api/organisations/:id': ['admin', 'crisis_manager'],
  'PATCH /api/organisations/:id': ['admin', 'crisis_manager'],
  'POST /api/organisations/:id/tokens': ['admin', 'crisis_manager'],
  'DELETE /api/organisations/:id/tokens/:tokenId': ['admin', 'crisis_manager'],
  'POST /api/organisations/:id/imports': ['admin', 'crisis_manager'],
  'GET /api/organisations/:id/imports': ['admin', 'crisis_manager'],
  'POST /api/org/enrollments': 'organisation',
  'POST /api/org/enrollments/import': 'organisation',
  'GET /api/org/enrollments/:externalId': 'organisation',
  'DELETE /api/org/enrollments/:externalId': 'organisation',
  // Incidents, actors and threat trends: staff read (the Atom feed too, by token); writers log
  // incidents in their countries (checked on the incident's point for creation and import rows).
  'GET /api/incidents': 'authenticated',
  'GET /api/incidents.geojson': 'authenticated',
  'POST /api/incidents': ['admin', 'crisis_manager', 'officer'],
  'POST /api/incidents/import': ['admin', 'crisis_manager', 'officer'],
  'GET /api/incidents/:id': 'authenticated',
  'PATCH /api/incidents/:id': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/incidents/:id/retract': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/incidents/:id/versions': 'authenticated',
  'GET /api/incidents/:id/alert-seed': 'authenticated',
  'GET /feeds/incidents.atom': 'authenticated',
  'GET /api/actors': 'authenticated',
  'POST /api/actors': ['admin', 'crisis_manager', 'officer'],
  'GET /api/actors/:id': 'authenticated',
  'PATCH /api/actors/:id': ['admin', 'crisis_manager', 'officer'],
  'POST /api/actors/:id/relations': ['admin', 'crisis_manager', 'officer'],
  'DELETE /api/actors/:id/relations/:relationId': ['admin', 'crisis_manager', 'officer'],
  'GET /api/trends/posts/:id': 'authenticated',
  'GET /api/trends/regions/:code': 'authenticated',
  'GET /api/trends/signals': 'authenticated',
  'POST /api/trends/posts/:id/review': { scoped: ['admin', 'crisis_manager', 'officer'] },
  // Alerts: staff read; writers compose (the service checks the issuing post's scope) and act on
  // alerts of their posts/countries; the public reads sent public messages.
  'POST /api/alerts/reach': ['admin', 'crisis_manager', 'officer'],
  'POST /api/alerts/start': ['admin', 'crisis_manager', 'officer'],
  'POST /api/alerts/preview': ['admin', 'crisis_manager', 'officer'],
  'POST /api/alerts': ['admin', 'crisis_manager', 'officer'],
  'GET /api/alerts': 'authenticated',
  'GET /api/alerts/:id': 'authenticated',
  'GET /api/alerts/:id/preview': 'authenticated',
  'GET /api/alerts/:id/deliveries': 'authenticated',
  'PUT /api/alerts/:id': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/alerts/:id/submit': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/alerts/:id/withdraw': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/alerts/:id/reject': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/alerts/:id/approve': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/alerts/:id/send': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/alerts/:id/cancel': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/alerts/:id/update': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'GET /api/public/alerts': 'public',
  'GET /api/public/alerts/:id': 'public',
  'GET /cap/alerts/:id.xml': 'public',
  'GET /feeds/alerts.atom': 'public',
  // Deliveries: who got what, per message; officers see the messages of their places.
  'GET /api/deliveries': { scoped: ['admin', 'crisis_manager', 'officer', 'viewer'] },
  'GET /api/deliveries/progress': { scoped: ['admin', 'crisis_manager', 'officer', 'viewer'] },
  'GET /api/deliveries/:id': { scoped: ['admin', 'crisis_manager', 'officer', 'viewer'] },
  'POST /api/deliveries/:id/retry': { scoped: ['admin', 'crisis_manager', 'officer'] },
  'POST /api/deliveries/:id/drop': { scoped: ['admin', 'crisis_manager', 'officer'] },
  // The SMS provider's status callbacks: public, but signed (401 without a valid signature).
  'POST /api/hooks/sms/status': 'public',
  // OpenAPI document and its UI.
  'GET /api/docs': 'public',
  'GET /api/docs/json': 'public',
  'GET /api/docs/yaml': 'public',
  'GET /api/docs/static/*': 'public',
  'GET /api/docs/static/index.html': 'public',
  'GET /api/docs/static/swagger-initializer.js': 'public',
  // The console's static files.
  'GET /*': 'public',
  // The public site (HTML): bare paths redirect to a language, then the same pages per language.
  'GET /site.css': 'public',
  'GET /sitemap.xml': 'public',
  'GET /robots.txt': 'public',
  ...Object.fromEntries(
    ['/', '/search', '/who-serves-me', '/countries/:slug', '/countries/:slug/alerts', '/alerts/:id'].map(
      (p) => [`GET ${p}`, 'public'],
    ),
  ),
  ...Object.fromEntries(
    ['en', 'ar', 'fr'].flatMap((l) =>
      [
        '/',
        '/search',
        '/who-serves-me',
        '/countries/:slug',
        '/countries/:slug/alerts',
        '/posts/:id',
        '/posts/:id/:slug',
        '/alerts/:id',
      ].map((p) => [`GET /${l}${p}`, 'public']),
    ),
  ),
};

/** For scoped routes: a URL whose resource lies in the officer's scope, and one outside it. */
const SCOPED_SAMPLES: Record<string, { inScope: string; outOfScope: string }> = {
  // The outsider's scope is FR, so Iraq is outside it.
  'POST /api/advisories/:country/editions': {
    inScope: '/api/advisories/IQ/editions',
    outOfScope: '/api/advisories/IQ/editions',
  },
  'POST /api/advisories/:country/review': {
    inScope: '/api/advisories/IQ/review',
    outOfScope: '/api/advisories/IQ/review',
  },
};

const ROLES: Role[] = ['admin', 'crisis_manager', 'officer', 'viewer'];

/** Public routes authenticated by the caller's signature (a provider's callbacks). */
const SIGNED_HOOKS = new Set(['POST /api/hooks/sms/status']);

function describeRule(rule: AccessRule | undefined): Expected | 'none' {
  if (!rule) return 'none';
  switch (rule.kind) {
    case 'public':
      return 'public';
    case 'authenticated':
      return 'authenticated';
    case 'organisation':
      return 'organisation';
    case 'roles':
      return rule.scoped ? { scoped: [...rule.roles].sort() } : [...rule.roles].sort();
  }
}

const normalise = (e: Expected): Expected =>
  typeof e === 'string'
    ? e
    : Array.isArray(e)
      ? [...e].sort()
      : { scoped: [...(e as { scoped: Role[] }).scoped].sort() };

const fillParams = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace('*', 'index.html');

describe.each(backends())('authorization of every route on %s', (backend) => {
  let h: ApiHarness;
  const callers = {} as Record<Role, Caller>;
  let outsider: Caller;
  let organisation: Record<string, string>;
  beforeAll(async () => {
    h = await createApiHarness(backend);
    for (const r of ROLES) callers[r] = await h.signIn(r);
    outsider = await h.signIn('officer', ['country:FR']);
    const org = await createOrganisation(h.ctx, cliActor, { name: 'Authorization Test Org' });
    const { secret } = await createOrganisationToken(h.ctx, cliActor, org.id, 'test');
    organisation = { authorization: `Bearer ${secret}` };
    // Editions are addressed by id: one Iraqi draft for in-scope calls (which may delete or publish
    // it), another that only the outsider touches.
    const draft = () =>
      createDraft(h.ctx, cliActor, 'IQ', { level: 4, summary: 'Do not travel.', changeNote: 'Test.' });
    const [mine, theirs] = [await draft(), await draft()];
    for (const suffix of ['', '/publish']) {
      const inScope = `/api/advisory-editions/${mine.id}${suffix}`;
      const outOfScope = `/api/advisory-editions/${theirs.id}${suffix}`;
      for (const m of suffix ? ['POST'] : ['PATCH', 'DELETE']) {
        SCOPED_SAMPLES[`${m} /api/advisory-editions/:id${suffix}`] = { inScope, outOfScope };
      }
    }
    // An Iraqi post with a pending posture request and an open task. In-scope calls send an empty
    // body, which every one of these routes refuses (400) before changing anything.
    const post = await createPost(h.ctx, cliActor, {
      kind: 'embassy',
      name: 'Embassy Baghdad',
      city: 'Baghdad',
      country: 'IQ',
      location: { lat: 33.3, lon: 44.39 },
      district: { regions: ['IQ-BG'] },
    });
    const { request } = await changePosture(h.ctx, cliActor, post.id, {
      state: 'ordered_departure',
      departure: { staff: 'ordered', family: 'ordered' },
      services: { citizenServices: false, visas: false, walkIn: false },
      reason: 'Test.',
      reviewBy: '2099-01-01',
    });
    const { task, restriction } = await createRestriction(h.ctx, cliActor, post.id, {
      regions: ['IQ-BG'],
      reason: 'Test.',
    });
    const same = (url: string) => ({ inScope: url, outOfScope: url });
    // An incident in Iraq, for edits and retraction (the empty body is refused before any change).
    const incident = await createIncident(h.ctx, cliActor, {
      occurredAt: '2018-09-27T21:40:00Z',
      location: { lat: 33.303, lon: 44.385 },
      type: 'explosions_remote_violence',
      subType: 'shelling_artillery_missile_attack',
    });
    SCOPED_SAMPLES['PATCH /api/incidents/:id'] = same(`/api/incidents/${incident.id}`);
    SCOPED_SAMPLES['POST /api/incidents/:id/retract'] = same(`/api/incidents/${incident.id}/retract`);
    SCOPED_SAMPLES['POST /api/trends/posts/:id/review'] = same(`/api/trends/posts/${post.id}/review`);
    // A traveller in Iraq, for the staff read of one enrollment.
    const arrival = new Date().toISOString().slice(0, 10);
    await enroll(
      h.ctx,
      cliActor,
      {
        name: 'Test Traveller',
        email: 'traveller@example.org',
        language: 'en',
        emergencyContact: { name: 'Test Contact' },
        consent: true,
        trips: [{ country: 'IQ', wholeCountry: true, arrival }],
      },
      '127.0.0.1',
    );
    const traveller = await h.ctx.store.db.selectFrom('enrollments').select('id').executeTakeFirstOrThrow();
    SCOPED_SAMPLES['GET /api/enrollments/:id'] = same(`/api/enrollments/${traveller.id}`);
    SCOPED_SAMPLES['POST /api/enrollments/:id/view'] = same(`/api/enrollments/${traveller.id}/view`);
    SCOPED_SAMPLES['POST /api/enrollments/countries/:country/people'] = same(
      '/api/enrollments/countries/IQ/people',
    );
    SCOPED_SAMPLES['PUT /api/enrollments/:id/drill-participant'] = same(
      `/api/enrollments/${traveller.id}/drill-participant`,
    );
    // An Iraqi alert draft: in-scope calls send an empty body, refused (400) or a step the draft
    // cannot take (422) — never 403.
    const started = await startAlert(h.ctx, cliActor, { from: 'restriction', id: restriction.id });
    const draftAlert = await createAlert(h.ctx, cliActor, {
      content: {
        ...started.content,
        texts: {
          en: {
            headline: 'Test.',
            sections: { location: 'Test.', event: 'Test.', actionsToTake: 'Test.', assistance: '' },
          },
        },
      },
    });
    for (const step of ['', '/submit', '/withdraw', '/reject', '/approve', '/send', '/cancel', '/update']) {
      SCOPED_SAMPLES[`${step ? 'POST' : 'PUT'} /api/alerts/:id${step}`] = same(
        `/api/alerts/${draftAlert.id}${step}`,
      );
    }
    // A notice about Iraq and one delivery of it, for the deliveries routes.
    const noticeId = randomUUID();
    await insertNotice(h.ctx.store.db, {
      id: noticeId,
      kind: 'advisory',
      subject_id: randomUUID(),
      country: 'IQ',
      details: '{}',
      created_at: new Date().toISOString(),
      expanding_at: null,
      expanded_at: new Date().toISOString(),
      recipients: 1,
    });
    const [deliveryId] = await enqueueDeliveries(h.ctx, h.ctx.store.db, [
      {
        template: 'advisory_notice',
        channel: 'email',
        to: { subscriptionId: randomUUID() },
        message: `notice:${noticeId}`,
        params: { notice: noticeId },
      },
    ]);
    SCOPED_SAMPLES['GET /api/deliveries'] = same(`/api/deliveries?message=notice:${noticeId}`);
    SCOPED_SAMPLES['GET /api/deliveries/progress'] = same(
      `/api/deliveries/progress?message=notice:${noticeId}`,
    );
    for (const suffix of ['', '/retry', '/drop'])
      SCOPED_SAMPLES[`${suffix ? 'POST' : 'GET'} /api/deliveries/:id${suffix}`] = same(
        `/api/deliveries/${deliveryId}${suffix}`,
      );
    Object.assign(SCOPED_SAMPLES, {
      'PATCH /api/posts/:id': same(`/api/posts/${post.id}`),
      'PUT /api/posts/:id/coverage': same(`/api/posts/${post.id}/coverage`),
      'POST /api/posts/:id/posture': same(`/api/posts/${post.id}/posture`),
      'POST /api/posts/:id/restrictions': same(`/api/posts/${post.id}/restrictions`),
      'PATCH /api/posture-requests/:id': same(`/api/posture-requests/${request?.id}`),
      'POST /api/posture-requests/:id/approve': same(`/api/posture-requests/${request?.id}/approve`),
      'POST /api/posture-requests/:id/reject': same(`/api/posture-requests/${request?.id}/reject`),
      'POST /api/tasks/:id/resolve': same(`/api/tasks/${task.id}/resolve`),
      'GET /api/posts/:id/roster': same(`/api/posts/${post.id}/roster`),
      'POST /api/posts/:id/roster': same(`/api/posts/${post.id}/roster`),
      'POST /api/posts/:id/roster/import': same(`/api/posts/${post.id}/roster/import`),
      'PUT /api/posts/:id/roster/:memberId/status': same(
        `/api/posts/${post.id}/roster/${randomUUID()}/status`,
      ),
      'DELETE /api/posts/:id/roster/:memberId': same(`/api/posts/${post.id}/roster/${randomUUID()}`),
      'GET /api/posts/:id/drawdown': same(`/api/posts/${post.id}/drawdown`),
      'GET /api/posts/:id/checkin-settings': same(`/api/posts/${post.id}/checkin-settings`),
      'PUT /api/posts/:id/checkin-settings': same(`/api/posts/${post.id}/checkin-settings`),
    });
    // An Iraqi alert and a need-help case, for the accountability routes (reads) and handling
    // (the empty body is valid, so in-scope roles handle it; the outsider is refused first).
    const alertId = 'authz-alert';
    const now = new Date().toISOString();
    await insertAlert(h.ctx.store.db, {
      ...sentAlert({ id: alertId, sentAt: now }, { postId: post.id }),
      source: null,
      rootId: alertId,
      country: 'IQ',
      countries: ['IQ'],
      recipientCount: 0,
    });
    await h.ctx.store.db
      .insertInto('need_help_cases')
      .values({
        id: 'authz-case',
        alert_id: alertId,
        post_id: post.id,
        country: 'IQ',
        person_id: 'nobody',
        answer_id: 'none',
        opened_at: now,
        handled_at: null,
        handled_by: null,
        handled_note: null,
      })
      .execute();
    for (const suffix of ['', '/people', '/people.csv']) {
      SCOPED_SAMPLES[`GET /api/alerts/:id/accountability${suffix}`] = same(
        `/api/alerts/${alertId}/accountability${suffix}`,
      );
    }
    SCOPED_SAMPLES['POST /api/checkins/need-help/:id/handle'] = same(
      '/api/checkins/need-help/authz-case/handle',
    );
  });
  afterAll(() => h.dispose());

  it('every registered route has a rule, and it is the expected one', () => {
    const seen = new Set<string>();
    for (const r of h.app.routeTable) {
      const method = r.method === 'HEAD' ? 'GET' : r.method;
      const key = `${method} ${r.url}`;
      seen.add(key);
      expect(EXPECTED[key], `route ${key} has no line in EXPECTED`).toBeDefined();
      expect(describeRule(r.access), `rule of ${key}`).toEqual(normalise(EXPECTED[key]!));
    }
    const stale = Object.keys(EXPECTED).filter((k) => !seen.has(k));
    expect(stale, 'EXPECTED lists routes that do not exist').toEqual([]);
  });

  it('each rule holds for anonymous callers, every role and an officer outside scope', async () => {
    for (const r of h.app.routeTable) {
      if (r.method === 'HEAD' || r.method === 'OPTIONS') continue;
      const key = `${r.method} ${r.url}`;
      const expected = EXPECTED[key]!;
      const url = SCOPED_SAMPLES[key]?.inScope ?? fillParams(r.url);
      const call = (headers: Record<string, string>) =>
        h.app.inject({ method: r.method as 'GET', url, headers, ...(r.method !== 'GET' && { payload: {} }) });

      const anon = await call({});
      // A signed hook refuses an unsigned call with 401, whoever makes it.
      if (SIGNED_HOOKS.has(key)) {
        expect(anon.statusCode, `${key} unsigned`).toBe(401);
        continue;
      }
      if (expected === 'public') expect([401, 403], `${key} anonymous`).not.toContain(anon.statusCode);
      else expect(anon.statusCode, `${key} anonymous`).toBe(401);

      for (const role of ROLES) {
        // These would end the caller's session.
        if (['/api/auth/logout', '/api/auth/password', '/api/auth/sign-out-everywhere'].includes(r.url))
          continue;
        const res = await call(callers[role].headers);
        const allowed =
          expected === 'public' ||
          expected === 'authenticated' ||
          (expected !== 'organisation' &&
            (Array.isArray(expected) ? expected : (expected as { scoped: Role[] }).scoped).includes(role));
        if (allowed) expect([401, 403], `${key} as ${role}`).not.toContain(res.statusCode);
        else expect(res.statusCode, `${key} as ${role}`).toBe(403);
      }

      // An organisation's token opens its own API and no staff route. (Public routes stay public;
      // those that check a traveller's own bearer session rightly refuse it there.)
      if (expected !== 'public') {
        const asOrg = await call(organisation);
        if (expected === 'organisation')
          expect([401, 403], `${key} as organisation`).not.toContain(asOrg.statusCode);
        else expect(asOrg.statusCode, `${key} as organisation`).toBe(403);
      }

      if (typeof expected === 'object' && !Array.isArray(expected)) {
        const sample = SCOPED_SAMPLES[key];
        expect(sample, `scoped route ${key} needs a SCOPED_SAMPLES entry`).toBeDefined();
        const res = await h.app.inject({
          method: r.method as 'GET',
          url: sample!.outOfScope,
          headers: outsider.headers,
        });
        expect(res.statusCode, `${key} as officer outside scope`).toBe(403);
      }
    }
  }, 120_000); // every route times six callers: slow on a loaded machine
});
