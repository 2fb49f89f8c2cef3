import { existsSync, readFileSync } from 'node:fs';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/context.ts';
import { type MailApp, startMailApp } from '../support/mail-app.ts';

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const tokenIn = (mail: ParsedMail): string => /#token=([A-Za-z0-9_.-]+)/.exec(mail.text ?? '')![1]!;

/** SQLite keeps a REAL as 8 bytes, big-endian IEEE 754. */
const realBytes = (x: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return b;
};

/**
 * Issue 11: after self-service erasure, the traveller's webhook URL (stored in plaintext) and the
 * deleted trip row were still readable in the SQLite file. On PostgreSQL the webhook URL must at
 * least never be stored in plaintext (what its files keep is docs/privacy.md's subject).
 */
describe.each(backends())('erased means erased on %s', (backend) => {
  let mail: MailApp;
  beforeAll(async () => {
    mail = await startMailApp(backend);
  });
  afterAll(() => mail.close());

  it('leaves neither the webhook URL nor the trip in the database files', async () => {
    const { app, ctx } = mail;
    const email = `erase.${process.pid}@example.org`;
    const webhookUrl = `https://hooks.example.org/warden/${process.pid}-erase-me-7f3a9c`;
    const point = { lat: 30.512345678901, lon: 47.812345678901 };
    const post = (url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url, payload, headers });
    const enrolled = await post('/api/public/enrollments', {
      name: 'Layla Haddad',
      email,
      language: 'en',
      webhookUrl,
      emergencyContact: { name: 'Omar Haddad' },
      consent: true,
      trips: [{ country: 'IQ', point, arrival: day(3), departure: day(9) }],
    });
    expect(enrolled.statusCode).toBe(202);
    const [verify] = await mail.mailsTo(email, 1);
    expect((await post('/api/public/verify', { token: tokenIn(verify!) })).statusCode).toBe(200);
    await post('/api/public/manage-link', { email });
    const link = (await mail.mailsTo(email, 2))[1]!;
    const { sessionToken } = (await post('/api/public/me/session', { token: tokenIn(link) })).json();
    const headers = { authorization: `Bearer ${sessionToken}` };
    const me = (await app.inject({ method: 'GET', url: '/api/public/me', headers })).json().enrollment;
    // Sealed at rest, opened for its owner.
    expect(me.webhookUrl).toBe(webhookUrl);
    const row = await ctx.store.db
      .selectFrom('enrollments')
      .selectAll()
      .where('id', '=', me.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('hooks.example.org');
    expect(row.webhook_url_enc).toMatch(/^v1\./);
    const tripId = me.trips[0].id as string;

    const del = await app.inject({ method: 'DELETE', url: '/api/public/me', headers });
    expect(del.json()).toEqual({ status: 'erased' });

    if (backend !== 'sqlite' || ctx.config.database.kind !== 'sqlite') return;
    const file = ctx.config.database.file;
    for (const f of [file, `${file}-wal`]) {
      if (!existsSync(f)) continue;
      const bytes = readFileSync(f);
      expect(bytes.includes(Buffer.from('hooks.example.org')), `${f}: webhook host`).toBe(false);
      expect(bytes.includes(Buffer.from('erase-me-7f3a9c')), `${f}: webhook path`).toBe(false);
      expect(bytes.includes(Buffer.from(tripId)), `${f}: trip id`).toBe(false);
      expect(bytes.includes(realBytes(point.lat)), `${f}: trip latitude`).toBe(false);
      expect(bytes.includes(realBytes(point.lon)), `${f}: trip longitude`).toBe(false);
    }
  });
});
