import { sql } from 'kysely';
import type { Backend, Db } from './db.ts';

/**
 * PostgreSQL transaction-level advisory lock ids, one per set of rows that concurrent writers
 * must not interleave on. SQLite serialises writers itself, so there these locks are no-ops.
 * Keep ids unique: two features sharing one would wait on each other for nothing.
 */
export const LOCK = {
  /** The audit chain's head: seq and prev_hash are assigned under it. */
  audit: 7201,
  /** Districts and coverage: a region belongs to one district; delegation has no loops. */
  posts: 7301,
  /** Actor merges and relations. */
  actorRelations: 7501,
  /** Incident <-> post proximity links. */
  postLinks: 7502,
  /** One incident import at a time (idempotent upserts by event id). */
  incidentImport: 7503,
} as const;

/** Takes a transaction-scoped advisory lock on PostgreSQL (released at commit or rollback). */
export async function lockFor(db: Db, backend: Backend, id: number): Promise<void> {
  if (backend === 'postgres') await sql`SELECT pg_advisory_xact_lock(${id})`.execute(db);
}

/** The same for a lock keyed by text (e.g. one country's advisory), hashed by PostgreSQL. */
export async function lockForKey(db: Db, backend: Backend, key: string): Promise<void> {
  if (backend === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
}
