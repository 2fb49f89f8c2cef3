import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import type { AddressObject } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Channel,
  createEmailChannel,
  type OutboundMessage,
  type Outcome,
} from '../../src/channels/index.ts';
import { startSmtpServer, type TestSmtpServer } from './smtp-server.ts';

const FROM = 'Warden Alerts <alerts@warden.example>';
const FAST = { connectMs: 1000, greetingMs: 1000, socketMs: 2000 };

// Everything opened in a test is closed after it, channel before server (the pool holds
// connections the server would otherwise wait for).
const channels: Channel[] = [];
const servers: TestSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(channels.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(opts: Parameters<typeof startSmtpServer>[0] = {}, pool = true) {
  const smtp = await startSmtpServer(opts);
  servers.push(smtp);
  const channel = createEmailChannel({ url: smtp.url, from: FROM, pool, timeouts: FAST });
  channels.push(channel);
  return { smtp, channel };
}

const message = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: 'dlv_01J9Z3ABCDEF',
  to: 'layla@example.org',
  subject: 'Security Alert – Basrah',
  text: 'Avoid the central business district.',
  ...over,
});

const reasonOf = (o: Outcome): string => ('reason' in o ? o.reason : '');

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''));

describe('email channel over real SMTP', () => {
  it('delivers from, to, subject, text, html, headers and a Message-ID from the delivery id', async () => {
    const { smtp, channel } = await setup();
    const result = await channel.send(
      message({ html: '<p>Avoid the <b>CBD</b>.</p>', headers: { 'X-Warden-Alert': 'alert-17' } }),
    );
    const [mail] = await smtp.waitFor(1);
    // The provider id is the relay's queue id from its `250 2.0.0 Ok: queued as …` reply.
    expect(result).toEqual({
      kind: 'sent',
      providerId: smtp.records[0]!.queueId,
      answer: { status: 250, body: `250 2.0.0 Ok: queued as ${smtp.records[0]!.queueId}` },
    });
    expect(addresses(mail!.from)).toEqual(['alerts@warden.example']);
    expect(mail!.from?.value[0]?.name).toBe('Warden Alerts');
    expect(addresses(mail!.to)).toEqual(['layla@example.org']);
    expect(mail!.subject).toBe('Security Alert – Basrah');
    expect(mail!.text?.trim()).toBe('Avoid the central business district.');
    expect(mail!.html).toContain('<b>CBD</b>');
    expect(mail!.headers.get('x-warden-alert')).toBe('alert-17');
    expect(mail!.messageId).toBe('<dlv_01J9Z3ABCDEF@warden.example>');
    expect(smtp.envelopes[0]).toEqual({ from: 'alerts@warden.example', to: ['layla@example.org'] });
  });

  it('gives a retry the same Message-ID, so it is recognisable downstream', async () => {
    const { smtp, channel } = await setup();
    await channel.send(message());
    await channel.send(message());
    const mails = await smtp.waitFor(2);
    expect(mails[0]!.messageId).toBe(mails[1]!.messageId);
  });

  it('normalises the recipient and lets no header add another one', async () => {
    const { smtp, channel } = await setup();
    const result = await channel.send(
      message({ to: '  Layla@Example.ORG ', headers: { 'X-Note': 'hi\r\nBcc: thief@evil.example' } }),
    );
    expect(result.kind).toBe('sent');
    const [mail] = await smtp.waitFor(1);
    expect(smtp.envelopes[0]!.to).toEqual(['layla@example.org']);
    expect(mail!.bcc).toBeUndefined();
    expect(mail!.headers.has('bcc')).toBe(false);
  });

  it('sends many messages through the pool', async () => {
    const { smtp, channel } = await setup();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        channel.send(message({ id: `dlv-${i}`, to: `p${i}@example.org` })),
      ),
    );
    expect(results.every((r) => r.kind === 'sent')).toBe(true);
    await smtp.waitFor(25);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(25);
  });

  it('refuses, without sending, a message it cannot send as given', async () => {
    const { smtp, channel } = await setup();
    const bad = [
      message({ to: 'not-an-address' }),
      message({ to: 'a@example.org, b@example.org' }),
      message({ id: 'has spaces' }),
      message({ id: '<x@y>' }),
      message({ headers: { 'Message-ID': '<forged@x>' } }),
      message({ headers: { bcc: 'x@example.org' } }),
      message({ headers: { 'Bad Name': 'x' } }),
    ];
    for (const m of bad) {
      const r = await channel.send(m);
      expect(r, JSON.stringify(m)).toMatchObject({ kind: 'permanent' });
    }
    expect(smtp.messages).toHaveLength(0);
  });
});

