import type { SendResult } from './types.ts';

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
 * Maps a failed SMTP send to a SendResult. RFC 5321: 5yz replies are permanent and 4yz
 * transient. `permanent` makes the engine give up on the recipient, so it is claimed only where
 * the reply is about this recipient or this message:
 *
 * - RCPT TO or DATA answered 5xx (unknown mailbox, content refused): permanent;
 * - 503 (bad command sequence) is about the session, not the message: retry;
 * - MAIL FROM or AUTH answered 5xx is about our sender or credentials: retry, because marking
 *   every traveller unreachable over a relay misconfiguration would lose them for the next
 *   alert too; the engine's attempt limit still ends it, and the error names the cause;
 * - an envelope nodemailer refused before sending (no or malformed recipient): permanent;
 * - a connection, TLS, DNS or timeout error: retry.
 */
export function classifySmtpError(err: unknown, recipient: string): SendResult {
  const e: SmtpFailure = typeof err === 'object' && err !== null ? (err as SmtpFailure) : {};
  const error = redact(describe(e, err), recipient);
  const reply = e.responseCode;
  if (typeof reply === 'number') {
    const aboutMessage = e.command === 'RCPT TO' || e.command === 'DATA' || e.code === 'EMESSAGE';
    const permanent = reply >= 500 && reply < 600 && reply !== 503 && aboutMessage && e.code !== 'EAUTH';
    return { ok: false, permanent, error };
  }
  return { ok: false, permanent: e.code === 'EENVELOPE' && e.command === 'API', error };
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
