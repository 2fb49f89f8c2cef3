import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { countSms as smsSegments } from '../../domain/messages/sms.ts';
import { twilioSignature } from '../twilio-signature.ts';
import type { FakeSmsMessage } from './twilio-shapes.ts';

/** What the fake Twilio sends to Warden: signed form posts, status callbacks, inbound SMS. */

export const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

/**
 * POSTs form parameters as Twilio does: `X-Twilio-Signature` over URL + sorted parameters, and a
 * fresh `I-Twilio-Idempotency-Token` per request. Resolves to the answer's status, or to the
 * network error's code.
 */
export async function signedPost(
  authToken: string,
  url: string,
  params: Record<string, string>,
): Promise<number | string> {
  try {
    const r = await request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'TwilioProxy/1.1',
        'x-twilio-signature': twilioSignature(authToken, url, params),
        'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(5000),
    });
    await r.body.dump();
    return r.statusCode;
  } catch (err) {
    return (err as { code?: string }).code ?? 'error';
  }
}

// Twilio reports `failed` when the message never left (queue overflow, unknown error) and
// `undelivered` when the carrier could not deliver it (unreachable, unknown number, landline).
const FAILED_CODES = new Set([30001, 30002, 30008]);

/** The statuses a message goes through, with the error code of the last one when it fails. */
export function callbackSteps(failCode: number | undefined): [status: string, code: number | null][] {
  const last: [string, number | null] = failCode
    ? [FAILED_CODES.has(failCode) ? 'failed' : 'undelivered', failCode]
    : ['delivered', null];
  return [['queued', null], ['sent', null], last];
}

/** A status callback's parameters for the message's current status. */
export function statusParams(m: FakeSmsMessage, accountSid: string): Record<string, string> {
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    From: m.from,
    MessageSid: m.sid,
    MessageStatus: m.status,
    SmsSid: m.sid,
    SmsStatus: m.status,
    To: m.to,
    ...(m.errorCode !== null && { ErrorCode: String(m.errorCode) }),
    ...(m.messagingServiceSid && { MessagingServiceSid: m.messagingServiceSid }),
  };
}

/** An inbound SMS webhook's parameters (the subset Twilio always sends). */
export function inboundParams(
  accountSid: string,
  from: string,
  to: string,
  body: string,
): Record<string, string> {
  const messageSid = sid('SM');
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    Body: body,
    From: from,
    MessageSid: messageSid,
    NumMedia: '0',
    NumSegments: String(smsSegments(body).segments),
    SmsMessageSid: messageSid,
    SmsSid: messageSid,
    SmsStatus: 'received',
    To: to,
  };
}

/** Twilio's wording for the refusals a test can configure. */
export function refusal(code: number, to: string): string {
  switch (code) {
    case 21211:
      return `The 'To' number ${to} is not a valid phone number.`;
    case 21408:
      return `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`;
    case 21610:
      return 'Attempt to send to unsubscribed recipient';
    case 21614:
      return `'To' number ${to} is not a valid mobile number`;
    default:
      return `The 'To' number ${to} cannot receive this message.`;
  }
}
