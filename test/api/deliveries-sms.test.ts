import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSmsProvider, startFakeSmsProvider } from '../../src/channels/fakes/index.ts';
import { twilioSignature } from '../../src/channels/twilio-signature.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { backends } from '../support/context.ts';
import { startTestServer } from '../support/server.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const day = () => new Date().toISOString().slice(0, 10);

describe.each(backends())(
  'SMS through the Twilio-style provider, with signed status callbacks, on %s',
  (backend) => {
    let sms: FakeSmsProvider;
    let server: Awaited<ReturnType<typeof startTestServer>>;
    const authToken = 'fake-auth-token-0123456789abcdef';
    beforeAll(async () => {
      sms = await startFakeSmsProvider({
        authToken,
        callbackDelayMs: 5,
        undeliverable: { '+9647801119999': 30003 },
      });
      const port = await freePort();
      server = await startTestServer({
        backend,
        port,
        env: {
          WARDEN_PUBLIC_URL: `http://127.0.0.1:${port}`,
          WARDEN_SMS_PROVIDER_URL: sms.url,
          WARDEN_SMS_ACCOUNT_SID: sms.accountSid,
          WARDEN_SMS_AUTH_TOKEN: authToken,
          WARDEN_SMS_FROM: '+15550001111',
        },
      });
    });
    afterAll(async () => {
      await server.close();
      await sms.close();
    });

    const enrollPhone = async (phone: string) => {
      const res = await fetch(`${server.url}/api/public/enrollments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Hassan Ali',
          phone,
          language: 'en',
          emergencyContact: { name: 'Mona Ali' },
          consent: true,
          trips: [{ country: 'IQ', wholeCountry: true, arrival: day() }],
        }),
      });
      expect(res.status).toBe(202);
      const row = await server.ctx.store.db
        .selectFrom('deliveries')
        .selectAll()
        .where('template', '=', 'verify_phone')
        // The test server's clock stands still: ids (time-ordered, then by a counter) give the order.
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return row;
    };
    const state = (id: string) =>
      server.ctx.store.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    it('a phone-only traveller gets their code by SMS; the receipt marks it delivered', async () => {
      const row = await enrollPhone('+9647801110001');
      await drainDeliveries(server.ctx);
      const [m] = await sms.waitFor(1);
      expect(m!.to).toBe('+9647801110001');
      expect(m!.body).toMatch(/\d{6}/);
      expect(m!.idempotencyToken).toBe(row.id);
      await sms.waitForCallbacks(3);
      for (let i = 0; i < 100 && (await state(row.id)).status !== 'delivered'; i++)
        await new Promise((r) => setTimeout(r, 20));
      const after = await state(row.id);
      expect(after).toMatchObject({ status: 'delivered', provider_id: m!.sid });
      expect(sms.callbacks.every((c) => c.answer === 200)).toBe(true);
      const history = await server.ctx.store.db
        .selectFrom('delivery_attempts')
        .select(['outcome', 'answer'])
        .where('delivery_id', '=', row.id)
        .orderBy('id')
        .execute();
      expect(history[0]!.outcome).toBe('sent');
      expect(history.slice(1).every((h) => h.outcome === 'receipt')).toBe(true);
      expect(history.map((h) => h.answer)).toContain('delivered');
    });

    it('an undeliverable number ends failed with the provider error', async () => {
      const row = await enrollPhone('+9647801119999');
      await drainDeliveries(server.ctx);
      for (let i = 0; i < 150 && (await state(row.id)).status !== 'failed'; i++)
        await new Promise((r) => setTimeout(r, 20));
      const after = await state(row.id);
      expect(after.status).toBe('failed');
      expect(after.last_error).toContain('30003');
    });

    it('refuses unsigned and forged callbacks (401, nothing changes) and ignores unknown message ids', async () => {
      const row = await enrollPhone('+9647801110002');
      await drainDeliveries(server.ctx);
      const [, , m] = await sms.waitFor(3);
      // Let the real callbacks finish first.
      for (let i = 0; i < 100 && (await state(row.id)).status !== 'delivered'; i++)
        await new Promise((r) => setTimeout(r, 20));
      const url = `${server.url}/api/hooks/sms/status`;
      const params = {
        MessageSid: m!.sid,
        MessageStatus: 'failed',
        ErrorCode: '30005',
        AccountSid: sms.accountSid,
      };
      const post = (headers: Record<string, string>, p: Record<string, string> = params) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams(p).toString(),
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ 'x-twilio-signature': twilioSignature('wrong-token', url, params) })).status).toBe(
        401,
      );
      // Signed for other parameters: forged.
      const other = { ...params, MessageStatus: 'delivered' };
      expect((await post({ 'x-twilio-signature': twilioSignature(authToken, url, other) })).status).toBe(401);
      expect((await state(row.id)).status).toBe('delivered');
      const unknown = { ...params, MessageSid: `SM${'0'.repeat(32)}` };
      const res = await post({ 'x-twilio-signature': twilioSignature(authToken, url, unknown) }, unknown);
      expect(res.status).toBe(200);
      expect((await state(row.id)).status).toBe('delivered');
    });
  },
);
