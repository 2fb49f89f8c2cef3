import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/channels/fakes/webhook-receiver.ts';
import type { Channel, OutboundMessage, Outcome } from '../../src/channels/types.ts';
import { createWebhookChannel, type WebhookChannelOptions } from '../../src/channels/webhook.ts';
import { generateWebhookSecret, secretKey, signWebhook } from '../../src/channels/webhook-signature.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const tls = (f: string) => readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'tls', f));

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  // Channels first: their pools hold connections the receivers would wait for.
  for (const c of opened.splice(0).reverse()) await c.close();
});

async function receiver(opts: Parameters<typeof startWebhookReceiver>[0] = {}): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver({ secret: SECRET, ...opts });
  opened.push(r);
  return r;
}

function channel(opts: WebhookChannelOptions = {}): Channel {
  // Local receivers: the address and port rules are lifted, as the test-only setting allows.
  const c = createWebhookChannel({ secret: SECRET, allowPrivate: true, allowHttp: true, ...opts });
  opened.push(c);
  return c;
}

const message = (to: string, over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: 'dlv_01J9Z3WEBHOOK',
  to,
  subject: 'Security Alert – Basrah',
  text: 'Avoid the central business district.',
  ...over,
});
const reasonOf = (o: Outcome): string => ('reason' in o ? o.reason : '');

