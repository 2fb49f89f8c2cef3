import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import type { TestSmtpServer } from '../channels/smtp-server.ts';
import { type ApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { type MailApp, startMailApp } from '../support/mail-app.ts';

type Json = Record<string, unknown>;

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
let seq = 0;
const uniqueEmail = (tag: string) => `${tag}.${++seq}.${process.pid}@example.org`;

const enrollment = (over: Json = {}): Json => ({
  name: 'Samir Nasser',
  email: uniqueEmail('samir'),
  language: 'en',
  emergencyContact: { name: 'Rana Nasser', email: 'rana@example.org' },
  consent: true,
  trips: [{ country: 'IQ', place: { placeId: 99532 }, arrival: day(3), departure: day(20) }],
  ...over,
});

const tokenIn = (mail: ParsedMail): string => {
  const m = /#token=([A-Za-z0-9_.-]+)/.exec(mail.text ?? '');
  if (!m?.[1]) throw new Error(`no token in mail: ${mail.text}`);
  return m[1];
};

describe.each(backends())('traveller self-service on %s', (backend) => {
  let h: ApiHarness;
  let smtp: TestSmtpServer;
  let ctx: Context;
  let app: FastifyInstance;
  let mail: MailApp;
  beforeAll(async () => {
    mail = await startMailApp(backend);
    ({ h, smtp, ctx, app } = mail);
  });
  afterAll(() => mail.close());

  const post = (url: string, payload: Json, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload, headers });
  const mailsTo = (address: string, n: number): Promise<ParsedMail[]> => mail.mailsTo(address, n);

  /** Enrolls, verifies, asks for a manage link and opens a session: the bearer headers. */
  async function signedInTraveller(over: Json = {}) {
    const body = enrollment(over);
    const email = body.email as string;
    expect((await post('/api/public/enrollments', body)).statusCode).toBe(202);
    const [verify] = await mailsTo(email, 1);
    expect((await post('/api/public/verify', { token: tokenIn(verify!) })).statusCode).toBe(200);
    expect((await post('/api/public/manage-link', { email })).json()).toEqual({ status: 'sent_if_enrolled' });
    const mails = await mailsTo(email, 2);
    expect(mails[1]!.subject).toMatch(/manage/i);
    const linkToken = tokenIn(mails[1]!);
    const session = await post('/api/public/me/session', { token: linkToken });
    expect(session.statusCode).toBe(200);
    const { sessionToken } = session.json();
    expect(sessionToken).toMatch(/^wtr_/);
    return { email, linkToken, headers: { authorization: `Bearer ${sessionToken}` } };
  }

  it('opens a session from a one-time manage link and shows my enrollment, decrypted', async () => {
    const t = await signedInTraveller();
    const res = await app.inject({ method: 'GET', url: '/api/public/me', headers: t.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().enrollment).toMatchObject({
      name: 'Samir Nasser',
      language: 'en',
      emergencyContact: { name: 'Rana Nasser', email: 'rana@example.org', phone: null },
      contacts: [{ kind: 'email', value: t.email, verified: true }],
      trips: [
        {
          country: 'IQ',
          region: 'IQ-BA',
          placeId: 99532,
          placeName: 'Basrah',
          arrival: day(3),
          departure: day(20),
        },
      ],
      unsubscribedAt: null,
    });
    // The link works once.
    const again = await post('/api/public/me/session', { token: t.linkToken });
    expect(again.statusCode).toBe(401);
    expect(errorCode(again)).toBe('invalid_token');
  });

  it('answers manage-link requests the same for unknown addresses, and sends them nothing', async () => {
    const before = smtp.messages.length;
    const unknown = uniqueEmail('nobody');
    const res = await post('/api/public/manage-link', { email: unknown });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'sent_if_enrolled' });
    await drainDeliveries(ctx);
    expect(smtp.messages.length).toBe(before);
  });

  it('sends an unverified contact only a verification link, never a manage link', async () => {
    const body = enrollment();
    await post('/api/public/enrollments', body);
    await post('/api/public/manage-link', { email: body.email as string });
    const mails = await mailsTo(body.email as string, 2);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/confirm/i),
      expect.stringMatching(/confirm/i),
    ]);
  });

  it('an already-enrolled verified contact gets a working manage link', async () => {
    const t = await signedInTraveller();
    await post('/api/public/enrollments', enrollment({ email: t.email }));
    const mails = await mailsTo(t.email, 3);
    expect(mails[2]!.subject).toMatch(/already enrolled/i);
    const session = await post('/api/public/me/session', { token: tokenIn(mails[2]!) });
    expect(session.statusCode).toBe(200);
  });

  it('refuses /me without a traveller session', async () => {
    const none = await app.inject({ method: 'GET', url: '/api/public/me' });
    expect(none.statusCode).toBe(400);
    const bad = await app.inject({
      method: 'GET',
      url: '/api/public/me',
      headers: { authorization: 'Bearer wtr_0123456789abcdefghijklmnop' },
    });
    expect(bad.statusCode).toBe(401);
    expect(errorCode(bad)).toBe('invalid_token');
    const admin = await h.signIn('admin');
    const staff = await app.inject({ method: 'GET', url: '/api/public/me', headers: admin.headers });
    expect(staff.statusCode).toBe(400);
  });

  it('expires the session', async () => {
    const t = await signedInTraveller();
    h.ctx.clock.advance((ctx.config.enrollment.manageTtlMinutes + 1) * 60_000);
    try {
      const res = await app.inject({ method: 'GET', url: '/api/public/me', headers: t.headers });
      expect(errorCode(res)).toBe('invalid_token');
    } finally {
      h.ctx.clock.advance(-(ctx.config.enrollment.manageTtlMinutes + 1) * 60_000);
    }
  });

  it('changes trips, details and contacts; a new email must be verified again', async () => {
    const t = await signedInTraveller();
    const newEmail = uniqueEmail('samir.new');
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/public/me',
      headers: t.headers,
      payload: {
        name: 'Samir N.',
        email: newEmail,
        phone: '+964 780 123 4000',
        trips: [{ country: 'JO', wholeCountry: true, arrival: day(1) }],
        emergencyContact: { name: 'Rana', phone: '+44 7911 123457' },
      },
    });
    expect(res.statusCode).toBe(200);
    const e = res.json().enrollment;
    expect(e.name).toBe('Samir N.');
    expect(e.emergencyContact).toEqual({ name: 'Rana', phone: '+447911123457', email: null });
    expect(e.trips).toEqual([
      {
        id: expect.any(String),
        country: 'JO',
        region: null,
        point: null,
        placeId: null,
        placeName: null,
        arrival: day(1),
        departure: null,
        // A one-way trip: presence is confirmed by enrolling it, and due again in 90 days.
        presence: 'confirmed',
        confirmedAt: null,
        presenceDueAt: `${day(91)}T00:00:00.000Z`,
      },
    ]);
    expect(e.contacts).toEqual(
      expect.arrayContaining([
        { kind: 'email', value: newEmail, verified: false },
        { kind: 'phone', value: '+9647801234000', verified: false },
      ]),
    );
    expect(e.contacts).toHaveLength(2);
    const [verify] = await mailsTo(newEmail, 1);
    expect(verify!.subject).toMatch(/confirm/i);

    const bad = await app.inject({
      method: 'PATCH',
      url: '/api/public/me',
      headers: t.headers,
      payload: { trips: [{ country: 'IQ', arrival: day(5), departure: day(1) }] },
    });
    expect(errorCode(bad)).toBe('invalid_dates');
    const none = await app.inject({
      method: 'PATCH',
      url: '/api/public/me',
      headers: t.headers,
      payload: { email: null, phone: null },
    });
    expect(errorCode(none)).toBe('contact_required');
  });

  it('exports everything, unsubscribes, and erases by crypto-shredding, audited as counts', async () => {
    const t = await signedInTraveller();
    const exp = await app.inject({ method: 'GET', url: '/api/public/me/export', headers: t.headers });
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-disposition']).toContain('attachment');
    const data = exp.json();
    expect(data.enrollment.name).toBe('Samir Nasser');
    expect(data.messages.map((m: Json) => m.template)).toEqual(['verify_email', 'manage_link']);
    const personId = data.enrollment.id as string;

    const un = await post('/api/public/me/unsubscribe', {}, t.headers);
    expect(un.json()).toEqual({ status: 'unsubscribed' });
    const me = await app.inject({ method: 'GET', url: '/api/public/me', headers: t.headers });
    expect(me.json().enrollment.unsubscribedAt).not.toBeNull();

    const del = await app.inject({ method: 'DELETE', url: '/api/public/me', headers: t.headers });
    expect(del.json()).toEqual({ status: 'erased' });
    for (const [table, column] of [
      ['enrollments', 'id'],
      ['enrollment_keys', 'person_id'],
      ['enrollment_contacts', 'person_id'],
      ['enrollment_trips', 'person_id'],
      ['deliveries', 'person_id'],
      ['enrollment_sessions', 'person_id'],
      ['enrollment_links', 'person_id'],
    ] as const) {
      const rows = await ctx.store.db
        .selectFrom(table)
        .selectAll()
        .where(column as never, '=', personId as never)
        .execute();
      expect(rows, table).toEqual([]);
    }
    // Not findable by email any more: a manage-link request sends nothing.
    const before = smtp.messages.length;
    await post('/api/public/manage-link', { email: t.email });
    await drainDeliveries(ctx);
    expect(smtp.messages.length).toBe(before);
    // The session died with the person.
    const gone = await app.inject({ method: 'GET', url: '/api/public/me', headers: t.headers });
    expect(errorCode(gone)).toBe('invalid_token');

    const entry = await ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'enrollment.erase')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.target).toBeNull();
    expect(JSON.parse(entry.summary)).toEqual({
      messages: 2,
      sessions: 1,
      links: 1,
      trips: 1,
      contacts: 1,
      keys: 1,
      enrollments: 1,
    });
  });
});
