import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDraft } from '../../src/services/advisories/editions.ts';
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
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { day, enrollmentBody } from '../support/factories.ts';

type Schema = Record<string, unknown>;
const NUL = 'a\u0000b';

/** A body with `bad` in every string the schema has (nested objects and arrays included). */
function poisoned(schema: unknown, bad: string): unknown {
  const s = schema as Schema | undefined;
  if (!s || typeof s !== 'object') return undefined;
  const options = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (options) {
    for (const o of options) {
      const v = poisoned(o, bad);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  if (s.const !== undefined || s.enum !== undefined) return undefined;
  switch (s.type) {
    case 'string':
      return bad;
    case 'array': {
      const v = poisoned(s.items, bad);
      return v === undefined ? undefined : [v];
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries((s.properties as Schema) ?? {})) {
        const v = poisoned(p, bad);
        if (v !== undefined) out[k] = v;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Issue 11: U+0000 gave 500 on PostgreSQL (stored on SQLite), anonymously through the public
 * enrollment's webhookUrl and in a dozen staff fields. Every route whose body or query has a
 * string gets one with U+0000 in each: the answer is 400 invalid_text on both stores.
 */
describe.each(backends())('control characters in every text field on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let org: Record<string, string>;
  let postId = '';

  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    const o = await createOrganisation(h.ctx, cliActor, { name: 'Control Org' });
    org = { authorization: `Bearer ${(await createOrganisationToken(h.ctx, cliActor, o.id, 't')).secret}` };
    postId = (
      await createPost(h.ctx, cliActor, {
        kind: 'embassy',
        name: 'Embassy Baghdad',
        city: 'Baghdad',
        country: 'IQ',
        location: { lat: 33.3, lon: 44.39 },
        district: { regions: ['IQ-BG'] },
      })
    ).id;
    ids.edition = (
      await createDraft(h.ctx, cliActor, 'IQ', { level: 4, summary: 'Do not travel.', changeNote: 'Test.' })
    ).id;
    ids.request = (
      await changePosture(h.ctx, cliActor, postId, {
        state: 'ordered_departure',
        departure: { staff: 'ordered', family: 'ordered' },
        services: { citizenServices: false, visas: false, walkIn: false },
        reason: 'Test.',
        reviewBy: '2099-01-01',
      })
    ).request!.id;
    ids.task = (
      await createRestriction(h.ctx, cliActor, postId, { regions: ['IQ-BG'], reason: 'Test.' })
    ).task.id;
    ids.incident = (
      await createIncident(h.ctx, cliActor, {
        occurredAt: '2018-09-27T21:40:00Z',
        location: { lat: 33.303, lon: 44.385 },
        type: 'explosions_remote_violence',
        subType: 'shelling_artillery_missile_attack',
      })
    ).id;
    // An alert, a need-help case, a delivery and a traveller: their routes look them up too.
    ids.alert = 'cc-alert';
    const now = new Date().toISOString();
    await insertAlert(h.ctx.store.db, {
      ...sentAlert({ id: ids.alert, sentAt: now }, { postId }),
      source: null,
      rootId: ids.alert,
      country: 'IQ',
      countries: ['IQ'],
      recipientCount: 0,
    });
    ids.case = 'cc-case';
    await h.ctx.store.db
      .insertInto('need_help_cases')
      .values({
        id: ids.case,
        alert_id: ids.alert,
        post_id: postId,
        country: 'IQ',
        person_id: 'nobody',
        answer_id: 'none',
        opened_at: now,
        handled_at: null,
        handled_by: null,
        handled_note: null,
      })
      .execute();
    const noticeId = randomUUID();
    await insertNotice(h.ctx.store.db, {
      id: noticeId,
      kind: 'advisory',
      subject_id: randomUUID(),
      country: 'IQ',
      details: '{}',
      created_at: now,
      expanding_at: null,
      expanded_at: now,
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
    ids.delivery = deliveryId ?? '';
    await enroll(
      h.ctx,
      cliActor,
      enrollmentBody({ trips: [{ country: 'IQ', wholeCountry: true, arrival: day(1) }] }) as never,
      '10.9.9.9',
    );
    ids.enrollment = (
      await h.ctx.store.db.selectFrom('enrollments').select('id').executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => h.dispose());

  const headersFor = (access: unknown) =>
    (access as { kind?: string } | undefined)?.kind === 'organisation' ? org : admin.headers;
  // Params name real things: scoped routes look them up (for the scope check) before validating.
  const ids: Record<string, string> = {};
  const fill = (url: string) =>
    url
      .replace(/^\/api\/advisory-editions\/:id/, `/api/advisory-editions/${ids.edition}`)
      .replace(/^\/api\/posture-requests\/:id/, `/api/posture-requests/${ids.request}`)
      .replace(/^\/api\/tasks\/:id/, `/api/tasks/${ids.task}`)
      .replace(/^\/api\/incidents\/:id/, `/api/incidents/${ids.incident}`)
      .replace(/^\/api\/alerts\/:id/, `/api/alerts/${ids.alert}`)
      .replace(/^\/api\/checkins\/need-help\/:id/, `/api/checkins/need-help/${ids.case}`)
      .replace(/^\/api\/deliveries\/:id/, `/api/deliveries/${ids.delivery}`)
      .replace(/^\/api\/enrollments\/:id/, `/api/enrollments/${ids.enrollment}`)
      .replace(':code', 'IQ-BA')
      .replace(':country', 'IQ')
      .replace(/:[A-Za-z]+/g, postId)
      .replace('*', 'x');

  it('refuses U+0000 in every body string of every route, as invalid_text', async () => {
    const checked: string[] = [];
    for (const r of h.app.routeTable) {
      const body = poisoned(r.schema?.body, NUL);
      if (body === undefined) continue;
      const res = await h.app.inject({
        method: r.method as 'POST',
        url: fill(r.url),
        headers: headersFor(r.access),
        payload: body as Record<string, unknown>,
      });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBe(400);
      expect(errorCode(res), `${r.method} ${r.url}`).toBe('invalid_text');
      checked.push(`${r.method} ${r.url}`);
    }
    expect(checked.length).toBeGreaterThanOrEqual(30);
  });

  it('refuses U+0000 in every query string parameter, as invalid_text', async () => {
    let checked = 0;
    for (const r of h.app.routeTable) {
      if (r.method !== 'GET') continue;
      const q = poisoned(r.schema?.querystring, NUL) as Record<string, unknown> | undefined;
      if (!q) continue;
      const query = Object.entries(q)
        .map(([k, v]) => `${k}=${encodeURIComponent(Array.isArray(v) ? String(v[0]) : String(v))}`)
        .join('&');
      const res = await h.app.inject({
        method: 'GET',
        url: `${fill(r.url)}?${query}`,
        headers: headersFor(r.access),
      });
      expect(res.statusCode, `GET ${r.url}?${query}: ${res.body}`).toBe(400);
      expect(errorCode(res), `GET ${r.url}`).toBe('invalid_text');
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('the cases of the issue, and what stays allowed', async () => {
    const enroll = (webhookUrl: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/public/enrollments',
        payload: {
          name: 'Amal',
          email: 'amal@example.org',
          language: 'en',
          webhookUrl,
          emergencyContact: { name: 'Rana' },
          consent: true,
          trips: [{ country: 'IQ', wholeCountry: true, arrival: new Date().toISOString().slice(0, 10) }],
        },
      });
    for (const bad of [
      'https://x.example.org/\u0000',
      'https://x.example.org/\u007f',
      'https://x.example.org/\u0085',
    ]) {
      const res = await enroll(bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'invalid_text',
        details: { problems: [{ path: 'body/webhookUrl' }] },
      });
    }
    // A line break: refused in a one-line field (a post's name), kept in free text (a reason).
    const rename = await h.app.inject({
      method: 'PATCH',
      url: `/api/posts/${postId}`,
      headers: admin.headers,
      payload: { name: 'Embassy\nBaghdad' },
    });
    expect(errorCode(rename)).toBe('invalid_text');
    const posture = await h.app.inject({
      method: 'POST',
      url: `/api/posts/${postId}/posture`,
      headers: admin.headers,
      payload: {
        state: 'authorized_departure',
        departure: { staff: 'authorized', family: 'none' },
        services: { citizenServices: true, visas: true, walkIn: true },
        reason: 'Protests.\n\n\tSee the cable of today.',
        reviewBy: '2099-01-01',
      },
    });
    expect(posture.statusCode).toBe(201);
    expect(posture.json().change.reason).toBe('Protests.\n\n\tSee the cable of today.');
    // Unicode text beyond ASCII is text, not control.
    const arabic = await h.app.inject({
      method: 'PATCH',
      url: `/api/posts/${postId}`,
      headers: admin.headers,
      payload: { name: 'سفارة بغداد — Embassy' },
    });
    expect(arabic.statusCode).toBe(200);
  });
});
