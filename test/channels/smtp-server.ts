import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server in the test process: email code is tested over the actual protocol, and
 * what arrives is parsed the way a mail client would parse it. Reusable by any test that sends
 * mail (enrolment verification links, alert emails):
 *
 *   const smtp = await startSmtpServer();
 *   ... send to smtp.url ...
 *   const [mail] = await smtp.waitFor(1);
 *   await smtp.close();   // after closing the sending channel, whose pool holds connections
 */

export interface SmtpReply {
  code: number;
  message: string;
}

export interface ReceivedEnvelope {
  from: string;
  to: string[];
}

export interface SmtpServerOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials (allowed without TLS: loopback only). */
  auth?: { user: string; pass: string };
  /** Answer MAIL FROM with this reply instead of accepting the sender. */
  rejectSender?: (address: string) => SmtpReply | undefined;
  /** Answer RCPT TO for an address with this reply instead of accepting it. */
  rejectRecipient?: (address: string) => SmtpReply | undefined;
  /** Answer the end of DATA with this reply instead of accepting the message. */
  rejectData?: (envelope: ReceivedEnvelope) => SmtpReply | undefined;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>` for createEmailChannel. */
  readonly url: string;
  readonly port: number;
  /** Accepted messages in arrival order; parsed before the server answers 250. */
  readonly messages: ParsedMail[];
  /** The SMTP envelope of each accepted message, same order as `messages`. */
  readonly envelopes: ReceivedEnvelope[];
  /** Resolves once at least n messages were accepted; rejects after timeoutMs. */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

const replyError = (r: SmtpReply): Error => Object.assign(new Error(r.message), { responseCode: r.code });

const envelopeOf = (session: SMTPServerSession): ReceivedEnvelope => ({
  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
  to: session.envelope.rcptTo.map((r) => r.address),
});

export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const envelopes: ReceivedEnvelope[] = [];
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      const ok = opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass;
      if (ok) return callback(null, { user: auth.username });
      callback(replyError({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
    },
    // Plain text on loopback: no certificate for the client to distrust.
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1000,
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
      simpleParser(stream).then(
        (mail) => {
          const reply = opts.rejectData?.(envelope);
          if (reply) return callback(replyError(reply));
          messages.push(mail);
          envelopes.push(envelope);
          for (const wake of waiters) wake();
          callback(null);
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    const listener = server.listen(0, '127.0.0.1', () => resolve((listener.address() as AddressInfo).port));
  });

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    envelopes,
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (messages.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages.slice(0, n));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${n} message(s) within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
