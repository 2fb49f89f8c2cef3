import nodemailer from 'nodemailer';
import { normalizeEmail } from '../domain/privacy/contact.ts';
import { classifySmtpError } from './smtp-errors.ts';
import type { Channel, OutboundMessage, SendResult } from './types.ts';

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
}

// Set by the channel itself; a caller's header of the same name would contradict the envelope
// or the idempotency key.
const RESERVED = new Set(['from', 'to', 'cc', 'bcc', 'sender', 'subject', 'message-id', 'date']);
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,75}$/;
// The id becomes the left half of a Message-ID (RFC 5322 dot-atom), so it is kept to safe text.
const MESSAGE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The address part of a From value, so Message-IDs carry our own domain. */
function senderAddress(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  const address = normalizeEmail(m?.[1] ?? from);
  if (!address) throw new TypeError(`email channel: "from" has no valid address: ${from}`);
  return address;
}

/** A reason the message cannot be sent as given, or null; checked before any network work. */
function problem(m: OutboundMessage): string | null {
  if (!MESSAGE_ID.test(m.id)) return 'message id must be 1-128 letters, digits, ".", "_" or "-"';
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
  });

  return {
    kind: 'email',

    async send(m: OutboundMessage): Promise<SendResult> {
      const to = normalizeEmail(m.to);
      if (!to) return { ok: false, permanent: true, error: 'recipient is not a valid email address' };
      const invalid = problem(m);
      if (invalid) return { ok: false, permanent: true, error: invalid };
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
        return { ok: true, providerId: String(info.response ?? '').slice(0, 200) || info.messageId };
      } catch (err) {
        return classifySmtpError(err, to);
      }
    },

    async close(): Promise<void> {
      transport.close();
    },
  };
}
