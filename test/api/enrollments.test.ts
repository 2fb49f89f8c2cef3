import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.ts';
import { blindIndex, PersonCipher, signToken } from '../../src/domain/privacy/index.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { type ApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { capturedLogs } from '../support/log.ts';
import { type MailApp, startMailApp } from '../support/mail-app.ts';

type Json = Record<string, unknown>;

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
let seq = 0;
const uniqueEmail = (tag: string) => `${tag}.${++seq}.${process.pid}@example.org`;

const enrollment = (over: Json = {}): Json => ({
  name: 'Layla Haddad',
  email: uniqueEmail('layla'),
  language: 'en',
  emergencyContact: { name: 'Omar Haddad', phone: '+44 7911 123456' },
  consent: true,
  trips: [
    { country: 'IQ', place: { placeId: 99532 }, arrival: day(3), departure: day(20) },
    { country: 'IQ', point: { lat: 33.3, lon: 44.39 }, arrival: day(20) },
    { country: 'KW', wholeCountry: true, arrival: day(25), departure: day(27) },
  ],
  ...over,
});

/** The token of the verification link in a mail (it travels in the URL fragment). */
const tokenIn = (mail: ParsedMail): string => {
  const m = /#token=([A-Za-z0-9_.-]+)/.exec(mail.text ?? '');
  if (!m?.[1]) throw new Error(`no token in mail: ${mail.text}`);
  return m[1];
};

