import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.ts';
import { queuePresenceReminders } from '../../src/services/enrollments/presence.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { type ApiHarness, type Caller, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { type MailApp, startMailApp } from '../support/mail-app.ts';
import { dayFrom, traveller, uniqueEmail } from './subscriptions-fixtures.ts';

type Json = Record<string, unknown>;
const DAY = 86_400_000;

const tokenIn = (mail: ParsedMail, page: string): string => {
  const m = new RegExp(`/enroll/${page}#token=([A-Za-z0-9_.-]+)`).exec(mail.text ?? '');
  if (!m?.[1]) throw new Error(`no ${page} link in mail: ${mail.text}`);
  return m[1];
};

describe.each(backends())('presence re-confirmation of open-ended trips on %s', (backend) => {
  let h: ApiHarness;
  let ctx: Context;
  let app: FastifyInstance;
  let admin: Caller;
  let t0: number;
  const email = uniqueEmail('resident');
  let mail: MailApp;
  beforeAll(async () => {
    mail = await startMailApp(backend, { WARDEN_ENROLL_PER_IP_PER_10MIN: '1000' });
    ({ h, ctx, app } = mail);
    admin = await h.signIn('admin');
    t0 = ctx.clock.now().getTime();
  });
  afterAll(() => mail.close());

  const at = (days: number) => h.ctx.clock.set(new Date(t0 + days * DAY));
  const post = (url: string, payload: Json, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload, headers });
  const mailsTo = (address: string, n: number): Promise<ParsedMail[]> => mail.mailsTo(address, n);
  /** The next mail to the address after `action`. */
  async function nextMail(action: () => Promise<unknown>): Promise<ParsedMail> {
    await drainDeliveries(ctx);
    const before = (await mailsTo(email, 0)).length;
    await action();
    const got = await mailsTo(email, before + 1);
    expect(got.length, 'a mail arrived').toBe(before + 1);
    return got[before]!;
  }
  /** A fresh traveller session through the manage-link mail. */
  async function session(): Promise<Record<string, string>> {
    const mail = await nextMail(() => post('/api/public/manage-link', { email }));
    const res = await post('/api/public/me/session', { token: tokenIn(mail, 'manage') });
    return { authorization: `Bearer ${res.json().sessionToken}` };
  }
  const myTrips = async () =>
    (await app.inject({ method: 'GET', url: '/api/public/me', headers: await session() })).json().enrollment
      .trips as Json[];
  // Staff sessions last hours and the clock moves by months: sign in afresh each time.
  const iraq = async () => {
    admin = await h.signIn('admin');
    const res = await app.inject({
      method: 'GET',
      url: '/api/enrollments/stats?country=IQ',
      headers: admin.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().countries[0] as Json;
  };

  it('asks a resident to confirm every 90 days; overdue shows as unconfirmed and stays targeted', async () => {
    let res: Awaited<ReturnType<typeof post>> | undefined;
    const verify = await nextMail(async () => {
      res = await post('/api/public/enrollments', {
        name: 'Nadia Karim',
        email,
        language: 'en',
        emergencyContact: { name: 'Karim' },
        consent: true,
        trips: [
          { country: 'IQ', wholeCountry: true, arrival: dayFrom(ctx, 0) },
          { country: 'IQ', wholeCountry: true, arrival: dayFrom(ctx, 0), departure: dayFrom(ctx, 10) },
        ],
      });
    });
    expect(res?.statusCode).toBe(202);
    expect((await post('/api/public/verify', { token: tokenIn(verify, 'verify') })).statusCode).toBe(200);

    const trips = await myTrips();
    const resident = trips.find((t) => t.departure === null)!;
    const dated = trips.find((t) => t.departure !== null)!;
    expect(resident).toMatchObject({ presence: 'confirmed', confirmedAt: null });
    expect(Date.parse(resident.presenceDueAt as string)).toBe(t0 + 90 * DAY);
    expect(dated).toMatchObject({ presence: null, presenceDueAt: null });
    expect(await queuePresenceReminders(ctx)).toBe(0);

    // Due: one reminder with a link, once.
    at(91);
    const reminder = await nextMail(async () => expect(await queuePresenceReminders(ctx)).toBe(1));
    expect(await queuePresenceReminders(ctx)).toBe(0);
    expect(reminder.subject).toMatch(/still there/i);
    const link = tokenIn(reminder, 'confirm');
    expect((await myTrips()).find((t) => t.id === resident.id)).toMatchObject({ presence: 'confirmed' });
    expect((await iraq()).unconfirmed).toBe(0);

    // Overdue after the grace period: unconfirmed to the traveller and to staff, still counted.
    at(105);
    expect((await myTrips()).find((t) => t.id === resident.id)).toMatchObject({ presence: 'unconfirmed' });
    expect(await iraq()).toMatchObject({ persons: 1, trips: 1, unconfirmed: 1 });

    // The link confirms, once.
    expect((await post('/api/public/trips/confirm', { token: link })).json()).toEqual({
      status: 'confirmed',
    });
    expect((await post('/api/public/trips/confirm', { token: link })).json()).toEqual({
      status: 'already_confirmed',
    });
    const after = (await myTrips()).find((t) => t.id === resident.id)!;
    expect(after).toMatchObject({
      presence: 'confirmed',
      confirmedAt: new Date(t0 + 105 * DAY).toISOString(),
    });
    expect((await iraq()).unconfirmed).toBe(0);
    // Not asked again until the next period is due.
    expect(await queuePresenceReminders(ctx)).toBe(0);
    at(105 + 91);
    expect(await queuePresenceReminders(ctx)).toBe(1);
  });

  it('confirms from self-service, only the traveller’s own trip', async () => {
    at(300);
    const headers = await session();
    const me = (await app.inject({ method: 'GET', url: '/api/public/me', headers })).json().enrollment;
    const trip = (me.trips as Json[]).find((t) => t.departure === null)!;
    expect(trip.presence).toBe('unconfirmed');
    const ok = await post(`/api/public/me/trips/${trip.id}/confirm`, {}, headers);
    expect(ok.statusCode).toBe(200);
    expect((ok.json().enrollment.trips as Json[]).find((t) => t.id === trip.id)).toMatchObject({
      presence: 'confirmed',
      confirmedAt: new Date(t0 + 300 * DAY).toISOString(),
    });
    const other = await traveller(h.ctx, {
      trips: [{ country: 'JO', wholeCountry: true, arrival: dayFrom(ctx, 0) }],
    });
    const theirs = await ctx.store.db
      .selectFrom('enrollment_trips')
      .select('id')
      .where('person_id', '=', other.personId)
      .executeTakeFirstOrThrow();
    const refused = await post(`/api/public/me/trips/${theirs.id}/confirm`, {}, headers);
    expect(refused.statusCode).toBe(404);
    expect(errorCode(refused)).toBe('not_found');
    const anonymous = await post(`/api/public/me/trips/${trip.id}/confirm`, {});
    expect(anonymous.statusCode).toBe(400);
    const forged = await post('/api/public/trips/confirm', { token: 'e30.abc' });
    expect(errorCode(forged)).toBe('invalid_token');
  });
});
