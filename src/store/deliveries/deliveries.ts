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
