import nodemailer from 'nodemailer';
import { normalizeEmail } from '../domain/privacy/contact.ts';
import { classifySmtpError, smtpQueueId } from './smtp-errors.ts';
import { type Channel, IDEMPOTENCY_KEY, type OutboundMessage, type Outcome, permanent } from './types.ts';

export interface EmailChannelOptions {
  /** `smtp://[user:pass@]host:port` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
  url: string;
  /** The From header, `alerts@example.org` or `Warden <alerts@example.org>`. */
  from: string;
  /** Keep connections open between messages (default true): an alert goes to thousands at once. */
  pool?: boolean;
  /** Connections the pool may open at once (default 5); a relay may cap it lower. */
  maxConnections?: number;
  /** Milliseconds; the defaults fail a dead relay within seconds, not nodemailer's minutes. */
  timeouts?: { connectMs?: number; greetingMs?: number; socketMs?: number };
  /**
   * TLS for STARTTLS (used whenever the server offers it) and smtps://: `ca` trusts a private
   * CA (tests, an internal relay); `requireTls` refuses to send over a server that does not
   * offer STARTTLS instead of falling back to plain text.
   */
  tls?: { ca?: string | Buffer; requireTls?: boolean };
}

// Set by the channel itself; a caller's header of the same name would contradict the envelope
// or the idempotency key.
const RESERVED = new Set(['from', 'to', 'cc', 'bcc', 'sender', 'subject', 'message-id', 'date']);
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,75}$/;

/** The address part of a From value, so Message-IDs carry our own domain. */
function senderAddress(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  const address = normalizeEmail(m?.[1] ?? from);
  if (!address) throw new TypeError(`email channel: "from" has no valid address: ${from}`);
  return address;
}

/** A reason the message cannot be sent as given, or null; checked before any network work. */
function problem(m: OutboundMessage): string | null {
  // The id becomes the left half of a Message-ID (RFC 5322 dot-atom), so it is kept to safe text.
  if (!IDEMPOTENCY_KEY.test(m.id)) return 'message id must be 1-128 letters, digits, ".", "_" or "-"';
  for (const name of Object.keys(m.headers ?? {})) {
    if (!HEADER_NAME.test(name)) return `header name "${name.slice(0, 80)}" is not valid`;
    if (RESERVED.has(name.toLowerCase())) return `header "${name}" is set by the email channel`;
  }
  return null;
}

/** Email over SMTP through a relay (nodemailer). One recipient per message, by design. */
export function createEmailChannel(opts: EmailChannelOptions): Channel {
  const protocol = URL.canParse(opts.url) ? new URL(opts.url).protocol : '';
  if (protocol !== 'smtp:' && protocol !== 'smtps:') {
    throw new TypeError('email channel: url must be smtp://host:port or smtps://host:port');
  }
  const sender = senderAddress(opts.from);
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  const t = opts.timeouts ?? {};
  const transport = nodemailer.createTransport({
    url: opts.url,
    pool: opts.pool ?? true,
    maxConnections: opts.maxConnections ?? 5,
    connectionTimeout: t.connectMs ?? 10_000,
    greetingTimeout: t.greetingMs ?? 10_000,
    socketTimeout: t.socketMs ?? 60_000,
    // A rejected send is reported with its reply; nodemailer's own log would print addresses.
    logger: false,
    ...(opts.tls?.requireTls && { requireTLS: true }),
    ...(opts.tls?.ca !== undefined && { tls: { ca: opts.tls.ca } }),
  });

  return {
    kind: 'email',

    async send(m: OutboundMessage): Promise<Outcome> {
      const to = normalizeEmail(m.to);
      if (!to) return permanent('recipient is not a valid email address');
      const invalid = problem(m);
      if (invalid) return permanent(invalid);
      try {
        const info = await transport.sendMail({
          from: opts.from,
          to,
          // The envelope is given outright so nothing in the headers can add a recipient.
          envelope: { from: sender, to: [to] },
          subject: m.subject ?? '',
          text: m.text,
          ...(m.html !== undefined ? { html: m.html } : {}),
          headers: m.headers ?? {},
          messageId: `<${m.id}@${domain}>`,
        });
        // Accepted by the relay, not yet by the mailbox: `sent`, with the relay's queue id.
        const response = String(info.response ?? '');
        return {
          kind: 'sent',
          providerId: response ? smtpQueueId(response) : String(info.messageId),
          answer: { status: Number(response.slice(0, 3)) || 250, body: response.slice(0, 300) },
        };
      } catch (err) {
        return classifySmtpError(err, to);
      }
    },

    async close(): Promise<void> {
      transport.close();
    },
  };
}