describe.each(backends())('public enrollment on %s', (backend) => {
  let h: ApiHarness;
  let ctx: Context;
  let app: FastifyInstance;
  let mail: MailApp;
  beforeAll(async () => {
    mail = await startMailApp(backend);
    ({ h, ctx, app } = mail);
  });
  afterAll(() => mail.close());

  const post = (payload: Json, url = '/api/public/enrollments', on = app) =>
    on.inject({ method: 'POST', url, payload });
  const mailsTo = (address: string, n: number): Promise<ParsedMail[]> => mail.mailsTo(address, n);
  const personOf = async (email: string) => {
    const idx = blindIndex(ctx.privacy.blindIndex, 'email', email)!;
    const c = await ctx.store.db
      .selectFrom('enrollment_contacts')
      .selectAll()
      .where('blind_index', '=', idx)
      .executeTakeFirst();
    return c;
  };

  it('stores an enrollment sealed, resolves trips offline, and emails a verification link', async () => {
    const body = enrollment({ phone: '+964 780 123 4567', webhookUrl: 'https://hooks.example.org/warden' });
    const email = body.email as string;
    const res = await post(body);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'pending_verification' });

    const contact = await personOf(email);
    expect(contact).toMatchObject({ kind: 'email', verified_at: null });
    const personId = contact!.person_id;
    const row = await ctx.store.db
      .selectFrom('enrollments')
      .selectAll()
      .where('id', '=', personId)
      .executeTakeFirstOrThrow();
    // Nothing personal in clear at rest.
    expect(JSON.stringify(row)).not.toContain('Layla');
    expect(JSON.stringify(row)).not.toContain('Omar');
    expect(contact!.value_enc).not.toContain('layla');
    const { wrapped_key } = await ctx.store.db
      .selectFrom('enrollment_keys')
      .select('wrapped_key')
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    const cipher = PersonCipher.open(ctx.privacy.kek, personId, wrapped_key);
    expect(cipher.decrypt('name', row.name_enc)).toBe('Layla Haddad');
    expect(cipher.decrypt('email', contact!.value_enc)).toBe(email);
    expect(cipher.decrypt('emergencyContactPhone', row.emergency_phone_enc!)).toBe('+447911123456');

    const phone = await ctx.store.db
      .selectFrom('enrollment_contacts')
      .selectAll()
      .where('person_id', '=', personId)
      .where('kind', '=', 'phone')
      .executeTakeFirstOrThrow();
    expect(cipher.decrypt('phone', phone.value_enc)).toBe('+9647801234567');

    const trips = await ctx.store.db
      .selectFrom('enrollment_trips')
      .select(['country', 'region', 'lat', 'lon', 'place_id', 'arrival', 'departure'])
      .where('person_id', '=', personId)
      .orderBy('arrival')
      .execute();
    expect(trips).toEqual([
      {
        country: 'IQ',
        region: 'IQ-BA',
        lat: 30.50852,
        lon: 47.7804,
        place_id: 99532,
        arrival: day(3),
        departure: day(20),
      },
      {
        country: 'IQ',
        region: 'IQ-BG',
        lat: 33.3,
        lon: 44.39,
        place_id: null,
        arrival: day(20),
        departure: null,
      },
      {
        country: 'KW',
        region: null,
        lat: null,
        lon: null,
        place_id: null,
        arrival: day(25),
        departure: day(27),
      },
    ]);

    const [mail] = await mailsTo(email, 1);
    expect(mail!.subject).toMatch(/confirm/i);
    expect(mail!.text).not.toContain('Layla');
    const token = tokenIn(mail!);
    expect(mail!.text).toContain(`${ctx.config.publicUrl}/enroll/verify#token=`);

    const ok = await post({ token }, '/api/public/verify');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'verified' });
    expect((await personOf(email))!.verified_at).not.toBeNull();
    // The same link again: harmless, says so.
    expect((await post({ token }, '/api/public/verify')).json()).toEqual({ status: 'already_verified' });

    const audit = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'summary'])
      .where('target', '=', `enrollment:${personId}`)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['enrollment.create', 'enrollment.contact_verified']);
    expect(JSON.parse(audit[0]!.summary)).toEqual({
      trips: 3,
      countries: ['IQ', 'KW'],
      contacts: ['email', 'phone'],
    });
  });

  it('answers an already-enrolled contact exactly like a new one, and mails them instead', async () => {
    const first = enrollment();
    const email = first.email as string;
    await post(first);
    const [verifyMail] = await mailsTo(email, 1);

    // Unverified: a repeat gets a fresh verification link, nothing else.
    const again = await post(enrollment({ email: email.toUpperCase(), name: 'Someone Else' }));
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ status: 'pending_verification' });
    const mails = await mailsTo(email, 2);
    expect(mails[1]!.subject).toMatch(/confirm/i);

    await post({ token: tokenIn(verifyMail!) }, '/api/public/verify');
    const third = await post(enrollment({ email }));
    expect(third.statusCode).toBe(202);
    expect(third.body).toBe(again.body);
    const all = await mailsTo(email, 3);
    expect(all[2]!.subject).toMatch(/already enrolled/i);
    expect(all[2]!.text).toContain('/enroll/manage');

    const contact = await personOf(email);
    const persons = await ctx.store.db
      .selectFrom('enrollment_contacts')
      .select('person_id')
      .where('person_id', '=', contact!.person_id)
      .execute();
    expect(persons).toHaveLength(1);
  });

  it('stores one enrollment when the same new contact enrolls twice at once', async () => {
    const email = uniqueEmail('race');
    const [a, b] = await Promise.all([post(enrollment({ email })), post(enrollment({ email }))]);
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect(a.body).toBe(b.body);
    const contact = await personOf(email);
    const rows = await ctx.store.db
      .selectFrom('enrollment_contacts')
      .select('person_id')
      .where('blind_index', '=', contact!.blind_index)
      .execute();
    expect(rows).toHaveLength(1);
    expect(await mailsTo(email, 2)).toHaveLength(2);
  });

  it('refuses a stale, tampered or expired verification link', async () => {
    const body = enrollment();
    await post(body);
    const [mail] = await mailsTo(body.email as string, 1);
    const token = tokenIn(mail!);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const bad = await post({ token: tampered }, '/api/public/verify');
    expect(bad.statusCode).toBe(401);
    expect(errorCode(bad)).toBe('invalid_token');

    const contact = await personOf(body.email as string);
    const expired = signToken(ctx.privacy.tokens, {
      sub: contact!.id,
      purpose: 'verify-email',
      v: 0,
      exp: Math.floor(ctx.clock.now().getTime() / 1000) - 10,
    });
    const old = await post({ token: expired }, '/api/public/verify');
    expect(old.statusCode).toBe(401);
    expect(old.json().error.details).toEqual({ reason: 'expired' });

    const wrongVersion = signToken(ctx.privacy.tokens, {
      sub: contact!.id,
      purpose: 'verify-email',
      v: 7,
      exp: Math.floor(ctx.clock.now().getTime() / 1000) + 60,
    });
    expect(errorCode(await post({ token: wrongVersion }, '/api/public/verify'))).toBe('invalid_token');
    // A manage-link token is not a verification token.
    const other = signToken(ctx.privacy.tokens, {
      sub: contact!.id,
      purpose: 'manage',
      v: 0,
      exp: Math.floor(ctx.clock.now().getTime() / 1000) + 60,
    });
    expect(errorCode(await post({ token: other }, '/api/public/verify'))).toBe('invalid_token');

    // GET with ?token= works for plain links.
    const get = await app.inject({
      method: 'GET',
      url: `/api/public/verify?token=${encodeURIComponent(token)}`,
    });
    expect(get.json()).toEqual({ status: 'verified' });
  });

  it('keeps messages in the outbox, free of personal data, when no email channel is configured', async () => {
    const body = enrollment({ name: 'Outbox Person' });
    const res = await post(body, '/api/public/enrollments', h.app);
    expect(res.statusCode).toBe(202);
    const contact = await personOf(body.email as string);
    const rows = await ctx.store.db
      .selectFrom('deliveries')
      .selectAll()
      .where('person_id', '=', contact!.person_id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      channel: 'email',
      template: 'verify_email',
      contact_id: contact!.id,
      status: 'queued',
      attempts: 0,
    });
    expect(JSON.stringify(rows)).not.toContain('@example.org');
    expect(JSON.stringify(rows)).not.toContain('Outbox');
  });

  it('marks messages it sent as sent', async () => {
    const body = enrollment();
    await post(body);
    await mailsTo(body.email as string, 1);
    const contact = await personOf(body.email as string);
    const row = await ctx.store.db
      .selectFrom('deliveries')
      .selectAll()
      .where('contact_id', '=', contact!.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
  });

  it.each([
    ['consent_required', { consent: false }, 'consent'],
    ['contact_required', { email: undefined }, 'email'],
    ['invalid_email', { email: 'not an email' }, 'email'],
    ['invalid_phone', { phone: '12345' }, 'phone'],
    ['invalid_phone', { emergencyContact: { name: 'O', phone: 'call me' } }, 'emergencyContact/phone'],
    ['invalid_email', { emergencyContact: { name: 'O', email: 'x@' } }, 'emergencyContact/email'],
    ['webhook_not_allowed', { webhookUrl: 'http://hooks.example.org/x' }, 'webhookUrl'],
    ['webhook_not_allowed', { webhookUrl: 'https://127.0.0.1/x' }, 'webhookUrl'],
    ['webhook_not_allowed', { webhookUrl: 'https://localhost:8080/x' }, 'webhookUrl'],
    ['webhook_not_allowed', { webhookUrl: 'https://10.1.2.3/x' }, 'webhookUrl'],
    ['webhook_not_allowed', { webhookUrl: 'https://169.254.169.254/latest' }, 'webhookUrl'],
    ['webhook_not_allowed', { webhookUrl: 'https://[::1]/x' }, 'webhookUrl'],
    ['webhook_not_allowed', { webhookUrl: 'https://[::ffff:127.0.0.1]/x' }, 'webhookUrl'],
    ['webhook_not_allowed', { webhookUrl: 'https://0x7f.1/x' }, 'webhookUrl'],
    ['webhook_not_allowed', { webhookUrl: 'https://db.internal/x' }, 'webhookUrl'],
    ['unknown_country', { trips: [{ country: 'ZZ', arrival: day(1) }] }, 'trips/0/country'],
    [
      'unknown_place',
      { trips: [{ country: 'IQ', place: { placeId: 1 }, arrival: day(1) }] },
      'trips/0/place/placeId',
    ],
    [
      'place_outside_country',
      { trips: [{ country: 'IQ', place: { placeId: 2988507 }, arrival: day(1) }] },
      'trips/0/place/placeId',
    ],
    [
      'point_outside_country',
      { trips: [{ country: 'IQ', point: { lat: 48.85, lon: 2.35 }, arrival: day(1) }] },
      'trips/0/point',
    ],
    [
      'invalid_trip_location',
      { trips: [{ country: 'IQ', wholeCountry: true, point: { lat: 33.3, lon: 44.39 }, arrival: day(1) }] },
      'trips/0',
    ],
    [
      'invalid_dates',
      { trips: [{ country: 'IQ', arrival: day(10), departure: day(5) }] },
      'trips/0/departure',
    ],
    ['date_out_of_range', { trips: [{ country: 'IQ', arrival: day(-400) }] }, 'trips/0/arrival'],
    ['date_out_of_range', { trips: [{ country: 'IQ', arrival: day(800) }] }, 'trips/0/arrival'],
    [
      'date_out_of_range',
      { trips: [{ country: 'IQ', arrival: day(-30), departure: day(-2) }] },
      'trips/0/departure',
    ],
  ])('refuses %s (%j)', async (code, over, field) => {
    const res = await post(enrollment(over as Json));
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe(code);
    expect(res.json().error.details.field).toBe(field);
  });

  it('accepts residents (no departure, arrived months ago) and national phone forms', async () => {
    const res = await post(
      enrollment({
        email: undefined,
        phone: '0780 123 4599',
        trips: [{ country: 'IQ', point: { lat: 30.5, lon: 47.8 }, arrival: day(-200) }],
      }),
    );
    expect(res.statusCode).toBe(202);
    const idx = blindIndex(ctx.privacy.blindIndex, 'phone', '+9647801234599')!;
    const c = await ctx.store.db
      .selectFrom('enrollment_contacts')
      .selectAll()
      .where('blind_index', '=', idx)
      .executeTakeFirst();
    expect(c).toMatchObject({ kind: 'phone', verified_at: null });
  });

  it('refuses bodies with unknown fields or a missing emergency contact', async () => {
    expect(errorCode(await post(enrollment({ extra: 1 })))).toBe('validation_failed');
    expect(errorCode(await post(enrollment({ emergencyContact: undefined })))).toBe('validation_failed');
    expect(errorCode(await post(enrollment({ trips: [] })))).toBe('validation_failed');
  });

  it('never logs names, emails, phones or locations', async () => {
    const canaryName = 'Zebulon Canaryfield';
    const canaryEmail = `zebulon.canary.${process.pid}@example.org`;
    const before = capturedLogs.length;
    const res = await post(
      enrollment({
        name: canaryName,
        email: canaryEmail,
        phone: '+964 780 555 0123',
        emergencyContact: { name: 'Quintessa Canaryfield', email: `q.canary.${process.pid}@example.org` },
        trips: [{ country: 'IQ', point: { lat: 31.98765, lon: 44.12345 }, arrival: day(2) }],
      }),
    );
    expect(res.statusCode).toBe(202);
    const [mail] = await mailsTo(canaryEmail, 1);
    await post({ token: tokenIn(mail!) }, '/api/public/verify');
    // Errors too: a refused enrollment must not echo what it refused into the log.
    await post(enrollment({ name: canaryName, email: canaryEmail, phone: 'nope' }));
    await drainDeliveries(ctx);
    const logs = capturedLogs.slice(before).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of ['Zebulon', 'Quintessa', 'canary', '7805550123', '31.98765', '44.12345'])
      expect(logs).not.toContain(secret);
  });
});
