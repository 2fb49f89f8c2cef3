import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/channels/twilio-signature.ts';
import type { AlertRecord } from '../../src/domain/alerts/record.ts';
import { channelOfContact } from '../../src/domain/deliveries/model.ts';
import { enqueueAlert, renderAlertDelivery } from '../../src/services/alerts/deliver.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { enroll } from '../../src/services/enrollments/enrollments.ts';
import { insertAlert, insertRecipients } from '../../src/store/alerts/alerts.ts';
import { DEMONSTRATION, sentAlert } from '../fixtures/alerts/basrah.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;
const SMS_TOKEN = 'test-sms-auth-token';
const SMS_ENV = {
  WARDEN_SMS_PROVIDER_URL: 'http://127.0.0.1:9',
  WARDEN_SMS_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  WARDEN_SMS_AUTH_TOKEN: SMS_TOKEN,
  WARDEN_SMS_FROM: '+15005550006',
};

const PEOPLE = [
  { name: 'Alice Safe', email: 'alice@example.org', phone: '+9647701000001' },
  { name: 'Bob Help', email: 'bob@example.org', phone: '+9647701000002' },
  { name: '=HYPERLINK("http://evil")', email: 'carol@example.org', phone: '+9647701000003' },
  { name: 'Dan Nochannel', email: 'dan@example.org' },
];

