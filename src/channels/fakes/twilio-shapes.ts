/** The JSON shapes of Twilio's Messages API that the fake provider answers with. */

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
