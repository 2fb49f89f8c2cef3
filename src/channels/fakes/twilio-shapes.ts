import type { FailureMix } from './failure-mix.ts';

/** The fake Twilio provider's options and handle, and the JSON shapes of Twilio's Messages API. */

export interface FakeSmsProviderOptions {
  host?: string;
  port?: number;
  /** Default: a fixed demo SID `AC…`. */
  accountSid?: string;
  /** Default: 32 random hex characters. */
  authToken?: string;
  failures?: FailureMix;
  /** Seconds in Retry-After with a 429 (default 1). */
  retryAfterSeconds?: number;
  /** Numbers refused at once, with Twilio's code: 21211 invalid, 21610 unsubscribed, 21614 not mobile. */
  refuse?: Readonly<Record<string, number>>;
  /** Numbers accepted but never reached, with the callback's code: 30003 unreachable, 30005 unknown, 30006 landline. */
  undeliverable?: Readonly<Record<string, number>>;
  /** Pause between status callbacks (default 20 ms). */
  callbackDelayMs?: number;
  /** Send status callbacks to the StatusCallback URL (default true). */
  callbacks?: boolean;
  /** Where simulateInbound() posts incoming SMS. */
  inboundUrl?: string;
  /** Answer a repeated idempotency token with the message it created, sending nothing (default true). */
  dedupe?: boolean;
  /** Keep at most this many messages (default: all). */
  keep?: number;
}

export interface FakeSmsProvider {
  /** The base URL for createSmsChannel({ baseUrl }). */
  readonly url: string;
  readonly port: number;
  readonly accountSid: string;
  readonly authToken: string;
  /** Messages accepted (one per new idempotency token when dedupe is on). */
  readonly messages: FakeSmsMessage[];
  /** Status callbacks sent, with the receiver's answer. */
  readonly callbacks: Callback[];
  readonly stats: { requests: number; accepted: number; refused: number; failed: number; duplicates: number };
  waitFor(n: number, timeoutMs?: number): Promise<FakeSmsMessage[]>;
  /** Resolves once at least n callbacks were answered (any status). */
  waitForCallbacks(n: number, timeoutMs?: number): Promise<Callback[]>;
  /** Posts a signed inbound SMS to `inboundUrl` (or `url`) as Twilio would; resolves to its HTTP status. */
  simulateInbound(sms: { from: string; body: string; to?: string; url?: string }): Promise<number>;
  close(): Promise<void>;
}

export interface FakeSmsMessage {
  readonly sid: string;
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly messagingServiceSid: string | null;
  readonly statusCallback: string | null;
  /** The `I-Twilio-Idempotency-Token` it was sent with (the delivery's key). */
  readonly idempotencyToken: string | null;
  readonly segments: number;
  /** queued / accepted, then sent, delivered, undelivered or failed as callbacks go out. */
  status: string;
  errorCode: number | null;
  readonly at: Date;
}

/** One status callback the fake sent, and what the receiver answered (status or error code). */
export interface Callback {
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly answer: number | string;
}

/** Twilio's error body. */
export const twilioError = (code: number, message: string, status: number) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

/** A Message resource as Twilio returns it from create and fetch. */
export function messageJson(m: FakeSmsMessage, accountSid: string): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}`;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.at),
    date_sent: null,
    date_updated: rfc2822(m.at),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from || null,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: String(m.segments),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}
