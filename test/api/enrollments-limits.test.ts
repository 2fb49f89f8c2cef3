import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { type ApiHarness, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
let seq = 0;
const uniqueEmail = (tag: string) => `${tag}.${++seq}.${process.pid}@example.org`;

const enrollment = (over: Json = {}): Json => ({
  name: 'Nadia Karim',
  email: uniqueEmail('nadia'),
  language: 'en',
  emergencyContact: { name: 'Karim' },
  consent: true,
  trips: [{ country: 'IQ', wholeCountry: true, arrival: day(1) }],
  ...over,
});

describe.each(backends())('enrollment abuse limits on %s', (backend) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness(backend, { WARDEN_ENROLL_PER_IP_PER_10MIN: '12' });
  });
  afterAll(() => h.dispose());

  const post = (url: string, payload: Json, ip = '203.0.113.7') =>
    h.app.inject({ method: 'POST', url, payload, remoteAddress: ip });

  it('allows 3 messages per contact per 10 minutes, known or unknown alike, then 429 with Retry-After', async () => {
    const known = uniqueEmail('known');
    const unknown = uniqueEmail('unknown');
    // Enrolling is one message; two repeats make three.
    for (let i = 0; i < 3; i++)
      expect((await post('/api/public/enrollments', enrollment({ email: known }))).statusCode).toBe(202);
    for (let i = 0; i < 3; i++)
      expect((await post('/api/public/manage-link', { email: unknown })).statusCode).toBe(202);

    const overKnown = await post('/api/public/manage-link', { email: known });
    const overUnknown = await post('/api/public/manage-link', { email: unknown });
    for (const res of [overKnown, overUnknown]) {
      expect(res.statusCode).toBe(429);
      expect(errorCode(res)).toBe('rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(600);
    }
    // Same answer for both: being limited says nothing about who is enrolled.
    expect(overKnown.body).toBe(overUnknown.body);
    const overEnroll = await post('/api/public/enrollments', enrollment({ email: known }));
    expect(errorCode(overEnroll)).toBe('rate_limited');

    // Only 3 messages were queued for the known contact; the unknown address's requests (looked
    // up by the worker after the answer) found nobody.
    await drainDeliveries(h.ctx);
    const queued = await h.ctx.store.db
      .selectFrom('deliveries')
      .select('id')
      .where('channel', '!=', 'internal')
      .execute();
    expect(queued.length).toBe(3);

    h.ctx.clock.advance(10 * 60_000 + 1000);
    expect((await post('/api/public/manage-link', { email: unknown })).statusCode).toBe(202);
  });

  it('limits requests per client IP', async () => {
    const ip = '198.51.100.9';
    for (let i = 0; i < 12; i++)
      expect((await post('/api/public/manage-link', { email: uniqueEmail('x') }, ip)).statusCode).toBe(202);
    const over = await post('/api/public/enrollments', enrollment(), ip);
    expect(over.statusCode).toBe(429);
    expect(errorCode(over)).toBe('rate_limited');
    // Another client is not affected.
    expect((await post('/api/public/enrollments', enrollment(), '198.51.100.10')).statusCode).toBe(202);
  });
});
