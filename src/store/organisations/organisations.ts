import { sql } from 'kysely';
import type { Db } from '../db.ts';
import type { OrganisationImportTable, OrganisationTable, OrganisationTokenTable } from './tables.ts';

/* Organisations, their tokens and their import history. No personal data passes through here. */

export type OrganisationRow = OrganisationTable;
export type OrganisationTokenRow = OrganisationTokenTable;
export type OrganisationImportRow = OrganisationImportTable;

export async function insertOrganisation(db: Db, row: OrganisationRow): Promise<void> {
  await db.insertInto('organisations').values(row).execute();
}

export async function findOrganisation(db: Db, id: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOrganisationByNameKey(db: Db, key: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('name_key', '=', key).executeTakeFirst();
}

export async function listOrganisationRows(db: Db): Promise<OrganisationRow[]> {
  return db.selectFrom('organisations').selectAll().orderBy('name_key').execute();
}

export async function updateOrganisationRow(
  db: Db,
  id: string,
  set: Partial<Omit<OrganisationRow, 'id' | 'created_at' | 'created_by'>>,
): Promise<void> {
  await db.updateTable('organisations').set(set).where('id', '=', id).execute();
}

/** People enrolled by each organisation (or by the given ones). */
export async function countPersonsByOrganisation(
  db: Db,
  ids?: readonly string[],
): Promise<Map<string, number>> {
  if (ids && ids.length === 0) return new Map();
  let q = db
    .selectFrom('enrollments')
    .select((eb) => ['organisation_id', eb.fn.countAll<string>().as('n')])
    .where('organisation_id', 'is not', null)
    .groupBy('organisation_id');
  if (ids) q = q.where('organisation_id', 'in', [...ids]);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.organisation_id as string, Number(r.n)]));
}

export async function insertOrganisationToken(db: Db, row: OrganisationTokenRow): Promise<void> {
  await db.insertInto('organisation_tokens').values(row).execute();
}

export async function listOrganisationTokens(
  db: Db,
  orgIds: readonly string[],
): Promise<OrganisationTokenRow[]> {
  if (orgIds.length === 0) return [];
  return db
    .selectFrom('organisation_tokens')
    .selectAll()
    .where('organisation_id', 'in', [...orgIds])
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function revokeOrganisationTokenRow(
  db: Db,
  organisationId: string,
  id: string,
  at: string,
): Promise<boolean> {
  const found = await db
    .selectFrom('organisation_tokens')
    .select('id')
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!found) return false;
  await db
    .updateTable('organisation_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  return true;
}

/** The live token with this hash and its organisation, unless either is revoked/disabled. */
export async function findLiveOrganisationToken(
  db: Db,
  tokenHash: string,
): Promise<{ id: string; organisationId: string; lastUsedAt: string | null } | undefined> {
  const r = await db
    .selectFrom('organisation_tokens as t')
    .innerJoin('organisations as o', 'o.id', 't.organisation_id')
    .select(['t.id', 't.organisation_id', 't.last_used_at'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where('o.disabled_at', 'is', null)
    .executeTakeFirst();
  return r && { id: r.id, organisationId: r.organisation_id, lastUsedAt: r.last_used_at };
}

export async function markOrganisationTokenUsed(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('organisation_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

/**
 * Starts an import: a `running` row, which the partial UNIQUE index allows once per organisation.
 * A running import whose heartbeat stopped before `staleBefore` (its process died) is marked
 * failed first. Returns false when another import of the organisation is running.
 */
export async function startImportRow(
  db: Db,
  row: OrganisationImportRow,
  staleBefore: string,
): Promise<boolean> {
  await db
    .updateTable('organisation_imports')
    .set({ status: 'failed', error: 'abandoned: its process stopped', finished_at: row.started_at })
    .where('organisation_id', '=', row.organisation_id)
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', staleBefore)
    .execute();
  const r = await db
    .insertInto('organisation_imports')
    .values(row)
    .onConflict((oc) => oc.column('organisation_id').where('status', '=', sql.lit('running')).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function updateImportRow(
  db: Db,
  id: string,
  set: Partial<Omit<OrganisationImportRow, 'id' | 'organisation_id' | 'started_at'>>,
): Promise<void> {
  await db.updateTable('organisation_imports').set(set).where('id', '=', id).execute();
}

export async function listImportRows(
  db: Db,
  organisationId: string,
  limit: number,
): Promise<OrganisationImportRow[]> {
  const rows = await db
    .selectFrom('organisation_imports')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  // PostgreSQL returns bigint as text.
  return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
}

/** The person an organisation knows by `externalId`, or undefined. */
export async function findOrganisationPerson(
  db: Db,
  organisationId: string,
  externalId: string,
): Promise<{ id: string; contentHash: string | null } | undefined> {
  const r = await db
    .selectFrom('enrollments')
    .select(['id', 'content_hash'])
    .where('organisation_id', '=', organisationId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return r && { id: r.id, contentHash: r.content_hash };
}
