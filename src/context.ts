import pino, { type Logger } from 'pino';
import { createEmailChannel } from './channels/email.ts';
import { createSmsChannel } from './channels/sms.ts';
import type { Channel } from './channels/types.ts';
import { createWebhookChannel } from './channels/webhook.ts';
import { deriveWebhookSecret } from './channels/webhook-signature.ts';
import type { Config } from './config.ts';
import { type Clock, systemClock } from './domain/clock.ts';
import { deriveKey } from './domain/crypto.ts';
import { derivePrivacyKeys, type PrivacyKeys } from './domain/privacy/index.ts';
import { openStore, type Store } from './store/db.ts';
import { migrateToLatest } from './store/migrate.ts';

export interface Keys {
  /** Keyed hash of login identifiers for throttling. */
  readonly throttle: Buffer;
  /** HMAC key of the audit hash chain: without it nobody can extend or rewrite the chain. */
  readonly audit: Buffer;
  /** Signs audit checkpoints (the chain's head, kept outside the database). */
  readonly auditCheckpoint: Buffer;
  /** Hashes the external ids of people who left an organisation's enrollment (tombstones). */
  readonly tombstone: Buffer;
}

/** The keys derived from the secret for their purposes (HKDF; one leaked key exposes no other). */
export const deriveKeys = (secret: string): Keys => ({
  throttle: deriveKey(secret, 'login-throttle'),
  audit: deriveKey(secret, 'audit-chain'),
  auditCheckpoint: deriveKey(secret, 'audit-checkpoint'),
  tombstone: deriveKey(secret, 'organisation-tombstone'),
});

/** In-process notice that public data changed (after commit), so caches drop it at once. */
export interface Changes {
  notify(keys: readonly string[]): void;
  subscribe(fn: (keys: readonly string[]) => void): () => void;
}

function createChanges(): Changes {
  const subs = new Set<(keys: readonly string[]) => void>();
  return {
    notify: (keys) => {
      for (const fn of subs) fn(keys);
    },
    subscribe: (fn) => {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}

/**
 * Wakes this process's delivery worker: enqueueDeliveries() calls wake() after writing, so a
 * message is claimed at once (on SQLite the claim waits for the writer's commit; on PostgreSQL
 * a NOTIFY at commit wakes every worker, this one too).
 */
export interface DeliveryWake {
  wake(): void;
  subscribe(fn: () => void): () => void;
}

function createDeliveryWake(): DeliveryWake {
  const subs = new Set<() => void>();
  return {
    wake: () => {
      for (const fn of subs) fn();
    },
    subscribe: (fn) => {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}

export interface Context {
  readonly config: Config;
  readonly changes: Changes;
  readonly deliveries: DeliveryWake;
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly keys: Keys;
  /** Keys for personal data: envelope encryption, blind indexes, signed links. */
  readonly privacy: PrivacyKeys;
  /** The channels the delivery workers send through; absent = that channel's deliveries wait. */
  readonly email?: Channel;
  readonly sms?: Channel;
  readonly webhook?: Channel;
  close(): Promise<void>;
}

export interface ContextOptions {
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly migrate?: boolean;
  /** Overrides the email channel built from WARDEN_SMTP_URL (tests use an in-process server). */
  readonly email?: Channel;
  /** Overrides the SMS channel built from WARDEN_SMS_* (tests use the fake provider). */
  readonly sms?: Channel;
  /** Overrides the webhook channel. */
  readonly webhook?: Channel;
}

// Credentials and personal data never reach the log, whatever a caller passes in.
export const LOG_REDACT = {
  paths: [
    'req.headers.cookie',
    'req.headers.authorization',
    '*.password',
    '*.email',
    '*.token',
    'password',
    'email',
    'token',
  ],
  censor: '[redacted]',
};

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: LOG_REDACT });
}

/** The only place where the parts of Warden are wired together. */
export async function createContext(config: Config, opts: ContextOptions = {}): Promise<Context> {
  if (!config.secretKey) throw new Error('createContext needs a config with a secret key (resolveSecretKey)');
  const log = opts.log ?? createLogger(config);
  const store = openStore(config.database);
  if (opts.migrate !== false) {
    try {
      await migrateToLatest(store.db, store.backend, { secretKey: config.secretKey });
    } catch (err) {
      await store.destroy();
      throw err;
    }
  }
  const email =
    opts.email ??
    (config.smtpUrl ? createEmailChannel({ url: config.smtpUrl, from: config.mailFrom }) : undefined);
  const sms =
    opts.sms ??
    (config.sms
      ? createSmsChannel({
          baseUrl: config.sms.providerUrl,
          accountSid: config.sms.accountSid,
          authToken: config.sms.authToken,
          ...(/^MG[0-9a-f]{32}$/i.test(config.sms.from)
            ? { messagingServiceSid: config.sms.from }
            : { from: config.sms.from }),
          statusCallbackUrl: `${config.publicUrl}/api/hooks/sms/status`,
          maxSegments: config.sms.maxSegments,
        })
      : undefined);
  const webhook =
    opts.webhook ??
    createWebhookChannel({
      allowPrivate: config.webhookAllowPrivate,
      allowHttp: config.webhookAllowHttp,
      secret: deriveWebhookSecret(deriveKey(config.secretKey, 'webhook-secrets'), 'default'),
    });
  return {
    config,
    changes: createChanges(),
    deliveries: createDeliveryWake(),
    store,
    clock: opts.clock ?? systemClock,
    log,
    keys: deriveKeys(config.secretKey),
    privacy: derivePrivacyKeys(config.secretKey),
    ...(email && { email }),
    ...(sms && { sms }),
    webhook,
    close: async () => {
      await Promise.all([email?.close(), sms?.close(), webhook.close()]);
      await store.destroy();
    },
  };
}
