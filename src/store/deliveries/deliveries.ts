import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { type Backend, type Db, statementCache } from '../db.ts';
import type { DeliveryAttemptTable, DeliveryTable } from './tables.ts';

export type DeliveryRow = DeliveryTable;

/** The PostgreSQL channel workers LISTEN on; a NOTIFY inside a transaction arrives at commit. */
export const DELIVERY_CHANNEL = 'warden_deliveries';

// 17 columns: 1,000 rows stay under both stores' bound-parameter limits (SQLite 32,766; pg 65,535).
const CHUNK = 1000;

const COLUMNS = [
  'id',
  'channel',
  'template',
  'person_id',
  'contact_id',
  'subscription_id',
  'organisation_id',
  'params',
  'status',
  'attempts',
  'last_error',
  'created_at',
  'sent_at',
  'dedupe_key',
  'message_ref',
  'priority',
  'next_attempt_at',
  'retention',
  'updated_at',
] as const satisfies readonly (keyof DeliveryTable)[];

const prepared = statementCache();
const INSERT_SQL = `insert into deliveries (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})
  on conflict (dedupe_key) do nothing`;

/**
 * Writes deliveries in the caller's transaction; a row whose dedupe_key is taken is skipped.
 * Returns the ids written. On SQLite, one prepared statement per row on Kysely's own connection
 * (`sqlite`; it belongs to the caller's transaction): a million rows cost a few µs each instead
 * of the query builder's compile of every multi-row insert. On PostgreSQL, multi-row inserts,
 * then NOTIFY: listening workers wake at commit.
 */
export async function insertDeliveries(
  db: Db,
  backend: Backend,
  rows: readonly DeliveryTable[],
  sqlite?: SQLite.Database,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const ids: string[] = [];
  if (backend === 'sqlite' && sqlite) {
    const stmt = prepared(sqlite, INSERT_SQL);
    const values: unknown[] = new Array(COLUMNS.length);
    for (const r of rows) {
      for (let i = 0; i < COLUMNS.length; i++) values[i] = r[COLUMNS[i]!] ?? null;
      if (stmt.run(values).changes === 1) ids.push(r.id);
    }
    return ids;
  }
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
      (b.priority ?? 0) - (a.priority ?? 0) ||
      (a.next_attempt_at ?? '').localeCompare(b.next_attempt_at ?? ''),
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
 * Records the results of a batch in one transaction: one UPDATE … FROM (VALUES …) per chunk on
 * both stores (VALUES columns are column1… on both). A row is only changed while `owner` still
 * holds its lease (a worker that lost it to another must not overwrite the newer outcome), and a
 * row erased meanwhile is simply gone; attempts are written for the rows changed. Returns how
 * many rows were recorded.
 */
export async function recordResults(
  db: Db,
  owner: string,
  results: readonly AttemptResult[],
): Promise<number> {
  const changed = new Set<string>();
  for (let i = 0; i < results.length; i += 500) {
    const chunk = results.slice(i, i + 500);
    const values = sql.join(
      chunk.map(
        ({ id, patch: p }) =>
          sql`(${id}, ${p.status}, ${p.provider_id ?? null}, ${p.sent_at ?? null}, ${p.last_error ?? null}, ${p.next_attempt_at ?? null}, ${p.finished_at ?? null}, ${p.updated_at ?? null})`,
      ),
    );
    const r = await sql<{ id: string }>`update deliveries set
        status = v.column2,
        provider_id = coalesce(v.column3, deliveries.provider_id),
        sent_at = coalesce(v.column4, deliveries.sent_at),
        last_error = v.column5,
        next_attempt_at = v.column6,
        finished_at = v.column7,
        updated_at = v.column8,
        lease_owner = null,
        lease_expires_at = null
      from (values ${values}) as v
      where deliveries.id = v.column1 and deliveries.lease_owner = ${owner} and deliveries.status = 'sending'
      returning id`.execute(db);
    for (const row of r.rows) changed.add(row.id);
  }
  await insertAttempts(
    db,
    results.filter((r) => changed.has(r.id)).map((r) => r.attempt),
  );
  return changed.size;
}

/** Extends the lease of rows still being worked on (a slow batch must not be taken over). */
export async function extendLease(
  db: Db,
  owner: string,
  ids: readonly string[],
  until: string,
): Promise<void> {
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
  state: 'delivered' | 'failed' | null,
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
  if (state && (row.status === 'sent' || (row.status === 'delivered' && state === 'failed'))) {
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

export interface DeliveryFilter {
  readonly message?: string;
  readonly status?: string;
  readonly channel?: string;
  /** Keyset cursor: deliveries with a greater id. */
  readonly after?: string;
  readonly limit: number;
}

export async function listDeliveries(db: Db, f: DeliveryFilter): Promise<DeliveryRow[]> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .$if(f.message !== undefined, (q) => q.where('message_ref', '=', f.message ?? ''))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status ?? ''))
    .$if(f.channel !== undefined, (q) => q.where('channel', '=', f.channel ?? ''))
    .$if(f.after !== undefined, (q) => q.where('id', '>', f.after ?? ''))
    .orderBy('id')
    .limit(f.limit)
    .execute();
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAttempts(db: Db, deliveryId: string): Promise<DeliveryAttemptTable[]> {
  return db
    .selectFrom('delivery_attempts')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('id')
    .execute();
}

/** Counts per channel and state of one message's deliveries, and how many finished since `since`. */
export async function deliveryCounts(
  db: Db,
  message: string,
  since: string,
): Promise<{
  counts: Array<{ channel: string; status: string; n: number }>;
  recent: number;
  firstAt: string | null;
}> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['channel', 'status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('message_ref', '=', message)
    .groupBy(['channel', 'status'])
    .execute();
  const recent = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('message_ref', '=', message)
    .where('updated_at', '>=', since)
    .where('status', 'in', ['sent', 'delivered', 'failed', 'dropped'])
    .executeTakeFirst();
  const first = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('created_at').as('at'))
    .where('message_ref', '=', message)
    .executeTakeFirst();
  return {
    counts: rows.map((r) => ({ channel: r.channel, status: r.status, n: Number(r.n) })),
    recent: Number(recent?.n ?? 0),
    firstAt: (first?.at as string | null | undefined) ?? null,
  };
}

/** Staff "retry now": a failed or queued delivery is due at once (its attempts start again). */
export async function requeueDelivery(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('deliveries')
    .set({ status: 'queued', next_attempt_at: at, attempts: 0, updated_at: at, finished_at: null })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'queued'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Staff "drop": a delivery that has not left yet will not. */
export async function dropDelivery(db: Db, id: string, reason: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('deliveries')
    .set({ status: 'dropped', last_error: reason, next_attempt_at: null, updated_at: at, finished_at: at })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function clearParams(db: Db, id: string): Promise<void> {
  await db.updateTable('deliveries').set({ params: '{}' }).where('id', '=', id).execute();
}
