/**
 * Delivery channels: one interface, one implementation per way of reaching people. The delivery
 * engine owns queuing, leases, retries and receipts; a channel makes one attempt at one message
 * and says how it went (an Outcome). Channels import nothing from store/ or services/.
 *
 *   createChannels(settings) -> { email?, sms?, webhook, get(kind), close() }
 *   createEmailChannel / createSmsChannel / createWebhookChannel   one channel each
 *   verifyTwilioSignature, parseStatusCallback, parseInboundSms      for the SMS hook routes
 *   fakes/  local SMTP sink, fake Twilio provider, webhook receiver  (tests, benches, demo)
 */
import { createEmailChannel } from './email.ts';
import { createSmsChannel } from './sms.ts';
import type { Channel, ChannelKind } from './types.ts';
import { createWebhookChannel } from './webhook.ts';

export interface SmsSettings {
  /** WARDEN_SMS_PROVIDER_URL, e.g. https://api.twilio.com */
  readonly providerUrl: string;
  /** WARDEN_SMS_ACCOUNT_SID */
  readonly accountSid: string;
  /** WARDEN_SMS_AUTH_TOKEN: also the key of X-Twilio-Signature on callbacks. */
  readonly authToken: string;
  /** WARDEN_SMS_FROM: an E.164 number, an alphanumeric sender id, or a Messaging Service `MG…`. */
  readonly from: string;
  /** WARDEN_SMS_MAX_SEGMENTS (default 3). */
  readonly maxSegments?: number;
  /** Default `${publicUrl}/api/hooks/sms/status`. */
  readonly statusCallbackUrl?: string;
}

export interface ChannelSettings {
  /** WARDEN_PUBLIC_URL: status callbacks come back to it. */
  readonly publicUrl: string;
  /** WARDEN_SMTP_URL; null = no email channel. */
  readonly smtpUrl: string | null;
  /** WARDEN_MAIL_FROM */
  readonly mailFrom: string;
  /** Null = no SMS channel (WARDEN_SMS_PROVIDER_URL unset). */
  readonly sms: SmsSettings | null;
  readonly webhook: {
    /** WARDEN_WEBHOOK_ALLOW_PRIVATE: tests and the local demo only. */
    readonly allowPrivate: boolean;
    /** WARDEN_WEBHOOK_ALLOW_HTTP: plain http to port 80. */
    readonly allowHttp: boolean;
    /** The `whsec_…` secret for messages that carry none of their own. */
    readonly secret?: string;
    /** Test CA for local HTTPS receivers. */
    readonly ca?: string | Buffer;
  };
}

export interface Channels {
  readonly email?: Channel;
  readonly sms?: Channel;
  readonly webhook: Channel;
  /** The channel for a delivery's kind; undefined when that channel is not configured. */
  get(kind: ChannelKind): Channel | undefined;
  close(): Promise<void>;
}

/** The channel set of one process, built from settings (config.ts reads the environment). */
export function createChannels(s: ChannelSettings): Channels {
  const email = s.smtpUrl ? createEmailChannel({ url: s.smtpUrl, from: s.mailFrom }) : undefined;
  const sender = s.sms?.from ?? '';
  const sms = s.sms
    ? createSmsChannel({
        baseUrl: s.sms.providerUrl,
        accountSid: s.sms.accountSid,
        authToken: s.sms.authToken,
        ...(/^MG[0-9a-f]{32}$/i.test(sender) ? { messagingServiceSid: sender } : { from: sender }),
        statusCallbackUrl:
          s.sms.statusCallbackUrl ?? `${s.publicUrl.replace(/\/+$/, '')}/api/hooks/sms/status`,
        ...(s.sms.maxSegments !== undefined && { maxSegments: s.sms.maxSegments }),
      })
    : undefined;
  const webhook = createWebhookChannel({
    allowPrivate: s.webhook.allowPrivate,
    allowHttp: s.webhook.allowHttp,
    ...(s.webhook.secret !== undefined && { secret: s.webhook.secret }),
    ...(s.webhook.ca !== undefined && { ca: s.webhook.ca }),
  });
  const all = { email, sms, webhook };
  return {
    ...(email && { email }),
    ...(sms && { sms }),
    webhook,
    get: (kind) => all[kind],
    close: async () => {
      await Promise.all([email?.close(), sms?.close(), webhook.close()]);
    },
  };
}

export { createEmailChannel, type EmailChannelOptions } from './email.ts';
export { classifySmsAnswer, createSmsChannel, type SmsChannelOptions } from './sms.ts';
export { classifySmtpError, smtpQueueId } from './smtp-errors.ts';
export {
  BlockedDestinationError,
  createGuardedAgent,
  destinationProblem,
  type GuardOptions,
  guardedLookup,
  type Resolver,
  urlProblem,
} from './ssrf.ts';
export {
  type InboundSms,
  parseInboundSms,
  parseStatusCallback,
  parseTwilioForm,
  type SmsState,
  type SmsStatusUpdate,
  type TwilioParams,
  twilioSignature,
  verifyTwilioSignature,
} from './twilio-signature.ts';
export * from './types.ts';
export { classifyWebhookStatus, createWebhookChannel, type WebhookChannelOptions } from './webhook.ts';
export {
  deriveWebhookSecret,
  generateWebhookSecret,
  signWebhook,
  webhookHeaders,
} from './webhook-signature.ts';
