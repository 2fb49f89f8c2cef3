/**
 * Table types shared by both backends. Times are ISO-8601 UTC strings and JSON is text on both
 * SQLite and PostgreSQL so that one mapping serves both (see docs/ARCHITECTURE.md).
 */
import type { AdvisoryTables } from './advisories/tables.ts';
import type { AlertTables } from './alerts/tables.ts';
import type { CheckinTables } from './checkins/tables.ts';
import type { DeliveryTables } from './deliveries/tables.ts';
import type { EnrollmentTables } from './enrollments/tables.ts';
import type { IncidentTables } from './incidents/tables.ts';
import type { OrganisationTables } from './organisations/tables.ts';
import type { PostTables } from './posts/tables.ts';
import type { RosterTables } from './rosters/tables.ts';
import type { SubscriptionTables } from './subscriptions/tables.ts';
import type { TaskTables } from './tasks/tables.ts';

/** Each feature declares its tables in store/tables/<feature>.ts; Database is their union. */
export interface Database
  extends TaskTables,
    PostTables,
    AdvisoryTables,
    IncidentTables,
    EnrollmentTables,
    OrganisationTables,
    SubscriptionTables,
    AlertTables,
    DeliveryTables,
    RosterTables,
    CheckinTables {
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
}

export interface UserTable {
  id: string;
  email: string;
  password_hash: string;
  role: string;
  /** JSON array of scope entries: "post:<id>" or "country:<ISO alpha-2>". */
  scope: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  /** 1 while the password is one someone else chose (created, reset, demo): migration 0020. */
  must_change_password: number;
}

export interface SessionTable {
  /** SHA-256 of the cookie token: a stolen database cannot be replayed as cookies. */
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  /** The browser that signed in (0020); null for sessions opened before. */
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface LoginThrottleTable {
  /** Keyed hash of the (lower-cased) email, so unknown emails are throttled exactly like known ones. */
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  /** JSON: { before?, after?, ... } — a summary, never secrets or personal data. */
  summary: string;
  request_id: string | null;
  prev_hash: string;
  hash: string;
  /** 'sha256' (entries before migration 0011) or 'hmac-sha256' (keyed). */
  hash_alg: string;
}
