import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeSmsProvider, startFakeSmsProvider } from '../../src/channels/fakes/fake-sms-provider.ts';
import { createSmsChannel, type SmsChannelOptions } from '../../src/channels/sms.ts';
import {
  parseInboundSms,
  parseStatusCallback,
  parseTwilioForm,
  type SmsStatusUpdate,
  verifyTwilioSignature,
} from '../../src/channels/twilio-signature.ts';
import type { Channel, OutboundMessage, Outcome } from '../../src/channels/types.ts';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of opened.splice(0).reverse()) await c.close();
});
const reasonOf = (o: Outcome): string => ('reason' in o ? o.reason : '');

async function provider(opts: Parameters<typeof startFakeSmsProvider>[0] = {}): Promise<FakeSmsProvider> {
  const p = await startFakeSmsProvider({ callbackDelayMs: 5, ...opts });
  opened.push(p);
  return p;
}

function channel(p: FakeSmsProvider, over: Partial<SmsChannelOptions> = {}): Channel {
  const c = createSmsChannel({
    baseUrl: p.url,
    accountSid: p.accountSid,
    authToken: p.authToken,
    from: '+15005550006',
    ...over,
  });
  opened.push(c);
  return c;
}

const sms = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: 'dlv_01J9Z3SMS',
  to: '+9647801234567',
  text: 'Warden: your code is 123456',
  ...over,
});

/** A stand-in for Warden's hook routes: verifies X-Twilio-Signature, then parses. */
async function hookServer(token: () => string) {
  const updates: SmsStatusUpdate[] = [];
  const inbound: ReturnType<typeof parseInboundSms>[] = [];
  let forged = 0;
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = parseTwilioForm(Buffer.concat(chunks).toString('utf8'));
      const url = `http://127.0.0.1:${port}${req.url}`;
      if (
        !verifyTwilioSignature(url, params, req.headers['x-twilio-signature'] as string | undefined, token())
      ) {
        forged++;
        res.writeHead(401).end();
        return;
      }
      if (req.url === '/api/hooks/sms/status') {
        const u = parseStatusCallback(params);
        if (u) updates.push(u);
      } else inbound.push(parseInboundSms(params));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  opened.push({ close: () => new Promise<void>((r) => server.close(() => r())) });
  return { url: `http://127.0.0.1:${port}`, updates, inbound, forged: () => forged };
}

