/**
 * Tables of advisory subscriptions, advisory notices and scheduled runs (migration
 * 0008_retention_subscriptions). A subscriber's email is sealed with a data key of its own (the
 * subscription id plays the person id), wrapped apart in subscription_keys, and found by the same
 * blind index an enrollment contact with that email has.
 */
export interface SubscriptionTables {
  subscriptions: SubscriptionTable;
  subscription_keys: SubscriptionKeyTable;
  subscription_countries: SubscriptionCountryTable;
  advisory_notices: AdvisoryNoticeTable;
  scheduled_runs: ScheduledRunTable;
}

export interface SubscriptionTable {
  id: string;
  /** Sealed under the PII field 'email' with this subscription's data key. */
  email_enc: string;
  /** blindIndex('email', value): UNIQUE, one subscription per address. */
  blind_index: string;
  /** 'immediate' | 'daily'. */
  frequency: string;
  language: string;
  verified_at: string | null;
  /** Moves on verification, so a verification link works once. */
  verify_version: number;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionKeyTable {
  subscription_id: string;
  wrapped_key: string;
  created_at: string;
}

export interface SubscriptionCountryTable {
  subscription_id: string;
  /** ISO 3166 alpha-2. */
  country: string;
}

/**
 * Something subscribers and travellers in a country are told about: a non-minor advisory edition
 * or a post's posture change. Public facts only; the deliveries it expands to name recipients.
 */
export interface AdvisoryNoticeTable {
  id: string;
  /** 'advisory' | 'posture'. */
  kind: string;
  /** The advisory edition or posture change id; UNIQUE with kind. */
  subject_id: string;
  country: string;
  /** JSON of the public facts the messages show (level, summary, post name, state...). */
  details: string;
  created_at: string;
  /** Set while one process expands it (a claim that goes stale after a while). */
  expanding_at: string | null;
  /** Set once every recipient has a delivery. */
  expanded_at: string | null;
  recipients: number | null;
}

export interface ScheduledRunTable {
  job: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  owner: string;
  started_at: string;
  finished_at: string | null;
  /** JSON of counts. */
  result: string | null;
}
