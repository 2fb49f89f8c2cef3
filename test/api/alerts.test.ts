import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAlertDelivery } from '../../src/services/alerts/deliver.ts';
import type { DeliveryRow } from '../../src/store/deliveries/deliveries.ts';
import { CBD, enrollTraveller, IN_CBD, OUTSIDE_CBD, withText } from '../support/alert-fixtures.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;
// Response bodies as the tests read them (inject's json() is untyped).
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of a response
type Body = any;

const SCHEMA = path.join(import.meta.dirname, '../../assets/cap/cap-1.2.xsd');
const TMP = mkdtempSync(path.join(tmpdir(), 'warden-alerts-'));

/** xmllint's verdict on a CAP document against the CAP 1.2 schema ('' = valid). */
function capErrors(xml: string, name: string): string {
  const file = path.join(TMP, `${name}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.status === 0 ? '' : r.stderr;
}

describe.each(backends())('alerts: compose, approve, send, publish, cancel on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let officer: Caller;
  let second: Caller;
  let outsider: Caller;
  const ids = { baghdad: '', basrah: '', restriction: '', task: '', alert: '', cancel: '' };
  const people: Record<string, { id: string; email: string }> = {};

  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    officer = await h.signIn('officer', ['country:IQ']);
    second = await h.signIn('crisis_manager');
    outsider = await h.signIn('officer', ['country:FR']);
    const make = async (body: Json) =>
      (
        await h.app.inject({ method: 'POST', url: '/api/posts', headers: admin.headers, payload: body })
      ).json().post.id as string;
    ids.baghdad = await make({
      kind: 'embassy',
      name: 'Embassy Baghdad',
      city: 'Baghdad',
      country: 'IQ',
      location: { lat: 33.3, lon: 44.39 },
      contact: {
        phone: '+964 760 030 3000',
        email: 'BaghdadACS@state.gov',
        address: 'Al-Kindi Street',
        hours: null,
      },
      district: { regions: ['IQ-BG'] },
    });
    ids.basrah = await make({
      kind: 'consulate_general',
      name: 'Consulate General Basrah',
      city: 'Basrah',
      country: 'IQ',
      location: { lat: 30.51, lon: 47.81 },
      district: { regions: ['IQ-BA'] },
    });
    const r = await h.app.inject({
      method: 'POST',
      url: `/api/posts/${ids.basrah}/restrictions`,
      headers: officer.headers,
      payload: { geometry: CBD, reason: 'Demonstrations in the central business district.' },
    });
    expect(r.statusCode).toBe(201);
    ids.restriction = r.json().restriction.id;
    ids.task = r.json().task.id;
    people.a = await enrollTraveller(h.ctx, IN_CBD);
    people.b = await enrollTraveller(h.ctx, { lat: 30.52, lon: 47.8 }, { language: 'fr' });
    people.far = await enrollTraveller(h.ctx, OUTSIDE_CBD);
    people.unknown = await enrollTraveller(h.ctx, 'IQ');
  }, 60_000);
  afterAll(() => h.dispose());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: Caller | null, payload?: unknown) =>
    h.app.inject({
      method,
      url,
      headers: who?.headers ?? {},
      ...(payload !== undefined && { payload: payload as Json }),
    });
  const deliveries = (alertId: string) =>
    h.ctx.store.db
      .selectFrom('deliveries')
      .selectAll()
      .where('message_ref', '=', `alert:${alertId}`)
      .execute();
  const window = () => ({
    effective: new Date(Date.now() - 60_000).toISOString(),
    expires: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const fromRestriction = async () => {
    const res = await call('POST', '/api/alerts/start', officer, {
      from: 'restriction',
      id: ids.restriction,
      kind: 'demonstration',
    });
    expect(res.statusCode).toBe(200);
    return res.json() as { content: Body; source: string };
  };

  it('starts from the restriction: its polygon, Avoid, the post and its assistance block', async () => {
    const { content, source } = await fromRestriction();
    expect(source).toBe(`restriction:${ids.restriction}`);
    expect(content.area.polygons).toEqual([CBD]);
    expect(content.cap.responseType).toEqual(['Avoid']);
    expect(content.postId).toBe(ids.basrah);
    expect(content.texts.en.sections.event).toContain('Demonstrations');
    // Outside the officer's scope: refused without reading anything.
    const out = await call('POST', '/api/alerts/start', outsider, {
      from: 'restriction',
      id: ids.restriction,
    });
    expect(out.statusCode).toBe(403);
    const none = await call('POST', '/api/alerts/start', officer, {
      from: 'restriction',
      id: 'no-such-restriction',
    });
    expect(errorCode(none)).toBe('not_found');
  });

  it('live reach counts people by precision and contacts per channel; an empty area warns', async () => {
    const reach = async (body: Json) =>
      (await call('POST', '/api/alerts/reach', officer, { ...window(), ...body })).json();
    const cbd = await reach({ area: { countries: [], regions: [], polygons: [CBD], circles: [] } });
    expect(cbd.reach.people).toEqual({ total: 2, exact: 2, approximate: 0, countryOnly: 0 });
    expect(cbd.reach.channels.email).toEqual({ people: 2, contacts: 2 });
    expect(cbd.reach.warnings).toEqual([]);
    const withUnknown = await reach({
      area: { countries: [], regions: [], polygons: [CBD], circles: [] },
      includeUnknownLocation: true,
    });
    expect(withUnknown.reach.people).toMatchObject({ total: 3, countryOnly: 1 });
    const empty = await reach({
      area: { countries: [], regions: [], polygons: [], circles: [{ lat: 36.19, lon: 44.01, radiusKm: 5 }] },
    });
    expect(empty.reach.people.total).toBe(0);
    expect(empty.reach.warnings).toEqual(['no_recipients']);
    // Drills count only participants (none yet).
    const drill = await reach({
      area: { countries: [], regions: [], polygons: [CBD], circles: [] },
      status: 'Exercise',
    });
    expect(drill.reach).toMatchObject({ drillOnly: true, people: { total: 0 } });
  });

  it('refuses bad input with precise codes', async () => {
    const { content } = await fromRestriction();
    const c = withText(content as never) as Body;
    const create = (over: Json) => call('POST', '/api/alerts', officer, { content: { ...c, ...over } });
    const bow = {
      type: 'Polygon',
      coordinates: [
        [
          [47.78, 30.5],
          [47.83, 30.53],
          [47.83, 30.5],
          [47.78, 30.53],
          [47.78, 30.5],
        ],
      ],
    };
    const crossed = await create({ area: { ...c.area, polygons: [bow] } });
    expect(errorCode(crossed)).toBe('invalid_area');
    expect(crossed.json().error.details).toMatchObject({ reason: 'self_intersection' });
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [47.78, 30.5],
          [47.83, 30.5],
          [47.83, 30.53],
          [47.78, 30.53],
        ],
      ],
    };
    expect(errorCode(await create({ area: { ...c.area, polygons: [open] } }))).toBe('invalid_area');
    const far = await create({
      area: { ...c.area, polygons: [], circles: [{ lat: 95, lon: 47, radiusKm: 1 }] },
    });
    expect(errorCode(far)).toBe('invalid_area');
    const past = { ...c.cap, effective: '2020-01-01T00:00:00Z', expires: '2020-01-02T00:00:00Z' };
    expect(errorCode(await create({ cap: past }))).toBe('alert_expired');
    const backwards = { ...c.cap, effective: c.cap.expires, expires: c.cap.effective };
    expect(errorCode(await create({ cap: backwards }))).toBe('invalid_dates');
    expect(errorCode(await create({ texts: { ...c.texts, de: c.texts.en } }))).toBe('unknown_language');
    const long = { ...c.texts.en, headline: 'x'.repeat(161) };
    const tooLong = await create({ texts: { en: long } });
    expect(errorCode(tooLong)).toBe('cap_field_too_long');
    expect(tooLong.json().error.details).toMatchObject({ path: '/texts/en/headline', max: 160 });
    expect(errorCode(await create({ msgType: 'Cancel' }))).toBe('invalid_reference');
    expect(
      (await call('POST', '/api/alerts', officer, { content: c, source: 'restriction:made-up' })).json().error
        .code,
    ).toBe('invalid_link');
    // Another country's officer cannot issue for an Iraqi post.
    expect((await call('POST', '/api/alerts', outsider, { content: c })).statusCode).toBe(403);
    // Nothing was stored by any of these.
    expect((await call('GET', '/api/alerts', admin)).json().alerts).toHaveLength(0);
  });

  it('a second person approves exactly the content reviewed; then it is sent to the people in the area', async () => {
    const { content, source } = await fromRestriction();
    const created = await call('POST', '/api/alerts', officer, {
      content: withText(content as never),
      source,
    });
    expect(created.statusCode).toBe(201);
    const alert = created.json().alert;
    ids.alert = alert.id;
    expect(alert).toMatchObject({ state: 'draft', authors: [`user:${officer.userId}`] });
    // Sending a draft is refused.
    expect(errorCode(await call('POST', `/api/alerts/${alert.id}/send`, officer))).toBe('approval_required');
    const submitted = (await call('POST', `/api/alerts/${alert.id}/submit`, officer)).json().alert;
    expect(submitted.state).toBe('pending_approval');
    // The approver sees every channel and language and the reach.
    const preview = (await call('GET', `/api/alerts/${alert.id}/preview`, second)).json();
    expect(preview.contentHash).toBe(submitted.contentHash);
    expect(preview.reach.people.total).toBe(2);
    const en = preview.previews.find((p: Body) => p.language === 'en');
    expect(en.email.subject).toContain('Demonstrations in Basrah');
    expect(en.sms.segments).toBeGreaterThan(0);
    expect(en.webhook.type).toBeDefined();
    // No self-approval; no approval of other content than reviewed.
    expect(
      errorCode(
        await call('POST', `/api/alerts/${alert.id}/approve`, officer, {
          contentHash: submitted.contentHash,
        }),
      ),
    ).toBe('self_approval');
    expect(
      errorCode(
        await call('POST', `/api/alerts/${alert.id}/approve`, second, { contentHash: 'a'.repeat(64) }),
      ),
    ).toBe('approval_stale');
    // The author changes the text after review: the reviewed hash no longer approves it.
    await call('POST', `/api/alerts/${alert.id}/withdraw`, officer);
    const edited = (
      await call('PUT', `/api/alerts/${alert.id}`, officer, {
        content: withText(content as never, 'Demonstrations in Basrah: stay away from the CBD'),
      })
    ).json().alert;
    expect(edited.contentHash).not.toBe(submitted.contentHash);
    await call('POST', `/api/alerts/${alert.id}/submit`, officer);
    expect(
      errorCode(
        await call('POST', `/api/alerts/${alert.id}/approve`, second, { contentHash: submitted.contentHash }),
      ),
    ).toBe('approval_stale');
    const approved = await call('POST', `/api/alerts/${alert.id}/approve`, second, {
      contentHash: edited.contentHash,
    });
    expect(approved.json().alert).toMatchObject({
      state: 'approved',
      approval: { by: `user:${second.userId}` },
    });

    // A trip committed before the send is included.
    people.late = await enrollTraveller(h.ctx, { lat: 30.51, lon: 47.79 });
    const sent = await call('POST', `/api/alerts/${alert.id}/send`, officer);
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({
      recipients: 3,
      messages: 3,
      alert: { state: 'sent', recipientCount: 3 },
    });
    const rows = await deliveries(alert.id);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.person_id))).toEqual(
      new Set([people.a!.id, people.b!.id, people.late!.id]),
    );
    expect(rows.every((r) => r.priority === 90 && r.channel === 'email' && r.template === 'alert')).toBe(
      true,
    );
    // Rendered in the recipient's language at send time.
    const fr = rows.find((r) => r.person_id === people.b!.id)! as DeliveryRow;
    const rendered = (await renderAlertDelivery(h.ctx, fr)) as Body;
    expect(rendered.to).toBe(people.b!.email);
    expect(rendered.text).toContain(`/alerts/${alert.id}`);
    // Sending twice is refused, and nothing more is queued.
    expect(errorCode(await call('POST', `/api/alerts/${alert.id}/send`, officer))).toBe('invalid_transition');
    expect(await deliveries(alert.id)).toHaveLength(3);
    // Progress from the delivery engine's rows.
    const progress = (await call('GET', `/api/alerts/${alert.id}/deliveries`, officer)).json();
    expect(progress.total).toBe(3);
    // The restriction's public-notice task resolved by linking the alert.
    const tasks = (await call('GET', '/api/tasks?kind=public_notice', admin)).json().tasks as Body[];
    expect(tasks.find((t: Body) => t.id === ids.task)).toMatchObject({
      status: 'resolved',
      resolution: { link: { kind: 'alert', id: alert.id } },
    });
  });

  it('publishes the sent alert: JSON, CAP 1.2 valid against the schema, Atom, with ETags', async () => {
    const list = await call('GET', '/api/public/alerts?country=IQ&at=now', null);
    expect(list.statusCode).toBe(200);
    expect(list.json().alerts.map((a: Body) => a.id)).toEqual([ids.alert]);
    const etag = list.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await h.app.inject({
      method: 'GET',
      url: '/api/public/alerts?country=IQ&at=now',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect((await call('GET', '/api/public/alerts?country=FR', null)).json().alerts).toEqual([]);
    expect((await call('GET', '/api/public/alerts?at=2001-01-01T00:00:00Z', null)).json().alerts).toEqual([]);
    expect(errorCode(await call('GET', '/api/public/alerts?at=yesterday', null))).toBe('validation_failed');
    const cap = await call('GET', `/cap/alerts/${ids.alert}.xml`, null);
    expect(cap.statusCode).toBe(200);
    expect(cap.headers['content-type']).toContain('application/cap+xml');
    expect(capErrors(cap.body, 'alert')).toBe('');
    // CAP polygons are lat,lon: the CBD's first vertex (GeoJSON [47.78, 30.5]) reads "30.5,47.78".
    expect(cap.body).toContain('<polygon>30.5,47.78 ');
    expect(cap.body).toContain('<status>Actual</status>');
    const atom = await call('GET', '/feeds/alerts.atom', null);
    expect(atom.body).toContain(`/cap/alerts/${ids.alert}.xml`);
    expect(atom.headers.etag).toBeTruthy();
  });

  it('keeps drafts, drills for nobody and restricted alerts out of the public reads', async () => {
    const { content } = await fromRestriction();
    const restricted = (
      await call('POST', '/api/alerts', officer, {
        content: { ...withText(content as never), scope: 'Restricted', restriction: 'Staff only.' },
      })
    ).json().alert;
    expect((await call('GET', `/cap/alerts/${restricted.id}.xml`, null)).statusCode).toBe(404);
    expect((await call('GET', `/api/public/alerts/${restricted.id}`, null)).statusCode).toBe(404);
    expect((await call('GET', '/cap/alerts/nothing-here.xml', null)).statusCode).toBe(404);
  });

  it('Exercise alerts need one person, reach only drill participants and say EXERCISE', async () => {
    // An organisation can be marked too (its people then take part).
    const org = await h.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: admin.headers,
      payload: { name: 'Drill Org' },
    });
    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/api/organisations/${org.json().organisation.id}`,
      headers: admin.headers,
      payload: { drillParticipant: true },
    });
    expect(patched.json().organisation.drillParticipant).toBe(true);
    const marked = await call('PUT', `/api/enrollments/${people.a!.id}/drill-participant`, officer, {
      participant: true,
    });
    expect(marked.json()).toEqual({ participant: true });
    expect(
      (
        await call('PUT', `/api/enrollments/${people.a!.id}/drill-participant`, outsider, {
          participant: true,
        })
      ).statusCode,
    ).toBe(403);
    const { content } = await fromRestriction();
    const drill = (
      await call('POST', '/api/alerts', officer, {
        content: { ...withText(content as never), status: 'Exercise' },
      })
    ).json().alert;
    const submitted = (await call('POST', `/api/alerts/${drill.id}/submit`, officer)).json().alert;
    expect(submitted.state).toBe('approved');
    const sent = (await call('POST', `/api/alerts/${drill.id}/send`, officer)).json();
    expect(sent).toMatchObject({ recipients: 1, messages: 1 });
    const [row] = await deliveries(drill.id);
    expect(row!.person_id).toBe(people.a!.id);
    const rendered = (await renderAlertDelivery(h.ctx, row as DeliveryRow)) as Body;
    expect(rendered.subject).toMatch(/^EXERCISE/);
    const cap = (await call('GET', `/cap/alerts/${drill.id}.xml`, null)).body;
    expect(cap).toContain('<status>Exercise</status>');
    expect(capErrors(cap, 'exercise')).toBe('');
  });

  it('an Update references the original and supersedes it after a second approval', async () => {
    const before = await deliveries(ids.alert);
    const res = await call('POST', `/api/alerts/${ids.alert}/update`, officer);
    expect(res.statusCode).toBe(201);
    const draft = res.json().alert;
    expect(draft.content).toMatchObject({ msgType: 'Update', references: [{ alertId: ids.alert }] });
    // The demonstration moved: the updated area holds only the traveller outside the CBD.
    const moved = await call('PUT', `/api/alerts/${draft.id}`, officer, {
      content: {
        ...draft.content,
        area: {
          countries: [],
          regions: [],
          polygons: [],
          circles: [{ lat: OUTSIDE_CBD.lat, lon: OUTSIDE_CBD.lon, radiusKm: 3 }],
        },
      },
    });
    expect(moved.statusCode).toBe(200);
    const update = moved.json().alert;
    await call('POST', `/api/alerts/${update.id}/submit`, officer);
    // The approver's count already includes everyone the original reached.
    const preview = (await call('GET', `/api/alerts/${update.id}/preview`, second)).json();
    expect(preview.reach.people.total).toBe(before.length + 1);
    await call('POST', `/api/alerts/${update.id}/approve`, second, { contentHash: update.contentHash });
    const sent = await call('POST', `/api/alerts/${update.id}/send`, officer);
    expect(sent.json().alert.state).toBe('sent');
    // Everyone the original reached hears of the change, and so does the newcomer in the new area.
    const rows = await deliveries(update.id);
    expect(new Set(rows.map((r) => r.person_id))).toEqual(
      new Set([...before.map((r) => r.person_id), people.far!.id]),
    );
    expect(rows.some((r) => r.person_id === people.unknown!.id)).toBe(false);
    expect((await call('GET', `/api/alerts/${ids.alert}`, officer)).json().alert).toMatchObject({
      state: 'updated',
      supersededBy: update.id,
    });
    const cap = (await call('GET', `/cap/alerts/${update.id}.xml`, null)).body;
    expect(cap).toContain('<msgType>Update</msgType>');
    expect(cap).toMatch(/<references>[^,]+,urn:warden:alert:[^,]+,[^<]+<\/references>/);
    expect(capErrors(cap, 'update')).toBe('');
    ids.alert = update.id;
  });

  it('cancel is one click, one person, to the same recipients, first in line; a second cancel is refused', async () => {
    const before = await deliveries(ids.alert);
    const res = await call('POST', `/api/alerts/${ids.alert}/cancel`, officer);
    expect(res.statusCode).toBe(200);
    const cancel = res.json();
    expect(cancel.alert.content.msgType).toBe('Cancel');
    expect(cancel.alert.authors).toEqual([`user:${officer.userId}`]);
    const rows = await deliveries(cancel.alert.id);
    expect(new Set(rows.map((r) => r.person_id))).toEqual(new Set(before.map((r) => r.person_id)));
    expect(rows.every((r) => r.priority === 95)).toBe(true);
    expect((await call('GET', `/api/alerts/${ids.alert}`, officer)).json().alert.state).toBe('cancelled');
    const again = await call('POST', `/api/alerts/${ids.alert}/cancel`, officer);
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('already_cancelled');
    const cap = (await call('GET', `/cap/alerts/${cancel.alert.id}.xml`, null)).body;
    expect(cap).toContain('<msgType>Cancel</msgType>');
    expect(capErrors(cap, 'cancel')).toBe('');
    // No longer in force: the current list is empty, the full list has all three messages.
    const inForce = (await call('GET', '/api/public/alerts?at=now', null)).json().alerts as Body[];
    expect(inForce.map((a) => a.content.status)).toEqual(['Exercise']);
    expect((await call('GET', '/api/public/alerts', null)).json().alerts.length).toBeGreaterThanOrEqual(3);
  });

  it('a public-notice task links only an existing, sent, in-scope alert', async () => {
    const r = await call('POST', `/api/posts/${ids.basrah}/restrictions`, officer, {
      geometry: CBD,
      reason: 'Second restriction.',
    });
    const task = r.json().task.id;
    const link = (id: string, who = officer) =>
      call('POST', `/api/tasks/${task}/resolve`, who, { link: { kind: 'alert', id } });
    expect(errorCode(await link('made-up-alert'))).toBe('invalid_link');
    const drafts = (await call('GET', '/api/alerts?state=draft', officer)).json().alerts as Body[];
    expect(errorCode(await link(drafts[0]!.id))).toBe('invalid_link');
    const ok = await link(
      ids.cancel || (await call('GET', '/api/alerts?state=cancelled', officer)).json().alerts[0].id,
    );
    expect(ok.statusCode).toBe(200);
  });
});
