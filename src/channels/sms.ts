import { Agent, request } from 'undici';
import { countSms as smsSegments } from '../domain/messages/sms.ts';
import { networkReason, parseRetryAfter, readLimited, shortBody } from './http.ts';
import {
  type Channel,
  IDEMPOTENCY_KEY,
  type OutboundMessage,
  type Outcome,
  type ProviderAnswer,
  permanent,
  transient,
} from './types.ts';

export interface SmsChannelOptions {
  /** The provider's API root: `https://api.twilio.com`, or the local fake's URL. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Our sender: an E.164 number or an alphanumeric sender id. One of from / messagingServiceSid. */
  from?: string;
  /** A Twilio Messaging Service (`MG…`), which picks the sender itself. */
  messagingServiceSid?: string;
  /** Where the provider reports sent / delivered / failed (`…/api/hooks/sms/status`). */
  statusCallbackUrl?: string;
  /** Most segments one message may cost (default 3); a longer text is refused, permanently. */
  maxSegments?: number;
  /** Whole attempt (default 10 s). */
  timeoutMs?: number;
  /** Connections to the provider (default 16). */
  connections?: number;
}

/** Twilio's error body: `{ code, message, more_info, status }`. */
interface TwilioError {
  code?: number;
  message?: string;
  more_info?: string;
  status?: number;
}

const E164 = /^\+[1-9]\d{6,14}$/;

function json(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * How the provider's answer ends an attempt. 429 and 5xx are transient (with Retry-After). So
 * are 401, 403 and 404: on the Messages API they mean our credentials or account SID are wrong
 * (20003, 20404), which says nothing about the traveller and is fixed by the operator; the
 * engine's attempt limit still ends them. 408 is transient. Every other 4xx is about this
 * message or number (21211 invalid 'To', 21610 recipient unsubscribed, 21614 not a mobile,
 * 21617 body too long): permanent.
 */
export function classifySmsAnswer(
  status: number,
  err: TwilioError | null,
  answer: ProviderAnswer,
  retryAfterMs?: number,
): Outcome {
  const what = err?.code ? `Twilio ${err.code}: ${err.message ?? ''}`.trim() : `provider answered ${status}`;
  if (status === 429 || status >= 500 || status === 408) return transient(what, answer, retryAfterMs);
  if (status === 401 || status === 403 || status === 404)
    return transient(`${what} (check the SMS account settings)`, answer, retryAfterMs);
  return permanent(what, answer);
}

/** SMS through an HTTP provider that speaks Twilio's Messages API (Twilio itself, or the fake). */
export function createSmsChannel(opts: SmsChannelOptions): Channel {
  if (!URL.canParse(opts.baseUrl)) throw new TypeError('sms channel: baseUrl must be a URL');
  if (!opts.from && !opts.messagingServiceSid)
    throw new TypeError('sms channel: set from or messagingServiceSid');
  if (!opts.accountSid || !opts.authToken)
    throw new TypeError('sms channel: accountSid and authToken are required');
  const endpoint = new URL(
    `2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`,
    `${opts.baseUrl.replace(/\/+$/, '')}/`,
  ).href;
  const authorization = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  const maxSegments = opts.maxSegments ?? 3;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const agent = new Agent({ connections: opts.connections ?? 16, keepAliveTimeout: 10_000 });
  // Provider messages name the number ("The 'To' number +1555… is not valid"); errors are kept
  // with the delivery and may reach logs, where personal data must not.
  const redact = (text: string, to: string) => (to ? text.split(to).join('<recipient>') : text);

  return {
    kind: 'sms',

    async send(m: OutboundMessage): Promise<Outcome> {
      if (!IDEMPOTENCY_KEY.test(m.id))
        return permanent('message id must be 1-128 letters, digits, ".", "_" or "-"');
      const to = m.to.replace(/[\s().-]/g, '');
      if (!E164.test(to)) return permanent('recipient is not an E.164 phone number');
      if (m.text.trim() === '') return permanent('empty text');
      const size = smsSegments(m.text);
      if (size.segments > maxSegments)
        return permanent(
          `text needs ${size.segments} ${size.encoding} segments; the budget is ${maxSegments}`,
        );
      const form = new URLSearchParams({ To: to, Body: m.text });
      if (opts.messagingServiceSid) form.set('MessagingServiceSid', opts.messagingServiceSid);
      else form.set('From', opts.from!);
      if (opts.statusCallbackUrl) form.set('StatusCallback', opts.statusCallbackUrl);
      try {
        const res = await request(endpoint, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            authorization,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
            'user-agent': 'Warden-SMS/1',
            // Twilio's idempotency header: a retry after a lost answer carries the same token.
            'i-twilio-idempotency-token': m.id,
          },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const { text } = await readLimited(res.body, 64 * 1024);
        const body = json(text);
        const answer = { status: res.statusCode, body: redact(shortBody(text), to) };
        if (res.statusCode >= 200 && res.statusCode < 300) {
          const sid = typeof body?.sid === 'string' ? body.sid : '';
          return sid
            ? { kind: 'sent', providerId: sid, answer }
            : transient('provider accepted without a message sid', answer);
        }
        const err: TwilioError | null = body ? { ...body } : null;
        if (err?.message) err.message = redact(err.message, to);
        return classifySmsAnswer(res.statusCode, err, answer, parseRetryAfter(res.headers['retry-after']));
      } catch (err) {
        return transient(redact(networkReason(err), to));
      }
    },

    async close(): Promise<void> {
      await agent.close();
    },
  };
}