describe('email channel failures', () => {
  it('a recipient rejected with 550 is permanent, and the error does not name them', async () => {
    const { smtp, channel } = await setup({
      rejectRecipient: (a) =>
        a.startsWith('gone@') ? { code: 550, message: `5.1.1 <${a}> unknown` } : undefined,
    });
    const r = await channel.send(message({ to: 'Gone@Example.org' }));
    expect(r).toMatchObject({ kind: 'permanent' });
    expect(reasonOf(r)).toContain('550');
    expect(reasonOf(r)).not.toMatch(/gone@example\.org/i);
    // The pooled connection is still usable for the next recipient.
    expect((await channel.send(message({ id: 'next' }))).kind).toBe('sent');
    expect(smtp.messages).toHaveLength(1);
  });

  it('a recipient deferred with 451 is retryable', async () => {
    const { channel } = await setup({
      rejectRecipient: () => ({ code: 451, message: '4.7.1 Greylisted, try again later' }),
    });
    const r = await channel.send(message());
    expect(r).toMatchObject({ kind: 'transient' });
    expect(reasonOf(r)).toContain('451');
  });

  it('content refused with 554 after DATA is permanent', async () => {
    const { channel } = await setup({ rejectData: () => ({ code: 554, message: '5.7.1 Rejected as spam' }) });
    expect(await channel.send(message())).toMatchObject({ kind: 'permanent' });
  });

  it('our sender refused with 550 is retryable: it says nothing about the traveller', async () => {
    const { channel } = await setup(
      { rejectSender: () => ({ code: 550, message: '5.7.1 Relay denied' }) },
      false,
    );
    const r = await channel.send(message());
    expect(r).toMatchObject({ kind: 'transient' });
    expect(reasonOf(r)).toContain('MAIL FROM');
  });

  it('an unreachable port fails fast and is retryable', async () => {
    const port = await closedPort();
    const channel = createEmailChannel({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeouts: FAST });
    channels.push(channel);
    const started = Date.now();
    const r = await channel.send(message());
    expect(r).toMatchObject({ kind: 'transient' });
    expect(reasonOf(r)).toMatch(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a server that never greets times out and is retryable', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const channel = createEmailChannel({
      url: `smtp://127.0.0.1:${port}`,
      from: FROM,
      pool: false,
      timeouts: { connectMs: 300, greetingMs: 300, socketMs: 300 },
    });
    try {
      const r = await channel.send(message());
      expect(r).toMatchObject({ kind: 'transient' });
      expect(reasonOf(r)).toMatch(/ETIMEDOUT/);
    } finally {
      await channel.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses a configuration it cannot use', () => {
    expect(() => createEmailChannel({ url: 'http://mail:25', from: FROM })).toThrow(/smtp/);
    expect(() => createEmailChannel({ url: 'not a url', from: FROM })).toThrow(/smtp/);
    expect(() => createEmailChannel({ url: 'smtp://mail:25', from: 'Warden' })).toThrow(/from/);
  });
});

describe('email channel: retries, queue ids and TLS', () => {
  const tlsDir = path.join(import.meta.dirname, '..', 'fixtures', 'tls');
  const read = (f: string) => readFileSync(path.join(tlsDir, f));

  it('a relay that answers 451 and then 250 gives transient, then sent, with one Message-ID', async () => {
    let calls = 0;
    const { smtp, channel } = await setup({
      rejectData: () => (++calls === 1 ? { code: 451, message: '4.3.0 Try again later' } : undefined),
    });
    const first = await channel.send(message());
    expect(first).toMatchObject({ kind: 'transient', answer: { status: 451 } });
    expect(reasonOf(first)).toContain('451');
    const second = await channel.send(message());
    expect(second).toMatchObject({ kind: 'sent', answer: { status: 250 } });
    await smtp.waitFor(1);
    expect(smtp.records).toHaveLength(1);
    expect(smtp.records[0]!.messageId).toBe('<dlv_01J9Z3ABCDEF@warden.example>');
    expect(second.kind === 'sent' && second.providerId).toBe(smtp.records[0]!.queueId);
  });

  it('a 550 for the recipient is permanent and keeps the redacted reply as the answer', async () => {
    const { channel } = await setup({
      rejectRecipient: (a) => ({ code: 550, message: `5.1.1 <${a}>: Recipient address rejected` }),
    });
    const r = await channel.send(message());
    expect(r).toMatchObject({ kind: 'permanent', answer: { status: 550 } });
    expect(r.answer?.body).toContain('<recipient>');
    expect(r.answer?.body).not.toContain('layla@');
  });

  it('upgrades with STARTTLS when the relay offers it', async () => {
    const smtp = await startSmtpServer({ tls: { key: read('server.key'), cert: read('server.pem') } });
    servers.push(smtp);
    const channel = createEmailChannel({
      url: smtp.url,
      from: FROM,
      timeouts: FAST,
      tls: { ca: read('ca.pem') },
    });
    channels.push(channel);
    expect((await channel.send(message())).kind).toBe('sent');
    await smtp.waitFor(1);
    expect(smtp.records[0]!.tls).toBe(true);
  });

  it('a relay whose certificate is not trusted is a transient TLS failure, and nothing is sent', async () => {
    const smtp = await startSmtpServer({ tls: { key: read('server.key'), cert: read('server.pem') } });
    servers.push(smtp);
    const channel = createEmailChannel({ url: smtp.url, from: FROM, pool: false, timeouts: FAST });
    channels.push(channel);
    const r = await channel.send(message());
    expect(r.kind).toBe('transient');
    expect(reasonOf(r)).toMatch(/ETLS|certificate/i);
    expect(smtp.records).toHaveLength(0);
  });

  it('requireTls refuses a relay that does not offer STARTTLS', async () => {
    const { smtp } = await setup();
    const channel = createEmailChannel({
      url: smtp.url,
      from: FROM,
      pool: false,
      timeouts: FAST,
      tls: { requireTls: true },
    });
    channels.push(channel);
    expect((await channel.send(message())).kind).toBe('transient');
    expect(smtp.records).toHaveLength(0);
  });
});

describe('the SMTP sink’s failure mix, as the email channel sees it', () => {
  it.each([
    [{ transient: 1 }, 'transient', 451],
    [{ rateLimited: 1 }, 'transient', 451],
    [{ permanent: 1 }, 'permanent', 554],
    [{ disconnect: 1 }, 'transient', 421],
  ] as const)('%j -> %s (%i)', async (failures, kind, status) => {
    const { smtp, channel } = await setup({ failures }, false);
    expect(await channel.send(message())).toMatchObject({ kind, answer: { status } });
    expect(smtp.records).toHaveLength(0);
    expect(smtp.stats).toEqual({ accepted: 0, failed: 1 });
  });
});

/** A port nothing listens on: bind one, then let it go. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise((resolve) => s.close(resolve));
  return port;
}
