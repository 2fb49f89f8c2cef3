import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { type FailureMix, pickFailure } from './failure-mix.ts';

/**
 * A real SMTP server in this process that keeps what it receives in memory: the demo's "Demo
 * mailbox" and the tests send to it over the actual protocol (STARTTLS too, given a
 * certificate), and read back what a mail client would parse.
 *
 *   const sink = await startSmtpSink({ failures: { transient: 0.1 } });
 *   createEmailChannel({ url: sink.url, from })  ...  await sink.waitFor(1)
 *   await sink.close();   // after closing the sending channel, whose pool holds connections
 */

export interface SmtpReply {
  code: number;
  message: string;
}

export interface ReceivedEnvelope {
  from: string;
  to: string[];
}

/** One accepted message: cheap to keep for 100,000s (the parsed mail is kept separately). */
export interface SinkRecord {
  readonly at: Date;
  readonly envelope: ReceivedEnvelope;
  /** The Message-ID header as sent, `<key@domain>`: the delivery's idempotency key. */
  readonly messageId: string;
  /** The id this server gave it in its `250 Ok: queued as …` reply. */
  readonly queueId: string;
  readonly bytes: number;
  /** Whether the session was upgraded with STARTTLS (or began in TLS). */
  readonly tls: boolean;
}

export interface SmtpSinkOptions {
  host?: string;
  /** 0 (default) = any free port. */
  port?: number;
  /** Require AUTH PLAIN/LOGIN with these credentials (allowed without TLS: loopback only). */
  auth?: { user: string; pass: string };
  /** Offer STARTTLS with this key and certificate (PEM); without it STARTTLS is not offered. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Answer MAIL FROM with this reply instead of accepting the sender. */
  rejectSender?: (address: string) => SmtpReply | undefined;
  /** Answer RCPT TO for an address with this reply instead of accepting it. */
  rejectRecipient?: (address: string) => SmtpReply | undefined;
  /** Answer the end of DATA with this reply instead of accepting the message. */
  rejectData?: (envelope: ReceivedEnvelope) => SmtpReply | undefined;
  /**
   * Random failures at the end of DATA: `transient` and `rateLimited` 451, `permanent` 554,
   * `disconnect` 421 and the connection closed, `timeout` no answer for `stallMs`.
   */
  failures?: FailureMix;
  /** How long a `timeout` failure holds the reply (default 30 s). */
  stallMs?: number;
  /** Parse each message with mailparser into `messages` (default true; off for benchmarks). */
  parse?: boolean;
  /** Keep at most this many records and parsed messages, dropping the oldest (default: all). */
  keep?: number;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>` for createEmailChannel. */
  readonly url: string;
  readonly port: number;
  /** Parsed accepted messages in arrival order (when `parse` is on); parsed before the 250. */
  readonly messages: ParsedMail[];
  /** The SMTP envelope of each parsed message, same order as `messages`. */
  readonly envelopes: ReceivedEnvelope[];
  /** Every accepted message, parsed or not. */
  readonly records: SinkRecord[];
  /** Counters since start (not capped by `keep`). */
  readonly stats: { accepted: number; failed: number };
  /** Resolves once at least n messages were accepted; rejects after timeoutMs. */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Forgets everything received (the demo mailbox's "clear"). */
  clear(): void;
  close(): Promise<void>;
}

const replyError = (r: SmtpReply): Error => Object.assign(new Error(r.message), { responseCode: r.code });

const envelopeOf = (session: SMTPServerSession): ReceivedEnvelope => ({
  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
  to: session.envelope.rcptTo.map((r) => r.address),
});

const FAILURE_REPLY: Record<'transient' | 'rateLimited' | 'permanent' | 'disconnect', SmtpReply> = {
  transient: { code: 451, message: '4.3.0 Temporary failure, try again later' },
  rateLimited: { code: 451, message: '4.7.0 Too many messages, slow down' },
  permanent: { code: 554, message: '5.6.0 Message refused' },
  disconnect: { code: 421, message: '4.4.2 Closing connection' },
};

/** Reads the Message-ID header without parsing the message (the benchmark path). */
function messageIdOf(raw: Buffer): string {
  const head = raw.subarray(0, Math.min(raw.length, 16_384)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const m = /^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(end >= 0 ? head.slice(0, end) : head);
  return m?.[1]?.replace(/\s+/g, '') ?? '';
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const envelopes: ReceivedEnvelope[] = [];
  const records: SinkRecord[] = [];
  const stats = { accepted: 0, failed: 0 };
  const waiters = new Set<() => void>();
  const keep = opts.keep ?? Number.POSITIVE_INFINITY;
  const stalled = new Set<NodeJS.Timeout>();
  const push = <T>(list: T[], item: T): void => {
    list.push(item);
    if (list.length > keep) list.shift();
  };

  async function accept(raw: Buffer, envelope: ReceivedEnvelope, tls: boolean): Promise<string> {
    const queueId = randomBytes(6).toString('hex').toUpperCase();
    if (opts.parse !== false) {
      const mail = await simpleParser(raw);
      push(messages, mail);
      push(envelopes, envelope);
    }
    const messageId = messageIdOf(raw);
    push(records, { at: new Date(), envelope, messageId, queueId, bytes: raw.length, tls });
    stats.accepted++;
    for (const wake of waiters) wake();
    return queueId;
  }

  const server = new SMTPServer({
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      const ok = opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass;
      if (ok) return callback(null, { user: auth.username });
      callback(replyError({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
    },
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : { disabledCommands: ['STARTTLS'] }),
    logger: false,
    closeTimeout: 1000,
    size: 10 * 1024 * 1024,
    onMailFrom(address, _session, callback) {
      const reply = opts.rejectSender?.(address.address);
      callback(reply ? replyError(reply) : null);
    },
    onRcptTo(address, _session, callback) {
      const reply = opts.rejectRecipient?.(address.address);
      callback(reply ? replyError(reply) : null);
    },
    onData(stream, session, callback) {
      const envelope = envelopeOf(session);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err: Error) => callback(err));
      stream.on('end', () => {
        const reply = opts.rejectData?.(envelope);
        if (reply) return callback(replyError(reply));
        const failure = pickFailure(opts.failures);
        if (failure === 'timeout') {
          stats.failed++;
          const t = setTimeout(() => {
            stalled.delete(t);
            callback(replyError(FAILURE_REPLY.transient));
          }, opts.stallMs ?? 30_000);
          stalled.add(t);
          return;
        }
        if (failure) {
          stats.failed++;
          return callback(replyError(FAILURE_REPLY[failure]));
        }
        accept(Buffer.concat(chunks), envelope, session.secure).then(
          (queueId) => callback(null, `2.0.0 Ok: queued as ${queueId}`),
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      });
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    const listener = server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () =>
      resolve((listener.address() as AddressInfo).port),
    );
  });
  // A client that vanishes mid-session is the client's problem, not a crash of the demo.
  server.on('error', () => {});

  return {
    url: `smtp://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    messages,
    envelopes,
    records,
    stats,
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const count = () => (opts.parse === false ? stats.accepted : messages.length);
        const check = (): void => {
          if (count() < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages.slice(0, n));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${n} message(s) within ${timeoutMs} ms, got ${count()}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    clear() {
      messages.length = 0;
      envelopes.length = 0;
      records.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of stalled) clearTimeout(t);
        server.close(() => resolve());
      }),
  };
}
