/**
 * The delivery engine's rules, free of I/O: states, priorities, retry schedule, and what a
 * caller hands to enqueueDeliveries() (src/services/deliveries/enqueue.ts).
 */

export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'dropped'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** States no worker will touch again (a `sent` SMS may still get a receipt). */
export const FINAL_STATES: readonly DeliveryState[] = ['sent', 'delivered', 'failed', 'dropped'];

/** `internal`: a request the worker expands into other deliveries (lookup requests); never leaves. */
export const DELIVERY_CHANNELS = ['email', 'sms', 'webhook', 'internal'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/**
 * Priorities, higher first. A worker always claims the most urgent due rows, so an emergency
 * alert or a cancellation overtakes routine notices and digests already queued.
 */
export const PRIORITY = {
  emergency: 100,
  cancellation: 95,
  alert: 90,
  checkin: 85,
  /** Verification codes and links, manage links: someone is waiting for them. */
  interactive: 70,
  notice: 50,
  reminder: 30,
  digest: 10,
} as const;

/** `security` evidence (alerts, check-ins) is kept longer than `routine` mail (retention.*Days). */
export type RetentionClass = 'routine' | 'security';

/** Who a delivery goes to; the renderer resolves the address at send time. */
export type DeliveryRecipient =
  /** A traveller's contact (email or phone) in enrollment_contacts. */
  | { readonly personId: string; readonly contactId: string }
  /** A traveller's own webhook (enrollments.webhook_url_enc): channel 'webhook'. */
  | { readonly personId: string; readonly contactId?: undefined }
  /** An advisory subscriber (email). */
  | { readonly subscriptionId: string }
  /** An organisation (its webhook, or whatever its renderer resolves). */
  | { readonly organisationId: string }
  /** A post's duty address (post_checkin_settings), resolved by the renderer from params. */
  | { readonly postId: string }
  /** Nobody yet: the renderer finds the recipients at send time (lookup requests). */
  | { readonly lookup: true };

/** One delivery to write, as a caller describes it (see enqueueDeliveries). */
export interface NewDelivery {
  /**
   * The renderer key: which function turns the row into a message at send time
   * (src/services/deliveries/renderers.ts), e.g. 'verify_email', 'advisory_notice', 'alert'.
   */
  readonly template: string;
  readonly channel: DeliveryChannel;
  readonly to: DeliveryRecipient;
  /** What the delivery belongs to, for progress and listing: 'alert:<id>', 'checkin:<id>'. */
  readonly message?: string | null;
  /** PRIORITY.*; default PRIORITY.notice. */
  readonly priority?: number;
  /** Non-personal parameters for the renderer (stored as JSON). Never text or addresses. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Unique across all deliveries: a second delivery with the same key is skipped. */
  readonly dedupeKey?: string | null;
  /** Default 'routine'. */
  readonly retention?: RetentionClass;
  /** Not before this time (default: now). */
  readonly notBefore?: Date;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 2_000, maxMs: 15 * 60_000 };

/**
 * Delay before the next attempt after `attempts` failed ones: exponential with full jitter
 * (uniform in [d/2, d]), at least what the provider asked for (Retry-After), at most maxMs —
 * unless the provider asked for longer.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempts: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(exp / 2 + (exp / 2) * random());
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Delivery ids: time-ordered (UUID v7 hex), so bulk inserts append to the index. */
export const deliveryIdPattern = /^msg_[0-9a-f]{32}$/;

/** The channel a traveller's contact is reached on: a phone number by SMS, an address by email. */
export const channelOfContact = (kind: string): 'email' | 'sms' => (kind === 'phone' ? 'sms' : 'email');
