/**
 * Tables of organisations (migration 0009_organisations): the organisations that enroll their
 * own people, their API tokens (`wor_…`, stored as SHA-256 only) and their import history
 * (counts only: no row of this module holds personal data).
 */
export interface OrganisationTables {
  organisations: OrganisationTable;
  organisation_tokens: OrganisationTokenTable;
  organisation_imports: OrganisationImportTable;
  organisation_tombstones: OrganisationTombstoneTable;
}

/**
 * A person the organisation enrolled who deleted their enrollment themselves (migration 0013):
 * the organisation's next import leaves them out unless it asks to enroll them again.
 */
export interface OrganisationTombstoneTable {
  organisation_id: string;
  /** HMAC of the external id (tombstoneHash), not the id: nothing here names the person. */
  external_hash: string;
  erased_at: string;
}

export interface OrganisationTable {
  id: string;
  name: string;
  /** Trimmed, lower-cased name; UNIQUE. */
  name_key: string;
  notes: string | null;
  created_at: string;
  /** Audit actor id of the creator (`user:<id>` or `cli`). */
  created_by: string;
  updated_at: string;
  /** A disabled organisation's tokens stop working; its people stay enrolled. */
  disabled_at: string | null;
  /** 1 = its people receive Exercise and Test alerts (migration 0016). */
  drill_participant?: number;
}

export interface OrganisationTokenTable {
  id: string;
  organisation_id: string;
  label: string;
  /** SHA-256 of the token: a stolen database cannot be replayed as tokens. */
  token_hash: string;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface OrganisationImportTable {
  id: string;
  organisation_id: string;
  /** Audit actor id: `user:<id>`, `organisation:<id>` or `cli`. */
  actor: string;
  /** 'staff' | 'organisation' | 'cli'. */
  via: string;
  /** 'running' | 'done' | 'failed'; one running import per organisation (partial UNIQUE index). */
  status: string;
  started_at: string;
  /** Moved while the import runs, so an import abandoned by a crashed process can be taken over. */
  heartbeat_at: string;
  finished_at: string | null;
  bytes: number;
  rows: number;
  persons: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  error_count: number;
  /** Why a failed import stopped (a file-level problem, never a row's content). */
  error: string | null;
}
