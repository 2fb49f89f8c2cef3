import { sql } from 'kysely';
import type { Backend, Db } from '../db.ts';
import type { DeliveryAttemptTable, DeliveryTable } from './tables.ts';

export type DeliveryRow = DeliveryTable;

/** The PostgreSQL channel workers LISTEN on; a NOTIFY inside a transaction arrives at commit. */
export const DELIVERY_CHANNEL = 'warden_deliveries';

// 17 columns: 1,000 rows stay under both stores' bound-parameter limits (SQLite 32,766; pg 65,535).
const CHUNK = 1000;

/**
 * Writes deliveries in the caller's transaction; a row whose dedupe_key is taken is skipped.
 * Returns the ids written. On PostgreSQL, also NOTIFY: listening workers wake at commit.
 */
export async function insertDeliveries(
  db: Db,
  backend: Backend,
  rows: readonly DeliveryTable[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const hasDedupe = chunk.some((r) => r.dedupe_key);
    if (!hasDedupe) {
      await db.insertInto('deliveries').values(chunk).execute();
      for (const r of chunk) ids.push(r.id);
      continue;
    }
    const written = await db
      .insertInto('deliveries')
      .values(chunk)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .execute();
    for (const r of written) ids.push(r.id);
  }
  if (backend === 'postgres' && ids.length > 0) await notifyDeliveries(db);
  return ids;
}

export async function notifyDeliveries(db: Db): Promise<void> {
  await sql`select pg_notify(${DELIVERY_CHANNEL}, '')`.execute(db);
}

export async function findDeliveries(db: Db, ids: readonly string[]): Promise<DeliveryRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function insertAttempts(db: Db, rows: readonly DeliveryAttemptTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('delivery_attempts')
      .values(rows.slice(i, i + CHUNK))
      .execute();
}

export interface ClaimOptions {
  readonly owner: string;
  readonly now: string;
  readonly leaseUntil: string;
  readonly limit: number;
  readonly channels: readonly string[];
  /** Only these deliveries (staff "retry now", tests). */
  readonly ids?: readonly string[];
}

/**
 * Claims up to `limit` due deliveries for `owner` under a lease: first those whose lease expired
 * while `sending` (their worker died: they are marked possible_duplicate, since they may have
 * left), then queued ones, most urgent first. PostgreSQL: `FOR UPDATE SKIP LOCKED`, so workers
 * never wait on each other or claim the same row; SQLite: one conditional UPDATE … RETURNING
 * (writers are serialised). Every claim counts an attempt.
 */
export async function claimDeliveries(
  db: Db,
  backend: Backend,
  o: ClaimOptions,
): Promise<{ rows: DeliveryRow[]; expired: DeliveryRow[] }> {
  if (o.channels.length === 0 || o.limit <= 0) return { rows: [], expired: [] };
  const channels = [...o.channels];
  const expired = await db
    .updateTable('deliveries')
    .set((eb) => ({
      lease_owner: o.owner,
      lease_expires_at: o.leaseUntil,
      attempts: eb('attempts', '+', 1),
      possible_duplicate: 1,
      updated_at: o.now,
    }))
    .where('id', 'in', (eb) => {
      const q = eb
        .selectFrom('deliveries')
        .select('id')
        .where('status', '=', 'sending')
        .where('lease_expires_at', '<', o.now)
        .where('channel', 'in', channels)
        .$if(o.ids !== undefined, (q) => q.where('id', 'in', [...(o.ids ?? []), '']))
        .limit(o.limit);
      return backend === 'postgres' ? q.forUpdate().skipLocked() : q;
    })
    .returningAll()
    .execute();
  const left = o.limit - expired.length;
  const fresh =
    left <= 0
      ? []
      : await db
          .updateTable('deliveries')
          .set((eb) => ({
            status: 'sending',
            lease_owner: o.owner,
            lease_expires_at: o.leaseUntil,
            attempts: eb('attempts', '+', 1),
            updated_at: o.now,
          }))
          .where('id', 'in', (eb) => {
            const q = eb
              .selectFrom('deliveries')
              .select('id')
              .where('status', '=', 'queued')
              .where('next_attempt_at', '<=', o.now)
              .where('channel', 'in', channels)
              .$if(o.ids !== undefined, (q) => q.where('id', 'in', [...(o.ids ?? []), '']))
              .orderBy('priority', 'desc')
              .orderBy('next_attempt_at')
              .limit(left);
            return backend === 'postgres' ? q.forUpdate().skipLocked() : q;
          })
          .returningAll()
          .execute();
  const rows = [...expired, ...fresh].sort(
    (a, b) =>
      (b.priority ?? 0) - (a.priority ?? 0) || (a.next_attempt_at ?? '').localeCompare(b.next_attempt_at ?? ''),
  );
  return { rows, expired };
}

/** When the next due delivery (of these channels) is, or null when none is queued. */
export async function nextDueAt(db: Db, channels: readonly string[]): Promise<string | null> {
  if (channels.length === 0) return null;
  const r = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'queued')
    .where('channel', 'in', [...channels])
    .executeTakeFirst();
  const lease = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('lease_expires_at').as('at'))
    .where('status', '=', 'sending')
    .where('channel', 'in', [...channels])
    .executeTakeFirst();
  const all = [r?.at, lease?.at].filter((x): x is string => typeof x === 'string').sort();
  return all[0] ?? null;
}

/** One attempt's result to record: the row's new fields and its history entry. */
export interface AttemptResult {
  readonly id: string;
  readonly patch: Partial<DeliveryTable>;
  readonly attempt: DeliveryAttemptTable;
}

/**
 * Records the results of a batch in one transaction. A row is only changed while `owner` still
 * holds its lease (a worker that lost it to another must not overwrite the newer outcome), and
 * a row erased meanwhile is simply gone. Returns how many rows were recorded.
 */
export async function recordResults(db: Db, owner: string, results: readonly AttemptResult[]): Promise<number> {
  const attempts: DeliveryAttemptTable[] = [];
  for (const r of results) {
    const u = await db
      .updateTable('deliveries')
      .set(r.patch)
      .where('id', '=', r.id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) === 1) attempts.push(r.attempt);
  }
  await insertAttempts(db, attempts);
  return attempts.length;
}

/** Extends the lease of rows still being worked on (a slow batch must not be taken over). */
export async function extendLease(db: Db, owner: string, ids: readonly string[], until: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('deliveries')
    .set({ lease_expires_at: until })
    .where('id', 'in', [...ids])
    .where('lease_owner', '=', owner)
    .where('status', '=', 'sending')
    .execute();
}

/**
 * A provider's receipt (SMS status callback): moves a `sent` delivery to `delivered` or
 * `failed`. Returns the delivery id, or null when no delivery has that provider id.
 */
export async function applyReceipt(
  db: Db,
  providerId: string,
  state: 'delivered' | 'failed',
  at: string,
  attempt: Omit<DeliveryAttemptTable, 'delivery_id' | 'attempt'>,
  reason: string | null,
): Promise<string | null> {
  const row = await db
    .selectFrom('deliveries')
    .select(['id', 'attempts', 'status'])
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
  if (!row) return null;
  if (row.status === 'sent' || (row.status === 'delivered' && state === 'failed')) {
    await db
      .updateTable('deliveries')
      .set({
        status: state,
        updated_at: at,
        finished_at: at,
        ...(state === 'failed' && { last_error: reason }),
      })
      .where('id', '=', row.id)
      .execute();
  }
  await insertAttempts(db, [{ ...attempt, delivery_id: row.id, attempt: row.attempts }]);
  return row.id;
}
