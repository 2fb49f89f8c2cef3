import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';

/** Validated, frozen configuration. The only module that reads process.env. */
export interface Config {
  readonly databaseUrl: string;
  readonly database:
    | { readonly kind: 'sqlite'; readonly file: string }
    | { readonly kind: 'postgres'; readonly url: string };
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly dataDir: string;
  /** Raw secret; derive purpose-specific keys with deriveKey() rather than using it directly. */
  readonly secretKey: string;
  readonly bodyLimitBytes: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly sessionTtlHours: number;
  /** Minutes between audit checkpoints written by `warden serve` (0 = none; the chain must have grown). */
  readonly auditCheckpointMinutes: number;
  /** How long a posture change request waits for its second approver before it expires. */
  readonly postureRequestTtlHours: number;
  readonly alerts: {
    /** Only Severe and Extreme Actual alerts need a second person (default: every Actual alert). */
    readonly approvalSevereOnly: boolean;
    /** How long a submitted alert waits for approval, and an approved one for sending. */
    readonly approvalTtlHours: number;
    /** CAP sender: this installation's name, no spaces, commas, < or & (default: the public URL's host). */
    readonly capSender: string;
  };
  /** Incidents within this distance of a post are linked to it and feed its threat trend. */
  readonly incidentPostRadiusKm: number;
  /** Largest CSV accepted by POST /api/incidents/import (the JSON limit stays bodyLimitBytes). */
  readonly importBodyLimitBytes: number;
  /** Worker threads that check and seal the rows of a large enrollment import (0 = main thread only). */
  readonly importWorkers: number;
  /** Organisations' webhook URLs may point at private or loopback hosts (the operator allows it). */
  readonly webhookAllowPrivate: boolean;
  readonly login: {
    /** Failures per account and client address before that pair is locked. */
    readonly maxFailures: number;
    readonly lockoutMinutes: number;
    /** Failures per account from all addresses (within lockoutMinutes) before the account is. */
    readonly accountMaxFailures: number;
    readonly accountLockoutMinutes: number;
    readonly perIpPerMinute: number;
  };
  readonly adminEmail: string;
  readonly webDir: string;
  /** Outgoing mail relay (`smtp://…` / `smtps://…`); null = email deliveries wait queued. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /** SMS through a Twilio Messages API provider; null when WARDEN_SMS_PROVIDER_URL is unset. */
  readonly sms: {
    readonly providerUrl: string;
    readonly accountSid: string;
    readonly authToken: string;
    readonly from: string;
    readonly maxSegments: number;
  } | null;
  /** Plain http to port 80 for webhooks (https to 443 otherwise). */
  readonly webhookAllowHttp: boolean;
  /** The delivery workers (docs/ARCHITECTURE.md, "Delivery engine"). */
  readonly deliveries: {
    /** Run a worker inside `warden serve` / `warden demo`. */
    readonly inProcess: boolean;
    /** A claimed batch is another worker's after this long without an outcome. */
    readonly leaseSeconds: number;
    readonly batchSize: number;
    /** How often a worker looks for due work when nothing woke it. */
    readonly pollMs: number;
    readonly maxAttempts: number;
    /** Sends at once per channel and worker. */
    readonly concurrency: { readonly email: number; readonly sms: number; readonly webhook: number };
    /** Sends per second per channel and worker (0 = no limit). */
    readonly ratePerSecond: { readonly email: number; readonly sms: number; readonly webhook: number };
  };
  readonly enrollment: {
    /** Lifetime of an email verification link. */
    readonly verifyTtlHours: number;
    /** Lifetime of a self-service (manage) link; each link works once. */
    readonly manageTtlMinutes: number;
    /** Messages (verification, manage links) per contact per 10 minutes, known or not. */
    readonly perContactPer10Min: number;
    /** Public enrollment requests per client IP per 10 minutes. */
    readonly perIpPer10Min: number;
  };
  /** What is kept how long (docs/privacy.md); the daily purge and `warden purge` apply it. */
  readonly retention: {
    /** Days after a trip's departure before it is deleted. */
    readonly tripDays: number;
    /** Days an enrollment or subscription may wait for its contact's verification. */
    readonly unverifiedDays: number;
    /** Days routine deliveries (sent, failed or stale) are kept. */
    readonly messageDays: number;
    /** Days the evidence of security deliveries (alerts, check-ins) is kept. */
    readonly securityMessageDays: number;
  };
  /** Open-ended trips (no departure): how often presence is re-confirmed. */
  readonly presence: {
    readonly confirmDays: number;
    /** Days after the reminder before an unanswered trip shows as unconfirmed. */
    readonly graceDays: number;
  };
  readonly subscriptions: {
    /** Lifetime of the manage/unsubscribe link each subscriber message carries. */
    readonly linkTtlDays: number;
    /** Recipients up to which a notice is expanded inside the publishing transaction. */
    readonly inlineRecipients: number;
  };
  /** In-process scheduler of `warden serve` (daily purge, reminders, digests; notice fan-out). */
  readonly scheduler: {
    readonly enabled: boolean;
    /** UTC hour of the daily run. */
    readonly hourUtc: number;
    readonly tickSeconds: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Environment merged over an optional .env file (the real environment wins). */
export function readEnv(cwd = process.cwd(), env: Env = process.env): Env {
  const file = path.join(cwd, '.env');
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

/** The public URL's host (with port) as a CAP sender token. */
function capSenderOf(publicUrl: string): string {
  try {
    return new URL(publicUrl).host.replace(/[\s,<&]/g, '') || 'warden.local';
  } catch {
    return 'warden.local';
  }
}

/**
 * Parses and validates every setting, collecting all problems before failing so an operator
 * fixes them in one go. `secretKey` may be absent here: resolveSecretKey() fills it at start.
 */
export function loadConfig(env: Env = readEnv(), opts: { requireSecret?: boolean } = {}): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const num = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${name} must be a number between ${min} and ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };

  const dataDir = path.resolve(env.WARDEN_DATA_DIR || './data');
  const port = int('WARDEN_PORT', 8080, 0, 65535);
  const host = env.WARDEN_HOST || '127.0.0.1';
  const databaseUrl = env.WARDEN_DATABASE_URL || `sqlite:${path.join(dataDir, 'warden.db')}`;
  const database = parseDatabaseUrl(databaseUrl, problems);

  const publicUrl = (env.WARDEN_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    problems.push(`WARDEN_PUBLIC_URL must be an absolute http(s) URL (got "${publicUrl}")`);
  }

  const secretKey = env.WARDEN_SECRET_KEY ?? '';
  if (secretKey !== '' && secretKey.length < 32) {
    problems.push(
      'WARDEN_SECRET_KEY must be at least 32 characters (generate one with `openssl rand -base64 32`)',
    );
  }
  if (opts.requireSecret && secretKey === '') problems.push('WARDEN_SECRET_KEY is required');

  const logLevel = (env.WARDEN_LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`WARDEN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const adminEmail = (env.WARDEN_ADMIN_EMAIL || 'admin@warden.local').toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(adminEmail)) problems.push('WARDEN_ADMIN_EMAIL must be an email address');

  const config: Config = {
    databaseUrl,
    database,
    host,
    port,
    publicUrl,
    dataDir,
    secretKey,
    bodyLimitBytes: int('WARDEN_BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    logLevel,
    sessionTtlHours: int('WARDEN_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    auditCheckpointMinutes: int('WARDEN_AUDIT_CHECKPOINT_MINUTES', 60, 0, 7 * 24 * 60),
    postureRequestTtlHours: int('WARDEN_POSTURE_REQUEST_TTL_HOURS', 72, 1, 24 * 90),
    alerts: {
      approvalSevereOnly: flag('WARDEN_ALERT_APPROVAL_SEVERE_ONLY', false, problems, env),
      approvalTtlHours: int('WARDEN_ALERT_APPROVAL_TTL_HOURS', 4, 1, 24 * 7),
      capSender: env.WARDEN_CAP_SENDER || capSenderOf(publicUrl),
    },
    incidentPostRadiusKm: num('WARDEN_INCIDENT_POST_RADIUS_KM', 25, 0.1, 500),
    importBodyLimitBytes: int('WARDEN_IMPORT_BODY_LIMIT', 100 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    importWorkers: int('WARDEN_IMPORT_WORKERS', Math.min(4, availableParallelism()), 0, 64),
    webhookAllowPrivate: flag('WARDEN_WEBHOOK_ALLOW_PRIVATE', false, problems, env),
    login: {
      maxFailures: int('WARDEN_LOGIN_MAX_FAILURES', 5, 1, 100),
      lockoutMinutes: int('WARDEN_LOGIN_LOCKOUT_MINUTES', 15, 1, 24 * 60),
      accountMaxFailures: int('WARDEN_LOGIN_ACCOUNT_MAX_FAILURES', 20, 1, 10_000),
      accountLockoutMinutes: int('WARDEN_LOGIN_ACCOUNT_LOCKOUT_MINUTES', 1, 1, 24 * 60),
      perIpPerMinute: int('WARDEN_LOGIN_PER_IP_PER_MINUTE', 30, 1, 10_000),
    },
    adminEmail,
    smtpUrl: smtpUrl(env.WARDEN_SMTP_URL, problems),
    mailFrom: env.WARDEN_MAIL_FROM || 'Warden <no-reply@warden.local>',
    sms: env.WARDEN_SMS_PROVIDER_URL
      ? {
          providerUrl: env.WARDEN_SMS_PROVIDER_URL,
          accountSid: env.WARDEN_SMS_ACCOUNT_SID ?? '',
          authToken: env.WARDEN_SMS_AUTH_TOKEN ?? '',
          from: env.WARDEN_SMS_FROM ?? '',
          maxSegments: int('WARDEN_SMS_MAX_SEGMENTS', 3, 1, 10),
        }
      : null,
    webhookAllowHttp: flag('WARDEN_WEBHOOK_ALLOW_HTTP', false, problems, env),
    deliveries: {
      inProcess: flag('WARDEN_WORKER_IN_PROCESS', true, problems, env),
      leaseSeconds: int('WARDEN_WORKER_LEASE_SECONDS', 30, 1, 3600),
      batchSize: int('WARDEN_WORKER_BATCH', 200, 1, 10_000),
      pollMs: int('WARDEN_WORKER_POLL_MS', 500, 10, 60_000),
      maxAttempts: int('WARDEN_DELIVERY_MAX_ATTEMPTS', 8, 1, 100),
      concurrency: {
        email: int('WARDEN_EMAIL_CONCURRENCY', 20, 1, 1000),
        sms: int('WARDEN_SMS_CONCURRENCY', 20, 1, 1000),
        webhook: int('WARDEN_WEBHOOK_CONCURRENCY', 50, 1, 1000),
      },
      ratePerSecond: {
        email: int('WARDEN_EMAIL_RATE', 0, 0, 1_000_000),
        sms: int('WARDEN_SMS_RATE', 0, 0, 1_000_000),
        webhook: int('WARDEN_WEBHOOK_RATE', 0, 0, 1_000_000),
      },
    },
    enrollment: {
      verifyTtlHours: int('WARDEN_ENROLL_VERIFY_TTL_HOURS', 48, 1, 24 * 14),
      manageTtlMinutes: int('WARDEN_ENROLL_MANAGE_TTL_MINUTES', 30, 5, 24 * 60),
      perContactPer10Min: int('WARDEN_ENROLL_PER_CONTACT_PER_10MIN', 3, 1, 1000),
      perIpPer10Min: int('WARDEN_ENROLL_PER_IP_PER_10MIN', 30, 1, 100_000),
    },
    retention: {
      tripDays: int('WARDEN_RETENTION_TRIP_DAYS', 30, 1, 3650),
      unverifiedDays: int('WARDEN_RETENTION_UNVERIFIED_DAYS', 7, 1, 365),
      messageDays: int('WARDEN_RETENTION_MESSAGE_DAYS', 30, 1, 3650),
      securityMessageDays: int('WARDEN_RETENTION_SECURITY_MESSAGE_DAYS', 400, 1, 3650),
    },
    presence: {
      confirmDays: int('WARDEN_PRESENCE_CONFIRM_DAYS', 90, 1, 3650),
      graceDays: int('WARDEN_PRESENCE_GRACE_DAYS', 14, 0, 365),
    },
    subscriptions: {
      linkTtlDays: int('WARDEN_SUBSCRIPTION_LINK_DAYS', 90, 1, 3650),
      inlineRecipients: int('WARDEN_NOTICE_INLINE_RECIPIENTS', 500, 0, 1_000_000),
    },
    scheduler: {
      enabled: flag('WARDEN_SCHEDULER', true, problems, env),
      hourUtc: int('WARDEN_SCHEDULE_HOUR_UTC', 3, 0, 23),
      tickSeconds: int('WARDEN_SCHEDULER_TICK_SECONDS', 60, 1, 3600),
    },
    webDir: path.resolve(env.WARDEN_WEB_DIR || path.join(import.meta.dirname, '..', 'web', 'dist')),
  };
  if (config.sms) {
    if (!URL.canParse(config.sms.providerUrl))
      problems.push('WARDEN_SMS_PROVIDER_URL must be an absolute URL');
    if (!config.sms.accountSid || !config.sms.authToken || !config.sms.from)
      problems.push(
        'WARDEN_SMS_ACCOUNT_SID, WARDEN_SMS_AUTH_TOKEN and WARDEN_SMS_FROM are required with WARDEN_SMS_PROVIDER_URL',
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function flag(name: string, def: boolean, problems: string[], env: Env): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  problems.push(`${name} must be on or off (got "${env[name]}")`);
  return def;
}

function smtpUrl(raw: string | undefined, problems: string[]): string | null {
  if (!raw) return null;
  if (!/^smtps?:\/\/[^\s]+$/.test(raw) || !URL.canParse(raw)) {
    problems.push('WARDEN_SMTP_URL must be smtp://host:port or smtps://host:port');
    return null;
  }
  return raw;
}

function parseDatabaseUrl(url: string, problems: string[]): Config['database'] {
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      problems.push('WARDEN_DATABASE_URL is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url };
  }
  const m = /^(?:sqlite:|file:)?(.+)$/.exec(url);
  if (!m?.[1] || /^[a-z]+:\/\//i.test(url)) {
    problems.push(`WARDEN_DATABASE_URL must be postgres://... or sqlite:PATH (got "${url}")`);
    return { kind: 'sqlite', file: ':memory:' };
  }
  return { kind: 'sqlite', file: m[1] === ':memory:' ? m[1] : path.resolve(m[1]) };
}

/**
 * Returns the config with a secret key: the configured one, or one generated on first start
 * and kept in dataDir/secret.key (mode 0600), unless `create: false`. The key is never logged.
 */
export function resolveSecretKey(config: Config, opts: { create?: boolean } = {}): Config {
  if (config.secretKey) return config;
  const file = path.join(config.dataDir, 'secret.key');
  let key: string;
  if (existsSync(file)) {
    key = readFileSync(file, 'utf8').trim();
  } else if (opts.create === false) {
    // Checking existing data: a new key would verify nothing and only hide the missing one.
    throw new ConfigError([`WARDEN_SECRET_KEY is not set and ${file} does not exist`]);
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    key = randomBytes(32).toString('base64url');
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  if (key.length < 32) throw new ConfigError([`${file} holds a key shorter than 32 characters`]);
  return Object.freeze({ ...config, secretKey: key });
}
