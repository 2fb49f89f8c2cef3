import { type Outcome, type ProviderAnswer, permanent, transient } from './types.ts';

/** The parts of a nodemailer error that decide what to do next. */
interface SmtpFailure {
  code?: string;
  originalCode?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  message?: string;
}

/**
 * Maps a failed SMTP send to an Outcome. RFC 5321: 5yz replies are permanent and 4yz transient.
 * `permanent` makes the engine give up on the recipient, so it is claimed only where the reply
 * is about this recipient or this message:
 *
 * - RCPT TO or DATA answered 5xx (unknown mailbox, content refused): permanent;
 * - any 4xx (greylisting 451, mailbox full 452, shutting down 421): transient;
 * - 503 (bad command sequence) is about the session, not the message: transient;
 * - MAIL FROM or AUTH answered 5xx is about our sender or credentials: transient, because
 *   marking every traveller unreachable over a relay misconfiguration would lose them for the
 *   next alert too; the engine's attempt limit still ends it, and the reason names the cause;
 * - an envelope nodemailer refused before sending (no or malformed recipient): permanent;
 * - a connection, TLS, DNS or timeout error (no reply at all): transient.
 */
export function classifySmtpError(err: unknown, recipient: string): Outcome {
  const e: SmtpFailure = typeof err === 'object' && err !== null ? (err as SmtpFailure) : {};
  const reason = redact(describe(e, err), recipient);
  const reply = e.responseCode;
  if (typeof reply === 'number') {
    const answer: ProviderAnswer = { status: reply, body: redact(e.response ?? '', recipient).slice(0, 300) };
    const aboutMessage = e.command === 'RCPT TO' || e.command === 'DATA' || e.code === 'EMESSAGE';
    const final = reply >= 500 && reply < 600 && reply !== 503 && aboutMessage && e.code !== 'EAUTH';
    return final ? permanent(reason, answer) : transient(reason, answer);
  }
  return e.code === 'EENVELOPE' && e.command === 'API' ? permanent(reason) : transient(reason);
}

/**
 * The server's queue id from its 250 reply to DATA, for matching bounces and logs: Postfix
 * `250 2.0.0 Ok: queued as 4DXY1Z2abc`, Exim `250 OK id=1qA2bC-000Abc-3D`, Sendmail
 * `250 2.0.0 x8KA1a2b012345 Message accepted for delivery`. Other servers: the reply itself.
 */
export function smtpQueueId(response: string): string {
  const text = response.trim();
  const m =
    /\bqueued as ([^\s;,]+)/i.exec(text) ??
    /\bid=([^\s;,]+)/i.exec(text) ??
    /^250[ -](?:\d\.\d\.\d+ )?([A-Za-z0-9]{8,})\s+(?:Message accepted|mail accepted)/i.exec(text);
  return (m?.[1] ?? text).slice(0, 200);
}

function describe(e: SmtpFailure, raw: unknown): string {
  const code = [e.code, e.originalCode].filter(Boolean).join('/');
  const where = e.command ? ` (${e.command})` : '';
  const text = e.response ?? e.message ?? String(raw);
  return `${code ? `${code}: ` : ''}${text}${where}`.slice(0, 500);
}

// Servers echo the address in their replies ("550 <a@b.org>: no such user"); the error is kept
// with the delivery and may reach logs, where personal data must not.
function redact(text: string, recipient: string): string {
  if (!recipient) return text;
  const escaped = recipient.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(escaped, 'gi'), '<recipient>');
}