describe.each(backends())('check-ins and accountability on %s', (backend) => {
  let h: ApiHarness;
  let officer: Caller;
  let outsider: Caller;
  let viewer: Caller;
  let postId = '';
  const alertId = 'a-basrah-cbd-checkin';
  const person: Record<string, string> = {};
  const links: Record<string, { email?: string; sms?: string }> = {};

  beforeAll(async () => {
    h = await createApiHarness(backend, SMS_ENV);
    const admin = await h.signIn('admin');
    officer = await h.signIn('officer', ['country:IQ']);
    outsider = await h.signIn('officer', ['country:FR']);
    viewer = await h.signIn('viewer');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: admin.headers,
      payload: {
        kind: 'consulate_general',
        name: 'Consulate General Basrah',
        city: 'Basrah',
        country: 'IQ',
        location: { lat: 30.51, lon: 47.81 },
        district: { regions: ['IQ-BA'] },
      },
    });
    postId = res.json().post.id;
    const db = h.ctx.store.db;
    const arrival = new Date().toISOString().slice(0, 10);
    for (const p of PEOPLE) {
      await enroll(
        h.ctx,
        cliActor,
        {
          ...p,
          language: p.name.startsWith('Alice') ? 'fr' : 'en',
          emergencyContact: { name: 'Contact' },
          consent: true,
          trips: [{ country: 'IQ', wholeCountry: true, arrival }],
        },
        '127.0.0.1',
      );
    }
    await db.updateTable('enrollment_contacts').set({ verified_at: new Date().toISOString() }).execute();
    const ids = await db
      .selectFrom('enrollments')
      .select(['id', 'created_at'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    // Map by contact: enrollment order is not guaranteed within one millisecond.
    for (const p of PEOPLE) {
      const { blindIndex } = await import('../../src/domain/privacy/index.ts');
      const idx = blindIndex(h.ctx.privacy.blindIndex, 'email', p.email) as string;
      const c = await db
        .selectFrom('enrollment_contacts')
        .select('person_id')
        .where('blind_index', '=', idx)
        .executeTakeFirstOrThrow();
      person[p.email] = c.person_id;
    }
    expect(ids).toHaveLength(4);

    const now = new Date();
    const alert: AlertRecord = {
      ...sentAlert(
        { id: alertId, sentAt: now.toISOString() },
        {
          postId,
          checkIn: { requested: true, deadline: new Date(now.getTime() + 3_600_000).toISOString() },
          cap: {
            ...DEMONSTRATION.cap,
            effective: now.toISOString(),
            expires: new Date(now.getTime() + 86_400_000).toISOString(),
          },
        },
      ),
      source: null,
      rootId: alertId,
      country: 'IQ',
      countries: ['IQ'],
      recipientCount: 4,
    };
    await insertAlert(db, alert);
    await insertRecipients(
      db,
      alertId,
      Object.values(person).map((personId) => ({ personId, precision: 'country' as const })),
    );
    const contacts = await db.selectFrom('enrollment_contacts').select(['id', 'person_id', 'kind']).execute();
    // Dan gets no message at all: unreachable.
    const reached = contacts.filter((c) => c.person_id !== person['dan@example.org']);
    await enqueueAlert(
      h.ctx,
      db,
      alert,
      reached.map((c) => ({
        personId: c.person_id,
        contactId: c.id,
        channel: channelOfContact(c.kind),
      })),
    );
    // Render every message as the worker would, and keep each person's link and reply text.
    const rows = await db
      .selectFrom('deliveries')
      .selectAll()
      .where('message_ref', '=', `alert:${alertId}`)
      .execute();
    for (const row of rows) {
      const out = await renderAlertDelivery(h.ctx, row);
      if ('drop' in out) throw new Error(out.drop);
      const who = Object.keys(person).find((k) => person[k] === row.person_id) as string;
      links[who] ??= {};
      if (row.channel === 'email') links[who].email = /\/checkin#token=([A-Za-z0-9_.-]+)/.exec(out.text)?.[1];
      else links[who].sms = out.text;
    }
    // Alice's and Bob's email were delivered; Carol's failed; SMS still queued.
    const status = (email: string, channel: string, s: string) =>
      db
        .updateTable('deliveries')
        .set({ status: s })
        .where('message_ref', '=', `alert:${alertId}`)
        .where('person_id', '=', person[email] as string)
        .where('channel', '=', channel)
        .execute();
    await status('alice@example.org', 'email', 'delivered');
    await status('bob@example.org', 'email', 'sent');
    await status('carol@example.org', 'email', 'failed');
    await status('carol@example.org', 'sms', 'failed');
    await h.app.inject({
      method: 'PUT',
      url: `/api/posts/${postId}/checkin-settings`,
      headers: officer.headers,
      payload: {
        dutyEmail: 'Duty.Basrah@example.org',
        escalation: { repeatAfterMinutes: [30, 120], notifyEmergencyContact: true },
      },
    });
  });
  afterAll(() => h.dispose());

  const pub = (url: string, payload: unknown) =>
    h.app.inject({ method: 'POST', url, payload: payload as Json });
  const get = (url: string, who: Caller) => h.app.inject({ method: 'GET', url, headers: who.headers });
  const rollup = async () => (await get(`/api/alerts/${alertId}/accountability`, viewer)).json().rollup;
  const inbound = (params: Record<string, string>, signature?: string) => {
    const url = `${h.ctx.config.publicUrl.replace(/\/+$/, '')}/api/hooks/sms/inbound`;
    const body = new URLSearchParams(params).toString();
    return h.app.inject({
      method: 'POST',
      url: '/api/hooks/sms/inbound',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilioSignature(SMS_TOKEN, url, params),
      },
      payload: body,
    });
  };

  it('puts a signed link in every email and the reply code in every SMS', () => {
    expect(links['alice@example.org']?.email).toBeTruthy();
    const sms = links['bob@example.org']?.sms ?? '';
    expect(sms).toMatch(/Reply SAFE (\d{4}) or HELP \1/);
    // Alice reads French.
    expect(links['alice@example.org']?.sms).toMatch(/Répondez SAFE \d{4} ou HELP \d{4}/);
  });

  it('counts everyone before anybody answers', async () => {
    expect(await rollup()).toEqual({
      targeted: 4,
      reached: 2,
      need_help: 0,
      safe: 0,
      no_answer: 2,
      unreachable: 2,
      pending: 0,
      erased: 0,
    });
  });

  it('shows the answer page in the recipient language and takes an answer with note and location', async () => {
    const token = links['alice@example.org']?.email as string;
    const view = await pub('/api/public/checkin/view', { token });
    expect(view.json()).toMatchObject({ language: 'fr', cancelled: false, answer: null });
    expect(view.json().title).toContain('Bassora');
    const res = await pub('/api/public/checkin', {
      token,
      answer: 'safe',
      note: 'At the hotel',
      location: { lat: 30.5, lon: 47.8 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ answer: 'safe', late: false, alertCancelled: false, replay: false });
    expect((await pub('/api/public/checkin/view', { token })).json().answer).toBe('safe');
  });

  it('refuses forged, altered and other-purpose links, bad notes and locations', async () => {
    const token = links['alice@example.org']?.email as string;
    const [body, sig] = token.split('.') as [string, string];
    const forged = `${body}.${sig.slice(0, -2)}AA`;
    expect(errorCode(await pub('/api/public/checkin', { token: forged, answer: 'need_help' }))).toBe(
      'invalid_token',
    );
    expect(errorCode(await pub(`/api/public/checkin/callback/${token}`, { answer: 'need_help' }))).toBe(
      'invalid_token',
    );
    expect(errorCode(await pub('/api/public/checkin', { token, answer: 'maybe' }))).toBe('validation_failed');
    expect(
      errorCode(await pub('/api/public/checkin', { token, answer: 'safe', location: { lat: 91, lon: 0 } })),
    ).toBe('validation_failed');
    expect(errorCode(await pub('/api/public/checkin', { token, answer: 'safe', note: 'x\u0000' }))).toBe(
      'invalid_text',
    );
  });

  it("takes an organisation system's answer at the signed callback URL", async () => {
    const { CALLBACK_PURPOSE, signAnswerToken } = await import('../../src/domain/checkins/answer-tokens.ts');
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const subject = {
      alertId,
      recipientId: person['dan@example.org'] as string,
      channel: 'webhook' as const,
    };
    const token = signAnswerToken(h.ctx.privacy.tokens, CALLBACK_PURPOSE, subject, exp);
    const res = await pub(`/api/public/checkin/callback/${token}`, {
      answer: 'safe',
      note: 'Confirmed by his employer.',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ answer: 'safe', replay: false });
    // The answer link's purpose is not the callback's, nor the other way round.
    expect(errorCode(await pub('/api/public/checkin', { token, answer: 'safe' }))).toBe('invalid_token');
    // Back to no answer for the counts below: answers are kept, so delete this one by hand.
    await h.ctx.store.db.deleteFrom('checkin_latest').where('person_id', '=', subject.recipientId).execute();
  });

  it('takes an SMS reply through the signed inbound webhook, once per provider message', async () => {
    const code = /SAFE (\d{4})/.exec(links['bob@example.org']?.sms ?? '')?.[1] as string;
    const base = {
      MessageSid: 'SM0001',
      From: '+9647701000002',
      To: '+15005550006',
      AccountSid: SMS_ENV.WARDEN_SMS_ACCOUNT_SID,
    };
    expect(
      (await inbound({ ...base, Body: `help  ${code}` }, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')).statusCode,
    ).toBe(403);
    expect((await inbound({ ...base, Body: `help  ${code}` }, '')).statusCode).toBe(403);
    const ok = await inbound({ ...base, Body: `help  ${code}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('text/xml');
    await inbound({ ...base, Body: `help  ${code}` }); // replayed: recorded once
    const answers = await h.ctx.store.db
      .selectFrom('checkin_answers')
      .select(['answer', 'channel'])
      .where('person_id', '=', person['bob@example.org'] as string)
      .execute();
    expect(answers).toEqual([{ answer: 'need_help', channel: 'sms' }]);

    // Refused, each for its reason, and audited; nothing recorded.
    await inbound({ ...base, MessageSid: 'SM0002', Body: 'HELP' }); // no code, but one open alert: accepted
    await inbound({ ...base, MessageSid: 'SM0003', Body: 'SAFE 0000' });
    await inbound({ ...base, MessageSid: 'SM0004', From: '+9647709999999', Body: `SAFE ${code}` });
    await inbound({ ...base, MessageSid: 'SM0005', Body: 'what?' });
    const reasons = await h.ctx.store.db
      .selectFrom('audit_log')
      .select('summary')
      .where('action', '=', 'checkin.sms_refused')
      .execute();
    expect(reasons.map((r) => JSON.parse(r.summary).reason).sort()).toEqual(
      code === '0000'
        ? ['unknown_sender', 'unrecognised']
        : ['unknown_code', 'unknown_sender', 'unrecognised'],
    );
  });

  it('opens one need-help case for the post and emails its duty address at the highest priority', async () => {
    const mails = await h.ctx.store.db
      .selectFrom('deliveries')
      .selectAll()
      .where('template', '=', 'need_help')
      .execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]?.priority).toBe(100);
    const { renderNeedHelp } = await import('../../src/services/checkins/need-help.ts');
    const mail = await renderNeedHelp(h.ctx, mails[0] as never);
    expect(mail).toMatchObject({ to: 'duty.basrah@example.org' });
    expect(JSON.stringify(mail)).not.toContain('Bob');

    const queue = await get('/api/checkins/need-help?open=true', officer);
    expect(queue.json().cases).toHaveLength(1);
    expect(queue.json().cases[0].person).toMatchObject({
      name: 'Bob Help',
      answer: 'need_help',
      channel: 'sms',
    });
    expect((await get('/api/checkins/need-help', outsider)).json().cases).toEqual([]);
    const id = queue.json().cases[0].id;
    const handle = (who: Caller) =>
      h.app.inject({
        method: 'POST',
        url: `/api/checkins/need-help/${id}/handle`,
        headers: who.headers,
        payload: { note: 'Called him; safe at home.' },
      });
    expect((await handle(outsider)).statusCode).toBe(403);
    expect((await handle(officer)).statusCode).toBe(200);
    expect(errorCode(await handle(officer))).toBe('conflict');
    const handled = (await get('/api/checkins/need-help?open=false', officer)).json().cases[0];
    expect(handled).toMatchObject({ handledNote: 'Called him; safe at home.' });
    expect(handled.handledBy).toMatch(/^user:/);
  });

  it('rolls up live, lists the people behind each number (audited) and exports safe CSV', async () => {
    expect(await rollup()).toMatchObject({
      targeted: 4,
      reached: 2,
      safe: 1,
      need_help: 1,
      unreachable: 2,
      no_answer: 0,
    });
    const people = await get(
      `/api/alerts/${alertId}/accountability/people?bucket=unreachable&sort=name`,
      officer,
    );
    expect(people.json().people.map((p: Json) => p.name)).toEqual([
      '=HYPERLINK("http://evil")',
      'Dan Nochannel',
    ]);
    const alice = (await get(`/api/alerts/${alertId}/accountability/people?bucket=safe`, officer)).json()
      .people[0];
    expect(alice).toMatchObject({
      name: 'Alice Safe',
      note: 'At the hotel',
      location: { lat: 30.5, lon: 47.8 },
      channel: 'email',
    });
    expect((await get(`/api/alerts/${alertId}/accountability/people`, viewer)).statusCode).toBe(403);
    expect((await get(`/api/alerts/${alertId}/accountability/people`, outsider)).statusCode).toBe(403);
    expect((await get(`/api/alerts/${alertId}/accountability`, outsider)).statusCode).toBe(403);
    const csv = await get(`/api/alerts/${alertId}/accountability/people.csv?sort=name`, officer);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv.body.split('\n')[0]).toBe(
      'name,status,reached,answer,answered_at,channel,late,email,phone,note,lat,lon',
    );
    const reads = await h.ctx.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'checkin.people_read')
      .execute();
    expect(reads.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps every answer, counts the last one, flags answers to a cancelled alert', async () => {
    const token = links['alice@example.org']?.email as string;
    await h.ctx.store.db
      .updateTable('alerts')
      .set({ state: 'cancelled' })
      .where('id', '=', alertId)
      .execute();
    const res = await pub('/api/public/checkin', { token, answer: 'need_help' });
    expect(res.json()).toMatchObject({ alertCancelled: true });
    expect(await rollup()).toMatchObject({ safe: 0, need_help: 2 });
    const all = await h.ctx.store.db
      .selectFrom('checkin_answers')
      .select(['answer', 'alert_cancelled'])
      .where('person_id', '=', person['alice@example.org'] as string)
      .orderBy('at')
      .execute();
    expect(all).toEqual([
      { answer: 'safe', alert_cancelled: 0 },
      { answer: 'need_help', alert_cancelled: 1 },
    ]);
  });

  it('drops erased people from the lists and counts them as erased', async () => {
    const carol = person['carol@example.org'] as string;
    await h.ctx.store.db.deleteFrom('enrollment_keys').where('person_id', '=', carol).execute();
    await h.ctx.store.db.deleteFrom('enrollments').where('id', '=', carol).execute();
    expect(await rollup()).toMatchObject({ targeted: 4, erased: 1, unreachable: 1 });
    const names = (await get(`/api/alerts/${alertId}/accountability/people`, officer))
      .json()
      .people.map((p: Json) => p.name);
    expect(names).not.toContain('=HYPERLINK("http://evil")');
    expect(names).toHaveLength(3);
  });
});
