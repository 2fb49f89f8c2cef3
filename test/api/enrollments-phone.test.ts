import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blindIndex } from '../../src/domain/privacy/index.ts';
import { renderOutbox } from '../../src/services/enrollments/verification.ts';
import { type ApiHarness, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe.each(backends())('phone verification by SMS code on %s', (backend) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness(backend);
  });
  afterAll(() => h.dispose());

  let n = 0;
  /** Enrolls a phone-only traveller; returns the number and the SMS waiting in the outbox. */
  async function enrollPhone() {
    const phone = `+96478012${String(5000 + ++n).padStart(5, '0')}`;
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/public/enrollments',
      remoteAddress: `192.0.2.${n}`,
      payload: {
        name: 'Hassan Ali',
        phone,
        language: 'ar',
        emergencyContact: { name: 'Mona Ali' },
        consent: true,
        trips: [{ country: 'IQ', wholeCountry: true, arrival: day(0) }],
      },
    });
    expect(res.statusCode).toBe(202);
    const idx = blindIndex(h.ctx.privacy.blindIndex, 'phone', phone)!;
    const contact = await h.ctx.store.db
      .selectFrom('enrollment_contacts')
      .selectAll()
      .where('blind_index', '=', idx)
      .executeTakeFirstOrThrow();
    const sms = await h.ctx.store.db
      .selectFrom('deliveries')
      .selectAll()
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    return { phone, contact, sms };
  }
  const verify = (phone: string, code: string, ip = '203.0.113.50') =>
    h.app.inject({
      method: 'POST',
      url: '/api/public/verify-phone',
      payload: { phone, code },
      remoteAddress: ip,
    });

  it('queues a code by SMS (nothing secret at rest) and verifies the number with it, once', async () => {
    const { phone, contact, sms } = await enrollPhone();
    expect(sms).toMatchObject({ channel: 'sms', template: 'verify_phone', status: 'queued' });
    const rendered = await renderOutbox(h.ctx, sms);
    expect(rendered!.to).toBe(phone);
    // In the language the traveller chose (Arabic), the code in Latin digits.
    expect(rendered!.text).toMatch(/^Warden: رمز التحقق الخاص بك هو \d{6}\. تنتهي صلاحيته خلال 15 دقيقة\./);
    const code = /هو (\d{6})/.exec(rendered!.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(sms)).not.toContain(code!);
    expect(JSON.stringify(sms)).not.toContain(phone.slice(1));

    const wrong = await verify(phone, code === '000000' ? '000001' : '000000');
    expect(wrong.statusCode).toBe(400);
    expect(errorCode(wrong)).toBe('invalid_code');
    // An unknown number gets the very same answer.
    const unknown = await verify('+9647809999999', code!);
    expect(unknown.body).toBe(wrong.body);

    const ok = await verify(phone, code!);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'verified' });
    const after = await h.ctx.store.db
      .selectFrom('enrollment_contacts')
      .select('verified_at')
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(after.verified_at).not.toBeNull();
    expect(errorCode(await verify(phone, code!))).toBe('invalid_code');
  });

  it('expires codes after 15 minutes', async () => {
    const { phone, sms } = await enrollPhone();
    const code = /هو (\d{6})/.exec((await renderOutbox(h.ctx, sms))!.text)?.[1];
    h.ctx.clock.advance(16 * 60_000);
    expect(errorCode(await verify(phone, code!))).toBe('invalid_code');
  });

  it('caps guesses per number, known or not', async () => {
    const { phone } = await enrollPhone();
    for (let i = 0; i < 5; i++)
      expect(errorCode(await verify(phone, `00000${i}`, `198.51.100.${i}`))).toBe('invalid_code');
    const over = await verify(phone, '000009', '198.51.100.99');
    expect(over.statusCode).toBe(429);
    expect(errorCode(over)).toBe('rate_limited');
    for (let i = 0; i < 5; i++) await verify('+9647809999998', `00000${i}`, `198.51.100.${i}`);
    expect(errorCode(await verify('+9647809999998', '000009', '198.51.100.99'))).toBe('rate_limited');
  });
});
