import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.ts';
import { blindIndex } from '../../src/domain/privacy/index.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { type ApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { capturedLogs } from '../support/log.ts';
import { type MailApp, startMailApp } from '../support/mail-app.ts';

type Json = Record<string, unknown>;

let seq = 0;
const uniqueEmail = (tag: string) => `${tag}.${++seq}.${process.pid}@example.org`;
const tokenIn = (mail: ParsedMail, page: string): string => {
  const m = new RegExp(`/subscribe/${page}#token=([A-Za-z0-9_.-]+)`).exec(mail.text ?? '');
  if (!m?.[1]) throw new Error(`no ${page} link in mail: ${mail.text}`);
  return m[1];
};

describe.each(backends())('advisory subscriptions on %s', (backend) => {
  let h: ApiHarness;
  let ctx: Context;
  let app: FastifyInstance;
  let mail: MailApp;
  beforeAll(async () => {
    mail = await startMailApp(backend, { WARDEN_ENROLL_PER_IP_PER_10MIN: '1000' });
    ({ h, ctx, app } = mail);
  });
  afterAll(() => mail.close());

  const post = (url: string, payload: Json, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload, headers });
  const mailsTo = (address: string, n: number): Promise<ParsedMail[]> => mail.mailsTo(address, n);
  const body = (over: Json = {}): Json => ({
    email: uniqueEmail('reader'),
    countries: ['IQ', 'kw'],
    frequency: 'immediate',
    language: 'en',
    ...over,
  });

  /** Subscribes, verifies from the mailed link and returns the manage token of the welcome mail. */
  async function subscribed(over: Json = {}) {
    const b = body(over);
    const email = b.email as string;
    const res = await post('/api/public/subscriptions', b);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'pending_verification' });
    const [verify] = await mailsTo(email, 1);
    expect(verify!.subject).toMatch(/confirm your subscription/i);
    const v = await post('/api/public/subscriptions/verify', { token: tokenIn(verify!, 'verify') });
    expect(v.statusCode).toBe(200);
    expect(v.json()).toEqual({ status: 'verified' });
    const mails = await mailsTo(email, 2);
    expect(mails[1]!.subject).toMatch(/you are subscribed/i);
    return { email, verifyToken: tokenIn(verify!, 'verify'), manage: tokenIn(mails[1]!, 'manage') };
  }

  it('writes to a subscriber in their language: French here, English for a language without a catalogue', async () => {
    const fr = body({ language: 'fr-BE' });
    expect((await post('/api/public/subscriptions', fr)).statusCode).toBe(202);
    const [verify] = await mailsTo(fr.email as string, 1);
    expect(verify!.subject).toBe('Confirmez votre abonnement aux conseils aux voyageurs');
    expect(verify!.text).toContain('conseils aux voyageurs pour IQ, KW.');
    expect(verify!.text).toContain(`Confirmez-le ici : ${ctx.config.publicUrl}/subscribe/verify#token=`);
    const ku = body({ language: 'ku' });
    expect((await post('/api/public/subscriptions', ku)).statusCode).toBe(202);
    const [english] = await mailsTo(ku.email as string, 1);
    expect(english!.subject).toBe('Confirm your subscription to travel advisories');
  });

  it('double opt-in: only a verification link until verified, then a welcome with a working manage link', async () => {
    const s = await subscribed();
    const [verify] = await mailsTo(s.email, 1);
    expect(verify!.text).toContain(`${ctx.config.publicUrl}/subscribe/verify#token=`);
    expect(verify!.text).toContain('IQ, KW');
    // The link works once; again, it says so.
    const again = await post('/api/public/subscriptions/verify', { token: s.verifyToken });
    expect(again.json()).toEqual({ status: 'already_verified' });

    const me = await app.inject({
      method: 'GET',
      url: '/api/public/subscriptions/me',
      headers: { authorization: `Bearer ${s.manage}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    expect(me.json().subscription).toMatchObject({
      email: s.email,
      countries: ['IQ', 'KW'],
      frequency: 'immediate',
      language: 'en',
    });
    expect(me.json().subscription.verifiedAt).not.toBeNull();
  });

  it('stores the address sealed, found by the same blind index as an enrollment contact', async () => {
    const email = uniqueEmail('Sealed');
    await post('/api/public/subscriptions', body({ email: `  ${email.toUpperCase()} ` }));
    const idx = blindIndex(ctx.privacy.blindIndex, 'email', email)!;
    const row = await ctx.store.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('blind_index', '=', idx)
      .executeTakeFirstOrThrow();
    expect(row.email_enc).not.toContain(email.toLowerCase().split('@')[0]);
    expect(row.verified_at).toBeNull();
    const key = await ctx.store.db
      .selectFrom('subscription_keys')
      .select('wrapped_key')
      .where('subscription_id', '=', row.id)
      .executeTakeFirst();
    expect(key?.wrapped_key).toMatch(/^v1\./);
    // The normalised address got the mail.
    expect(await mailsTo(email.toLowerCase(), 1)).toHaveLength(1);
  });

  it('answers the same for a subscribed address and changes nothing; the owner is told', async () => {
    const s = await subscribed();
    const fresh = await post('/api/public/subscriptions', body());
    const repeat = await post('/api/public/subscriptions', body({ email: s.email, countries: ['FR'] }));
    expect(repeat.statusCode).toBe(fresh.statusCode);
    expect(repeat.body).toBe(fresh.body);
    const mails = await mailsTo(s.email, 3);
    expect(mails[2]!.subject).toMatch(/already subscribed/i);
    expect(mails[2]!.text).toContain('/subscribe/manage#token=');
    const me = await app.inject({
      method: 'GET',
      url: '/api/public/subscriptions/me',
      headers: { authorization: `Bearer ${s.manage}` },
    });
    expect(me.json().subscription.countries).toEqual(['IQ', 'KW']);

    // The manage-link request answers alike whatever the address, and sends only to a subscriber.
    const unknown = await post('/api/public/subscriptions/manage-link', { email: uniqueEmail('nobody') });
    const known = await post('/api/public/subscriptions/manage-link', { email: s.email });
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    expect(known.json()).toEqual({ status: 'sent_if_subscribed' });
    const after = await mailsTo(s.email, 4);
    expect(after[3]!.subject).toMatch(/manage your travel advisory subscription/i);
  });

  it('an unverified repeat takes the new choices and sends a fresh verification link', async () => {
    const b = body({ countries: ['IQ'] });
    await post('/api/public/subscriptions', b);
    await post('/api/public/subscriptions', { ...b, countries: ['JO'], frequency: 'daily' });
    const mails = await mailsTo(b.email as string, 2);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/confirm/i),
      expect.stringMatching(/confirm/i),
    ]);
    expect(mails[1]!.text).toContain('JO');
    // The first link is stale (the version moved only on verification, so both verify once).
    const v = await post('/api/public/subscriptions/verify', { token: tokenIn(mails[1]!, 'verify') });
    expect(v.json()).toEqual({ status: 'verified' });
    const stale = await post('/api/public/subscriptions/verify', { token: tokenIn(mails[0]!, 'verify') });
    expect(stale.json()).toEqual({ status: 'already_verified' });
  });

  it('changes countries and frequency with the manage token, and refuses anything else as a token', async () => {
    const s = await subscribed();
    const headers = { authorization: `Bearer ${s.manage}` };
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/public/subscriptions/me',
      headers,
      payload: { countries: ['JO', 'IQ', 'JOR'], frequency: 'daily' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().subscription).toMatchObject({ countries: ['IQ', 'JO'], frequency: 'daily' });

    const bad = await app.inject({
      method: 'PATCH',
      url: '/api/public/subscriptions/me',
      headers,
      payload: { countries: ['XX'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'unknown_country', details: { country: 'XX' } });

    // A verification token is not a manage token; nor is a staff session.
    const wrong = await app.inject({
      method: 'GET',
      url: '/api/public/subscriptions/me',
      headers: { authorization: `Bearer ${s.verifyToken}` },
    });
    expect(wrong.statusCode).toBe(401);
    expect(errorCode(wrong)).toBe('invalid_token');
    const admin = await h.signIn('admin');
    const staff = await app.inject({
      method: 'GET',
      url: '/api/public/subscriptions/me',
      headers: admin.headers,
    });
    expect(staff.statusCode).toBe(400);
  });

  it('unsubscribes by deleting the subscription; the link then answers the same and nothing is left', async () => {
    const s = await subscribed();
    const idx = blindIndex(ctx.privacy.blindIndex, 'email', s.email)!;
    const id = (
      await ctx.store.db
        .selectFrom('subscriptions')
        .select('id')
        .where('blind_index', '=', idx)
        .executeTakeFirstOrThrow()
    ).id;
    const un = await post('/api/public/subscriptions/unsubscribe', { token: s.manage });
    expect(un.statusCode).toBe(200);
    expect(un.json()).toEqual({ status: 'unsubscribed' });
    for (const [table, column] of [
      ['subscriptions', 'id'],
      ['subscription_keys', 'subscription_id'],
      ['subscription_countries', 'subscription_id'],
      ['deliveries', 'subscription_id'],
    ] as const) {
      const rows = await ctx.store.db
        .selectFrom(table)
        .selectAll()
        .where(column as never, '=', id as never)
        .execute();
      expect(rows, table).toEqual([]);
    }
    const again = await post('/api/public/subscriptions/unsubscribe', { token: s.manage });
    expect(again.json()).toEqual({ status: 'unsubscribed' });
    const me = await app.inject({
      method: 'GET',
      url: '/api/public/subscriptions/me',
      headers: { authorization: `Bearer ${s.manage}` },
    });
    expect(errorCode(me)).toBe('invalid_token');
    const forged = await post('/api/public/subscriptions/unsubscribe', { token: `${s.manage}x` });
    expect(forged.statusCode).toBe(401);
    const audit = await ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'subscription.unsubscribe')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).not.toContain(s.email);
  });

  it('refuses bad input with stable codes', async () => {
    const cases: Array<[Json, number, string]> = [
      [body({ email: 'not-an-email' }), 400, 'invalid_email'],
      [body({ countries: ['IQ', 'ZZ'] }), 400, 'unknown_country'],
      [body({ countries: [] }), 400, 'validation_failed'],
      [body({ frequency: 'weekly' }), 400, 'validation_failed'],
      [body({ language: 'English!' }), 400, 'validation_failed'],
      [{ ...body(), extra: true }, 400, 'validation_failed'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post('/api/public/subscriptions', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      const err = res.json().error;
      expect(err).toMatchObject({ code });
      expect(typeof err.message).toBe('string');
      expect(typeof err.details).toBe('object');
    }
    const bogus = await post('/api/public/subscriptions/verify', { token: 'abc.def' });
    expect(bogus.statusCode).toBe(401);
    expect(errorCode(bogus)).toBe('invalid_token');
  });

  it('throttles per address, known or not, with the same answer', async () => {
    const email = uniqueEmail('busy');
    const codes: number[] = [];
    for (let i = 0; i < ctx.config.enrollment.perContactPer10Min + 1; i++)
      codes.push((await post('/api/public/subscriptions', body({ email }))).statusCode);
    expect(codes.slice(0, -1).every((c) => c === 202)).toBe(true);
    const last = await post('/api/public/subscriptions', body({ email }));
    expect(last.statusCode).toBe(429);
    expect(errorCode(last)).toBe('rate_limited');
    expect(last.headers['retry-after']).toBeDefined();
  });

  it('never logs the address', async () => {
    const before = capturedLogs.length;
    const s = await subscribed();
    await post('/api/public/subscriptions', body({ email: s.email }));
    await drainDeliveries(ctx);
    expect(capturedLogs.slice(before).join('\n')).not.toContain(s.email);
  });
});