describe('SMS channel over the fake Twilio API', () => {
  it('posts To/From/Body/StatusCallback with basic auth and the idempotency token; the sid is the provider id', async () => {
    const p = await provider();
    const out = await channel(p, { statusCallbackUrl: 'http://127.0.0.1:9/api/hooks/sms/status' }).send(
      sms(),
    );
    expect(out).toMatchObject({
      kind: 'sent',
      providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      answer: { status: 201 },
    });
    const [m] = p.messages;
    expect(m).toMatchObject({
      to: '+9647801234567',
      from: '+15005550006',
      body: 'Warden: your code is 123456',
      statusCallback: 'http://127.0.0.1:9/api/hooks/sms/status',
      idempotencyToken: 'dlv_01J9Z3SMS',
      segments: 1,
    });
    expect(out.kind === 'sent' && out.providerId).toBe(m!.sid);
  });

  it('a retry with the same key is answered with the first message, not sent again', async () => {
    const p = await provider();
    const c = channel(p);
    const a = await c.send(sms());
    const b = await c.send(sms());
    expect(a.kind === 'sent' && b.kind === 'sent' && a.providerId === b.providerId).toBe(true);
    expect(p.messages).toHaveLength(1);
    expect(p.stats.duplicates).toBe(1);
  });

  it('status callbacks arrive signed, in order, and parse to sent then delivered (or failed)', async () => {
    const p = await provider({ undeliverable: { '+9647800000003': 30003 } });
    const hooks = await hookServer(() => p.authToken);
    const c = channel(p, { statusCallbackUrl: `${hooks.url}/api/hooks/sms/status` });
    const ok = await c.send(sms());
    const bad = await c.send(sms({ id: 'dlv_2', to: '+9647800000003' }));
    await p.waitForCallbacks(6);
    const sid = (o: Outcome) => (o.kind === 'sent' ? o.providerId : '');
    const of = (id: string) =>
      hooks.updates.filter((u) => u.providerId === id).map((u) => [u.state, u.errorCode]);
    expect(of(sid(ok))).toEqual([
      ['accepted', null],
      ['sent', null],
      ['delivered', null],
    ]);
    expect(of(sid(bad))).toEqual([
      ['accepted', null],
      ['sent', null],
      ['failed', 30003],
    ]);
    expect(hooks.forged()).toBe(0);
    expect(p.callbacks.every((cb) => cb.answer === 204)).toBe(true);
  });

  it('a callback signed with another token is refused by the verifier (401)', async () => {
    const p = await provider();
    const hooks = await hookServer(() => 'not-the-token');
    await channel(p, { statusCallbackUrl: `${hooks.url}/api/hooks/sms/status` }).send(sms());
    await p.waitForCallbacks(3);
    expect(hooks.forged()).toBe(3);
    expect(hooks.updates).toHaveLength(0);
    expect(p.callbacks.map((cb) => cb.answer)).toEqual([401, 401, 401]);
  });

  it('simulates a signed inbound reply', async () => {
    const p = await provider();
    const hooks = await hookServer(() => p.authToken);
    expect(
      await p.simulateInbound({
        from: '+9647801234567',
        body: 'SAFE',
        url: `${hooks.url}/api/hooks/sms/inbound`,
      }),
    ).toBe(204);
    expect(hooks.inbound[0]).toMatchObject({ from: '+9647801234567', to: '+15005550006', body: 'SAFE' });
  });

  it('Twilio’s 4xx errors about the number are permanent, with the code and without the number', async () => {
    const p = await provider({ refuse: { '+15005550001': 21211, '+15005550004': 21610 } });
    const c = channel(p);
    const invalid = await c.send(sms({ to: '+15005550001' }));
    expect(invalid).toMatchObject({ kind: 'permanent', answer: { status: 400 } });
    expect(reasonOf(invalid)).toMatch(/^Twilio 21211: The 'To' number <recipient> is not/);
    expect(JSON.stringify(invalid)).not.toContain('+15005550001');
    expect(reasonOf(await c.send(sms({ to: '+15005550004' })))).toMatch(/^Twilio 21610/);
    expect(p.messages).toHaveLength(0);
  });

  it('429 honours Retry-After; 503, dropped connections and silence are transient', async () => {
    let draw = 0;
    const order = [0.05, 0.25, 0.45, 0.65, 0.99];
    const p = await provider({
      failures: {
        rateLimited: 0.2,
        transient: 0.2,
        disconnect: 0.2,
        timeout: 0.2,
        random: () => order[draw++]!,
      },
      retryAfterSeconds: 7,
    });
    const c = channel(p, { timeoutMs: 400 });
    // Draw order of the mix: transient, rateLimited, permanent, disconnect, timeout.
    expect(await c.send(sms())).toMatchObject({
      kind: 'transient',
      answer: { status: 503 },
      reason: expect.stringMatching(/^Twilio 20503/),
    });
    expect(await c.send(sms())).toMatchObject({
      kind: 'transient',
      retryAfterMs: 7000,
      reason: expect.stringMatching(/^Twilio 20429/),
    });
    expect((await c.send(sms())).kind).toBe('transient');
    const silent = await c.send(sms());
    expect(silent.kind).toBe('transient');
    expect(reasonOf(silent)).toMatch(/timed out|timeout/i);
    expect((await c.send(sms())).kind).toBe('sent');
    expect(p.messages).toHaveLength(1);
  });

  it('wrong credentials are transient (the operator fixes them), naming Twilio’s 20003', async () => {
    const p = await provider();
    const out = await channel(p, { authToken: 'wrong' }).send(sms());
    expect(out).toMatchObject({ kind: 'transient', answer: { status: 401 } });
    expect(reasonOf(out)).toMatch(/20003/);
    expect(reasonOf(out)).not.toContain('wrong');
  });

  it('an unreachable provider is transient', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise((r) => s.close(r));
    const c = createSmsChannel({
      baseUrl: `http://127.0.0.1:${port}`,
      accountSid: 'AC1',
      authToken: 't',
      from: '+15005550006',
    });
    opened.push(c);
    const out = await c.send(sms());
    expect(out.kind).toBe('transient');
    expect(reasonOf(out)).toMatch(/ECONNREFUSED/);
  });

  it('refuses, without sending, a text over the segment budget, a bad number or key', async () => {
    const p = await provider();
    const c = channel(p, { maxSegments: 2 });
    expect((await c.send(sms({ text: 'ش'.repeat(134) }))).kind).toBe('sent'); // 2 UCS-2 segments
    const long = await c.send(sms({ text: 'ش'.repeat(135) }));
    expect(long).toMatchObject({ kind: 'permanent', reason: 'text needs 3 UCS-2 segments; the budget is 2' });
    const euros = await c.send(sms({ text: '€'.repeat(154) })); // 308 septets
    expect(reasonOf(euros)).toBe('text needs 3 GSM-7 segments; the budget is 2');
    expect((await c.send(sms({ to: '07801234567' }))).kind).toBe('permanent');
    expect((await c.send(sms({ id: 'no spaces allowed' }))).kind).toBe('permanent');
    expect((await c.send(sms({ text: '  ' }))).kind).toBe('permanent');
    expect(p.stats.requests).toBe(1);
  });

  it('sends through a Messaging Service instead of a From number', async () => {
    const p = await provider();
    const out = await channel(p, { from: undefined, messagingServiceSid: 'MG0123' }).send(sms());
    expect(out.kind).toBe('sent');
    expect(p.messages[0]).toMatchObject({ from: '', messagingServiceSid: 'MG0123', status: 'accepted' });
    expect(() => createSmsChannel({ baseUrl: p.url, accountSid: 'AC1', authToken: 't' })).toThrow(/from/);
  });
});
