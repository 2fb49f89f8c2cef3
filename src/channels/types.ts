/**
 * One message to one recipient over one channel, as the delivery engine hands it over: fully
 * rendered, addressed, and carrying the delivery's idempotency key. Channels import nothing from
 * store/ or services/; they turn this into one attempt and an Outcome.
 */
export interface OutboundMessage {
  /**
   * The delivery's idempotency key, the same on every attempt: email sends it as the Message-ID
   * (`<id@sender-domain>`), webhooks as `webhook-id`, SMS as `I-Twilio-Idempotency-Token`.
   * 1-128 of letters, digits, ".", "_", "-".
   */
  id: string;
  /** The recipient: an email address, an E.164 number or a webhook URL, per channel. */
  to: string;
  subject?: string;
  text: string;
  html?: string;
  /** Extra email headers (List-Unsubscribe, ...); ignored by SMS and webhooks. */
  headers?: Record<string, string>;
  /**
   * Webhook only: the JSON body to send. Absent: `{ type: 'warden.message', timestamp, data:
   * { id, subject, text } }`.
   */
  json?: unknown;
  /** Webhook only: this endpoint's `whsec_…` signing secret; absent = the channel's default. */
  secret?: string;
}

/** What the other side answered on this attempt, kept in the attempt history. */
export interface ProviderAnswer {
  /** SMTP reply code (250, 451, 550) or HTTP status (201, 429, 503). */
  status: number;
  /** The start of the reply text or response body (at most 300 characters), addresses redacted. */
  body: string;
}

/**
 * The result of one attempt. `send()` never throws for a delivery problem.
 *
 * - `sent`: the provider accepted the message (SMTP 250, Twilio 201 `queued`); a receipt
 *   (SMS status callback) may still turn it into delivered or failed. `providerId` is the
 *   provider's reference for matching that receipt (SMTP queue id, Twilio `SM…` sid).
 * - `delivered`: final, nothing more will be heard (a webhook receiver answered 2xx).
 * - `transient`: worth another attempt later (timeout, connection error, SMTP 4xx, HTTP 429 /
 *   5xx); `retryAfterMs` when the provider said when (`Retry-After`).
 * - `permanent`: the same message will fail the same way (unknown mailbox, invalid number,
 *   webhook gone, text over the segment budget): stop.
 *
 * `answer` is absent when nothing was answered (network error, refused before sending).
 * `reason` names the cause for operators and never contains the recipient's address.
 */
export type Outcome =
  | { readonly kind: 'sent'; readonly providerId: string; readonly answer?: ProviderAnswer }
  | { readonly kind: 'delivered'; readonly providerId?: string; readonly answer?: ProviderAnswer }
  | {
      readonly kind: 'transient';
      readonly reason: string;
      readonly retryAfterMs?: number;
      readonly answer?: ProviderAnswer;
    }
  | { readonly kind: 'permanent'; readonly reason: string; readonly answer?: ProviderAnswer };

export type OutcomeKind = Outcome['kind'];

export type ChannelKind = 'email' | 'sms' | 'webhook';

/**
 * A way to reach people. send() never throws for a delivery problem: every outcome comes back
 * as an Outcome, so the engine records it and decides about retries in one place.
 */
export interface Channel {
  readonly kind: ChannelKind;
  send(m: OutboundMessage): Promise<Outcome>;
  /** Ends connections; pending sends settle first where the transport allows. */
  close(): Promise<void>;
}

/** True for `sent` and `delivered`: the message left and needs no further attempt. */
export const accepted = (o: Outcome): o is Extract<Outcome, { kind: 'sent' | 'delivered' }> =>
  o.kind === 'sent' || o.kind === 'delivered';

/** The idempotency key format every channel accepts (it becomes a Message-ID's left half). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const permanent = (reason: string, answer?: ProviderAnswer): Outcome =>
  answer ? { kind: 'permanent', reason, answer } : { kind: 'permanent', reason };

export const transient = (reason: string, answer?: ProviderAnswer, retryAfterMs?: number): Outcome => ({
  kind: 'transient',
  reason,
  ...(answer && { answer }),
  ...(retryAfterMs !== undefined && { retryAfterMs }),
});
