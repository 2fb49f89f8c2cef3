/** One message to one recipient over one channel, as the delivery engine hands it over. */
export interface OutboundMessage {
  /** The delivery's idempotency key; email uses it as the Message-ID, so a retry is recognisable. */
  id: string;
  /** The recipient: an email address, an E.164 number or a webhook URL, per channel. */
  to: string;
  subject?: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

/**
 * What happened to one send. `permanent: true` means sending the same message again will fail
 * the same way (a rejected address, refused content): do not retry. A failure without it
 * (`permanent: false`) is worth retrying later: the provider was down, slow or misconfigured.
 */
export interface SendResult {
  ok: boolean;
  /** The provider's reference for the accepted message, for matching receipts and bounces. */
  providerId?: string;
  permanent?: boolean;
  /** Why it failed, for operators; contains no recipient address. */
  error?: string;
}

export type ChannelKind = 'email' | 'sms' | 'webhook';

/**
 * A way to reach people. send() never throws for a delivery problem: every outcome comes back
 * as a SendResult, so the engine records it and decides about retries in one place.
 */
export interface Channel {
  readonly kind: ChannelKind;
  send(m: OutboundMessage): Promise<SendResult>;
  /** Ends connections; pending sends settle first where the transport allows. */
  close(): Promise<void>;
}
