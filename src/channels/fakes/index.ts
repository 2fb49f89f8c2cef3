/**
 * The local sinks of `warden demo`, the benchmarks and end-to-end tests: an in-process SMTP
 * sink, a fake Twilio provider and a webhook receiver, started together, with the channel
 * settings that point at them. Nothing leaves the machine.
 */
import type { ChannelSettings } from '../index.ts';
import type { FailureMix } from './failure-mix.ts';
import { type FakeSmsProvider, startFakeSmsProvider } from './fake-sms-provider.ts';
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

export { type Failure, type FailureMix, pickFailure, seededRandom } from './failure-mix.ts';
export {
  type FakeSmsProvider,
  type FakeSmsProviderOptions,
  startFakeSmsProvider,
} from './fake-sms-provider.ts';
export { type SinkRecord, type SmtpSink, type SmtpSinkOptions, startSmtpSink } from './smtp-sink.ts';
export type { Callback, FakeSmsMessage } from './twilio-shapes.ts';
export {
  type Behaviour,
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './webhook-receiver.ts';

export interface LocalSinksOptions {
  /** Warden's own URL: SMS status callbacks go to `/api/hooks/sms/status`, inbound to `/api/hooks/sms/inbound`. */
  publicUrl: string;
  /** The webhook receiver's `whsec_…` secret (also the channels' default). */
  webhookSecret: string;
  /** The same failure mix for all three (demo: a little, to show retries). */
  failures?: FailureMix;
  /** Parse mail into `smtp.messages` (default true; off for benchmarks). */
  parseMail?: boolean;
  /** Keep at most this many items in each sink (the demo: a few thousand). */
  keep?: number;
}

export interface LocalSinks {
  readonly smtp: SmtpSink;
  readonly sms: FakeSmsProvider;
  readonly webhooks: WebhookReceiver;
  /** Settings for createChannels() that send to these sinks. */
  readonly settings: ChannelSettings;
  close(): Promise<void>;
}

export async function startLocalSinks(opts: LocalSinksOptions): Promise<LocalSinks> {
  const base = opts.publicUrl.replace(/\/+$/, '');
  const keep = opts.keep !== undefined ? { keep: opts.keep } : {};
  const failures = opts.failures ? { failures: opts.failures } : {};
  const [smtp, sms, webhooks] = await Promise.all([
    startSmtpSink({ parse: opts.parseMail ?? true, ...keep, ...failures }),
    startFakeSmsProvider({ inboundUrl: `${base}/api/hooks/sms/inbound`, ...keep, ...failures }),
    startWebhookReceiver({ secret: opts.webhookSecret, ...keep, ...failures }),
  ]);
  return {
    smtp,
    sms,
    webhooks,
    settings: {
      publicUrl: base,
      smtpUrl: smtp.url,
      mailFrom: 'Warden demo <alerts@warden.demo>',
      sms: {
        providerUrl: sms.url,
        accountSid: sms.accountSid,
        authToken: sms.authToken,
        from: '+15005550006',
      },
      // The receiver runs on this machine: only the local demo and tests may lift the guard.
      webhook: { allowPrivate: true, allowHttp: true, secret: opts.webhookSecret },
    },
    close: async () => {
      await Promise.all([smtp.close(), sms.close(), webhooks.close()]);
    },
  };
}
