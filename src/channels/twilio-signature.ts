import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signatures and the two kinds of request Twilio sends us: status callbacks
 * (`/api/hooks/sms/status`) and inbound SMS. `X-Twilio-Signature` = base64(HMAC-SHA1(auth
 * token, the full URL Twilio requested + each POST parameter's name and value, sorted by name)).
 * A route verifies first and only then parses; both functions are pure.
 */

/** Form parameters; a name sent more than once has all its values. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

/** `application/x-www-form-urlencoded` text -> parameters (repeated names kept). */
export function parseTwilioForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

/** The signature Twilio sends for this URL and these parameters. */
export function twilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  const mac = createHmac('sha1', authToken).update(url, 'utf8');
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    // As Twilio's own libraries do: each distinct value of a repeated name, sorted.
    const values = typeof value === 'string' ? [value] : [...new Set(value)].sort();
    for (const v of values) mac.update(name, 'utf8').update(v, 'utf8');
  }
  return mac.digest('base64');
}

/**
 * The URL with and without the scheme's default port: Twilio signs the URL as configured, and
 * a proxy in between may add or drop `:443`, so both spellings are accepted (as Twilio's
 * libraries do).
 */
function urlVariants(url: string): string[] {
  if (!URL.canParse(url)) return [url];
  const u = new URL(url);
  const std = u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '';
  if (!std) return [url];
  const auth = u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  const rest = `${u.pathname}${u.search}${u.hash}`;
  const withPort = `${u.protocol}//${auth}${u.hostname}:${u.port || std}${rest}`;
  const without = u.port && u.port !== std ? withPort : `${u.protocol}//${auth}${u.hostname}${rest}`;
  return [...new Set([url, withPort, without])];
}

/**
 * Whether `header` is Twilio's signature of this request under `token`. Compared in constant
 * time (on the decoded 20-byte digests); a missing, malformed or empty header is false.
 */
export function verifyTwilioSignature(
  url: string,
  params: TwilioParams,
  header: string | undefined,
  token: string,
): boolean {
  if (!header || !token) return false;
  const given = Buffer.from(header, 'base64');
  if (given.length !== 20 || given.toString('base64') !== header.trim()) return false;
  let ok = false;
  for (const candidate of urlVariants(url)) {
    const expected = Buffer.from(twilioSignature(token, candidate, params), 'base64');
    // Every variant is computed and compared: the time does not tell which one matched.
    ok = timingSafeEqual(expected, given) || ok;
  }
  return ok;
}

const one = (params: TwilioParams, name: string): string | undefined => {
  const v = params[name];
  return typeof v === 'string' ? v : v?.[0];
};

/** Where a message stands according to a status callback. */
export type SmsState = 'accepted' | 'sent' | 'delivered' | 'failed';

export interface SmsStatusUpdate {
  /** Twilio's `MessageSid` (`SM…`), the providerId of the `sent` Outcome. */
  readonly providerId: string;
  readonly state: SmsState;
  /** Twilio's own word: queued, sent, delivered, undelivered, failed, read, canceled, ... */
  readonly providerStatus: string;
  /** Twilio error code (30003 unreachable, 30005 unknown number, 30007 filtered, ...). */
  readonly errorCode: number | null;
  readonly accountSid: string | null;
}

/**
 * A status callback's parameters -> the update to apply, or null when it is not one (no
 * MessageSid, or a status that is not about a message we sent, such as `received`).
 */
export function parseStatusCallback(params: TwilioParams): SmsStatusUpdate | null {
  const providerId = one(params, 'MessageSid') ?? one(params, 'SmsSid');
  const status = (one(params, 'MessageStatus') ?? one(params, 'SmsStatus') ?? '').toLowerCase();
  if (!providerId) return null;
  const state = stateOf(status);
  if (!state) return null;
  const raw = one(params, 'ErrorCode');
  const code = raw && /^\d+$/.test(raw) ? Number(raw) : null;
  return {
    providerId,
    state,
    providerStatus: status,
    errorCode: code,
    accountSid: one(params, 'AccountSid') ?? null,
  };
}

function stateOf(status: string): SmsState | null {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return 'accepted';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

export interface InboundSms {
  /** Twilio's `MessageSid` of the incoming message. */
  readonly providerId: string;
  /** The sender's number (E.164): the traveller answering. */
  readonly from: string;
  /** Our number it was sent to. */
  readonly to: string;
  readonly body: string;
  readonly accountSid: string | null;
}

/** An inbound SMS webhook's parameters, or null when required fields are missing. */
export function parseInboundSms(params: TwilioParams): InboundSms | null {
  const providerId = one(params, 'MessageSid') ?? one(params, 'SmsSid');
  const from = one(params, 'From');
  const to = one(params, 'To');
  if (!providerId || !from || !to) return null;
  return {
    providerId,
    from,
    to,
    body: one(params, 'Body') ?? '',
    accountSid: one(params, 'AccountSid') ?? null,
  };
}
