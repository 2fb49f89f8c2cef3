/**
 * Tables of traveller enrollments (migration 0006_enrollments). Personal fields are sealed with
 * the person's data key (`*_enc`); the key itself, wrapped, lives apart in enrollment_keys, so
 * deleting that one row crypto-shreds everything else. Trips keep plain country/region/point
 * columns: targeting an alert must not decrypt anyone.
 */
export interface EnrollmentTables {
  enrollment_keys: EnrollmentKeyTable;
  enrollments: EnrollmentTable;
  enrollment_contacts: EnrollmentContactTable;
  enrollment_trips: EnrollmentTripTable;
  enrollment_throttle: EnrollmentThrottleTable;
  enrollment_links: EnrollmentLinkTable;
  enrollment_sessions: EnrollmentSessionTable;
  targeting_changes: TargetingChangeTable;
}

/** One row per manage link sent: the link's signed token names `jti`, and using it consumes it. */
export interface EnrollmentLinkTable {
  jti: string;
  person_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/** A traveller's self-service session, opened by a manage link; stored as the token's SHA-256. */
export interface EnrollmentSessionTable {
  id: string;
  person_id: string;
  created_at: string;
  expires_at: string;
}

export interface EnrollmentKeyTable {
  person_id: string;
  wrapped_key: string;
  created_at: string;
}

export interface EnrollmentTable {
  id: string;
  name_enc: string;
  language: string;
  /** Sealed JSON-free fields of the emergency contact (null = not given). */
  emergency_name_enc: string;
  emergency_phone_enc: string | null;
  emergency_email_enc: string | null;
  /** Sealed under the PII field 'webhookUrl' (migration 0012; it was plaintext before). */
  webhook_url_enc: string | null;
  consent_at: string;
  unsubscribed_at: string | null;
  created_at: string;
  updated_at: string;
  /** The organisation that enrolled the person (migration 0009); null = enrolled themself. */
  organisation_id: string | null;
  /** The organisation's own id for the person; UNIQUE with organisation_id. */
  external_id: string | null;
  /** Keyed hash of what the organisation last sent, so an unchanged re-import writes nothing. */
  content_hash: string | null;
  /** 1 = receives Exercise and Test alerts, set by staff (migration 0016). */
  drill_participant?: number;
}

export interface EnrollmentContactTable {
  id: string;
  person_id: string;
  kind: string;
  /** Sealed with the person's key under the PII field of the same name ('email' | 'phone'). */
  value_enc: string;
  /**
   * blindIndex(kind, value), 32 hex digits: UNIQUE with `owner`, so a contact belongs to one
   * enrollment per controller (migration 0013); two controllers may each hold it.
   */
  blind_index: string;
  /** 'self' (the person enrolled themself) or the enrolling organisation's id. */
  owner: string;
  verified_at: string | null;
  /** Moves on each verification: a verification link carries it and works once. */
  verify_version: number;
  created_at: string;
}

export interface EnrollmentTripTable {
  id: string;
  person_id: string;
  country: string;
  region: string | null;
  lat: number | null;
  lon: number | null;
  /** GeoNames id when the traveller chose a place. */
  place_id: number | null;
  arrival: string;
  departure: string | null;
  created_at: string;
  /** Open-ended trips: when the traveller last confirmed being there (migration 0008); null = never since created_at. */
  confirmed_at?: string | null;
  /** When the traveller was last asked to confirm (0008); asked again once a period after confirmation. */
  presence_asked_at?: string | null;
}

/** Fixed windows of public requests per keyed hash (contact blind index or client IP). */
export interface EnrollmentThrottleTable {
  key: string;
  window_started_at: string;
  count: number;
}

/**
 * People whose targeting data changed (migration 0022): written by triggers on trips, contacts
 * and enrollments, read by the alert-targeting index. `xid` (PostgreSQL only) is the writing
 * transaction's id; pruned after a day.
 */
export interface TargetingChangeTable {
  seq: number;
  person_id: string;
  at: string;
}
