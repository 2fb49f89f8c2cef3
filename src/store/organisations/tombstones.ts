import type SQLite from 'better-sqlite3';
import { type Db, statementCache } from '../db.ts';

/* Tombstones of people who deleted an organisation's enrollment of them (migration 0013). */

const statement = statementCache();

export async function insertTombstone(
  db: Db,
  organisationId: string,
  hash: string,
  at: string,
): Promise<void> {
  await db
    .insertInto('organisation_tombstones')
    .values({ organisation_id: organisationId, external_hash: hash, erased_at: at })
    .onConflict((oc) => oc.columns(['organisation_id', 'external_hash']).doUpdateSet({ erased_at: at }))
    .execute();
}

export async function countTombstones(db: Db, organisationId: string): Promise<number> {
  const r = await db
    .selectFrom('organisation_tombstones')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Which of these hashes are tombstoned. Given the SQLite connection it reads on it directly, as
 * findImportedPersons does: an import's open write transaction holds the connection.
 */
export async function findTombstones(
  db: Db,
  organisationId: string,
  hashes: readonly string[],
  sqlite?: SQLite.Database,
): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  if (sqlite) {
    const stmt = statement(
      sqlite,
      'select external_hash from organisation_tombstones where organisation_id = ? ' +
        'and external_hash in (select value from json_each(?))',
    );
    const rows = stmt.all(organisationId, JSON.stringify(hashes)) as Array<{ external_hash: string }>;
    return new Set(rows.map((r) => r.external_hash));
  }
  const out = new Set<string>();
  for (let i = 0; i < hashes.length; i += 5000) {
    const rows = await db
      .selectFrom('organisation_tombstones')
      .select('external_hash')
      .where('organisation_id', '=', organisationId)
      .where('external_hash', 'in', hashes.slice(i, i + 5000))
      .execute();
    for (const r of rows) out.add(r.external_hash);
  }
  return out;
}

export async function deleteTombstones(
  db: Db,
  organisationId: string,
  hashes: readonly string[],
): Promise<void> {
  if (hashes.length === 0) return;
  await db
    .deleteFrom('organisation_tombstones')
    .where('organisation_id', '=', organisationId)
    .where('external_hash', 'in', [...hashes])
    .execute();
}