describe('webhook channel', () => {
  it('posts JSON signed the Standard Webhooks way, verified by the reference package', async () => {
    const r = await receiver();
    const out = await channel().send(message(`${r.url}/hooks/warden`));
    expect(out).toEqual({ kind: 'delivered', answer: { status: 204, body: '' } });
    const [got] = r.requests;
    expect(got).toMatchObject({ path: '/hooks/warden', webhookId: 'dlv_01J9Z3WEBHOOK', verified: true });
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(got!.body)).toMatchObject({
      type: 'warden.message',
      data: {
        id: 'dlv_01J9Z3WEBHOOK',
        subject: 'Security Alert – Basrah',
        text: 'Avoid the central business district.',
      },
    });
    // The reference verifier, called directly on what arrived, agrees.
    expect(new Webhook(SECRET).verify(got!.body, got!.headers)).toMatchObject({ type: 'warden.message' });
  });

  it('signs byte for byte like the reference package', () => {
    const key = secretKey(SECRET)!;
    const body = '{"a":"ü","b":[1,2]}';
    const at = new Date(1_700_000_000_000);
    expect(signWebhook(key, 'msg_1', 1_700_000_000, body)).toBe(new Webhook(SECRET).sign('msg_1', at, body));
    const fresh = generateWebhookSecret();
    expect(signWebhook(secretKey(fresh)!, 'x', 1, '')).toBe(new Webhook(fresh).sign('x', new Date(1000), ''));
  });

  it('sends every retry with the same webhook-id; a message may carry its own body and secret', async () => {
    const other = generateWebhookSecret();
    const r = await receiver({ secret: other });
    const c = channel();
    const m = message(`${r.url}/x`, { json: { alert: 'a-17', area: 'Basrah' }, secret: other });
    expect((await c.send(m)).kind).toBe('delivered');
    expect((await c.send(m)).kind).toBe('delivered');
    expect(r.requests.map((q) => q.webhookId)).toEqual(['dlv_01J9Z3WEBHOOK', 'dlv_01J9Z3WEBHOOK']);
    expect(r.requests.every((q) => q.verified)).toBe(true);
    expect(JSON.parse(r.requests[0]!.body)).toEqual({ alert: 'a-17', area: 'Basrah' });
  });

  it('does not follow a redirect: permanent, and the target is never called', async () => {
    const target = await receiver();
    const r = await receiver({
      behave: () => ({ status: 302, headers: { location: `${target.url}/stolen` } }),
    });
    const out = await channel().send(message(`${r.url}/hook`));
    expect(out).toMatchObject({ kind: 'permanent', answer: { status: 302 } });
    expect(reasonOf(out)).toMatch(/redirect/);
    expect(r.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });

  it('410 is permanent; 429 honours Retry-After; 503, 500 and 404 are transient', async () => {
    const statuses: Record<string, { status: number; headers?: Record<string, string> }> = {
      '/gone': { status: 410 },
      '/busy': { status: 429, headers: { 'retry-after': '7' } },
      '/down': { status: 503, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() } },
      '/error': { status: 500 },
      '/missing': { status: 404 },
    };
    const r = await receiver({ behave: (q) => statuses[q.path] });
    const c = channel();
    expect(await c.send(message(`${r.url}/gone`))).toMatchObject({
      kind: 'permanent',
      answer: { status: 410 },
    });
    expect(await c.send(message(`${r.url}/busy`))).toMatchObject({ kind: 'transient', retryAfterMs: 7000 });
    const down = await c.send(message(`${r.url}/down`));
    expect(down.kind === 'transient' && down.retryAfterMs).toBeGreaterThan(25_000);
    expect(await c.send(message(`${r.url}/error`))).toMatchObject({
      kind: 'transient',
      answer: { status: 500 },
    });
    expect(await c.send(message(`${r.url}/missing`))).toMatchObject({
      kind: 'transient',
      answer: { status: 404 },
    });
  });

  it('cuts off a receiver whose body never ends, after the read limit', async () => {
    const r = await receiver({ behave: () => 'stream' });
    const started = Date.now();
    const out = await channel({ maxResponseBytes: 64 * 1024 }).send(message(`${r.url}/hook`));
    expect(out).toMatchObject({ kind: 'delivered', answer: { status: 200 } });
    expect(out.answer!.body.length).toBeLessThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('gives up on a receiver that never answers when the attempt time is up: transient', async () => {
    const r = await receiver({ behave: () => 'stall' });
    const started = Date.now();
    const out = await channel({ timeoutMs: 400 }).send(message(`${r.url}/hook`));
    const took = Date.now() - started;
    expect(out.kind).toBe('transient');
    expect(reasonOf(out)).toMatch(/timed out|timeout/i);
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(2000);
  });

  it('a closed port and a dropped connection are transient', async () => {
    const port = await closedPort();
    const refused = await channel().send(message(`http://127.0.0.1:${port}/hook`));
    expect(refused.kind).toBe('transient');
    expect(reasonOf(refused)).toMatch(/ECONNREFUSED/);
    const r = await receiver({ behave: () => 'disconnect' });
    expect((await channel().send(message(`${r.url}/hook`))).kind).toBe('transient');
  });

  it('speaks HTTPS through the guarded connector, checking the certificate against the name', async () => {
    const r = await receiver({ tls: { key: tls('server.key'), cert: tls('server.pem') } });
    const url = `https://localhost:${r.port}/hook`;
    expect(await channel({ ca: tls('ca.pem') }).send(message(url))).toMatchObject({ kind: 'delivered' });
    const untrusted = await channel().send(message(url));
    expect(untrusted.kind).toBe('transient');
    expect(reasonOf(untrusted)).toMatch(/certificate|self.signed|UNABLE/i);
  });

  it('refuses a message it cannot sign or address, without sending', async () => {
    const r = await receiver();
    const c = channel();
    for (const m of [
      message(`${r.url}/x`, { id: 'has spaces' }),
      message(`${r.url}/x`, { secret: 'not-a-secret' }),
      message('not a url'),
      message(`ftp://127.0.0.1:${r.port}/x`),
      message(`http://user:pw@127.0.0.1:${r.port}/x`),
    ])
      expect((await c.send(m)).kind, m.to).toBe('permanent');
    const unsigned = createWebhookChannel({ allowPrivate: true });
    opened.push(unsigned);
    expect(await unsigned.send(message(`${r.url}/x`))).toMatchObject({
      kind: 'permanent',
      reason: expect.stringMatching(/secret/),
    });
    expect(() => createWebhookChannel({ secret: 'whsec_!!' })).toThrow(/whsec_/);
    expect(r.requests).toHaveLength(0);
  });
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise((resolve) => s.close(resolve));
  return port;
}
