import type SQLite from 'better-sqlite3';
import { CompiledQuery, sql } from 'kysely';
import { type Db, statementCache } from '../db.ts';
import type {
  EnrollmentContactTable,
  EnrollmentKeyTable,
  EnrollmentTable,
  EnrollmentTripTable,
} from './tables.ts';

/*
 * The write path of an organisation's enrollment import: lookups by the batch and multi-row
 * inserts. Rows stay sealed here, as everywhere in store/.
 */

type BulkTable = 'enrollments' | 'enrollment_keys' | 'enrollment_contacts' | 'enrollment_trips';

const ENROLLMENT_COLUMNS: readonly (keyof EnrollmentTable)[] = [
  'id',
  'name_enc',
  'language',
  'emergency_name_enc',
  'emergency_phone_enc',
  'emergency_email_enc',
  'webhook_url_enc',
  'consent_at',
  'unsubscribed_at',
  'created_at',
  'updated_at',
  'organisation_id',
  'external_id',
  'content_hash',
];
const KEY_COLUMNS: readonly (keyof EnrollmentKeyTable)[] = ['person_id', 'wrapped_key', 'created_at'];
const CONTACT_COLUMNS: readonly (keyof EnrollmentContactTable)[] = [
  'id',
  'person_id',
  'kind',
  'value_enc',
  'blind_index',
  'owner',
  'verified_at',
  'verify_version',
  'created_at',
];
const TRIP_COLUMNS = [
  'id',
  'person_id',
  'country',
  'region',
  'lat',
  'lon',
  'place_id',
  'arrival',
  'departure',
  'created_at',
] as const satisfies readonly (keyof EnrollmentTripTable)[];

/** PostgreSQL types of the columns that are not text. */
const PG_TYPES: Readonly<Record<string, string>> = {
  lat: 'float8',
  lon: 'float8',
  place_id: 'int4',
  verify_version: 'int4',
};

function isPostgres(db: Db): boolean {
  return db.selectFrom('enrollments').select('id').where('id', '=', '').compile().sql.includes('$1');
}

const ROWS_PER_STATEMENT = 2000;
const statement = statementCache();

/**
 * Inserts rows in bulk. With `skip`, a row that would break a UNIQUE constraint is left out and
 * its `skip` column's value returned, so a conflict refuses one person rather than the batch.
 *
 * SQLite, given its connection: one prepared statement per table, run once per row (the query
 * builder prepares a statement on every call, and a 2000-row VALUES list cost SQLite as much to
 * prepare as to insert). PostgreSQL: one array per column through unnest(), so a chunk of 2000
 * rows binds as many parameters as there are columns.
 */
async function insertMany<R extends object>(
  db: Db,
  table: BulkTable,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
  sqlite: SQLite.Database | undefined,
  skip?: keyof R & string,
): Promise<Set<string>> {
  const skipped = new Set<string>();
  if (rows.length === 0) return skipped;
  const names = columns.map((c) => `"${c}"`).join(', ');
  if (sqlite) {
    const or = skip ? 'or ignore ' : '';
    const stmt = statement(
      sqlite,
      `insert ${or}into "${table}" (${names}) values (${columns.map(() => '?').join(', ')})`,
    );
    const values = new Array<unknown>(columns.length);
    for (const r of rows) {
      for (let c = 0; c < columns.length; c++) values[c] = r[columns[c]!];
      if (stmt.run(values).changes === 0 && skip) skipped.add(String(r[skip]));
    }
    return skipped;
  }
  const pg = isPostgres(db);
  const text = pg
    ? `insert into "${table}" (${names}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${PG_TYPES[c] ?? 'text'}[]`).join(', ')})` +
      (skip ? ` on conflict do nothing returning "${skip}"` : '')
    : // SQLite without its connection at hand: JSON rows through json_each().
      `insert ${skip ? 'or ignore ' : ''}into "${table}" (${names}) ` +
      `select ${columns.map((_, i) => `value ->> ${i}`).join(', ')} from json_each(?)` +
      (skip ? ` returning "${skip}"` : '');
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const params = pg
      ? columns.map((c) => chunk.map((r) => r[c]))
      : [JSON.stringify(chunk.map((r) => columns.map((c) => r[c])))];
    const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, params));
    if (!skip) continue;
    const inserted = new Set(result.rows.map((r) => String(r[skip])));
    for (const r of chunk) if (!inserted.has(String(r[skip]))) skipped.add(String(r[skip]));
  }
  return skipped;
}

/** New people's rows; returns the external ids already taken (those rows were not written). */
export const insertEnrollmentRows = (db: Db, rows: readonly EnrollmentTable[], sqlite?: SQLite.Database) =>
  insertMany(db, 'enrollments', ENROLLMENT_COLUMNS, rows, sqlite, 'external_id');

/**
 * Contacts (all of one owner); returns the blind indexes that owner already holds for another
 * person (those rows were not written).
 */
export const insertContactRows = (
  db: Db,
  rows: readonly EnrollmentContactTable[],
  sqlite?: SQLite.Database,
) => insertMany(db, 'enrollment_contacts', CONTACT_COLUMNS, rows, sqlite, 'blind_index');

export async function insertKeyRows(db: Db, rows: readonly EnrollmentKeyTable[], sqlite?: SQLite.Database) {
  await insertMany(db, 'enrollment_keys', KEY_COLUMNS, rows, sqlite);
}

export async function insertTripRows(db: Db, rows: readonly EnrollmentTripTable[], sqlite?: SQLite.Database) {
  await insertMany(db, 'enrollment_trips', TRIP_COLUMNS, rows, sqlite);
}

/** Takes back people just inserted in this transaction (their contacts and person rows). */
export async function deleteNewPersons(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('enrollment_contacts')
    .where('person_id', 'in', [...ids])
    .execute();
  await db
    .deleteFrom('enrollments')
    .where('id', 'in', [...ids])
    .execute();
}

export interface ImportedPerson {
  readonly id: string;
  readonly contentHash: string | null;
  readonly wrappedKey: string;
}

/**
 * The organisation's people among these external ids, with their wrapped data keys. Given the
 * SQLite connection, it reads on it directly and at once: an import keeps its write transaction
 * open across batches, and a query through the query builder would wait for that transaction to
 * end (it holds the connection), while a direct read runs inside it and sees its writes.
 */
export async function findImportedPersons(
  db: Db,
  organisationId: string,
  externalIds: readonly string[],
  sqlite?: SQLite.Database,
): Promise<Map<string, ImportedPerson>> {
  const out = new Map<string, ImportedPerson>();
  if (sqlite) {
    if (externalIds.length === 0) return out;
    const stmt = statement(
      sqlite,
      'select e.id, e.external_id, e.content_hash, k.wrapped_key from enrollments e ' +
        'join enrollment_keys k on k.person_id = e.id ' +
        'where e.organisation_id = ? and e.external_id in (select value from json_each(?))',
    );
    const rows = stmt.all(organisationId, JSON.stringify(externalIds)) as Array<{
      id: string;
      external_id: string;
      content_hash: string | null;
      wrapped_key: string;
    }>;
    for (const r of rows) {
      out.set(r.external_id, { id: r.id, contentHash: r.content_hash, wrappedKey: r.wrapped_key });
    }
    return out;
  }
  for (let i = 0; i < externalIds.length; i += 5000) {
    const rows = await db
      .selectFrom('enrollments as e')
      .innerJoin('enrollment_keys as k', 'k.person_id', 'e.id')
      .select(['e.id', 'e.external_id', 'e.content_hash', 'k.wrapped_key'])
      .where('e.organisation_id', '=', organisationId)
      .where('e.external_id', 'in', externalIds.slice(i, i + 5000))
      .execute();
    for (const r of rows) {
      out.set(r.external_id as string, { id: r.id, contentHash: r.content_hash, wrappedKey: r.wrapped_key });
    }
  }
  return out;
}

/** Which of the owner's people holds each of these contact blind indexes now. */
export async function findContactOwners(
  db: Db,
  owner: string,
  indexes: readonly string[],
): Promise<Map<string, { personId: string; contactId: string }>> {
  const out = new Map<string, { personId: string; contactId: string }>();
  for (let i = 0; i < indexes.length; i += 5000) {
    const rows = await db
      .selectFrom('enrollment_contacts')
      .select(['id', 'person_id', 'blind_index'])
      .where('owner', '=', owner)
      .where('blind_index', 'in', indexes.slice(i, i + 5000))
      .execute();
    for (const r of rows) out.set(r.blind_index, { personId: r.person_id, contactId: r.id });
  }
  return out;
}

export async function listContactIndexes(
  db: Db,
  personIds: readonly string[],
): Promise<Array<{ id: string; personId: string; blindIndex: string }>> {
  if (personIds.length === 0) return [];
  const rows = await db
    .selectFrom('enrollment_contacts')
    .select(['id', 'person_id', 'blind_index'])
    .where('person_id', 'in', [...personIds])
    .execute();
  return rows.map((r) => ({ id: r.id, personId: r.person_id, blindIndex: r.blind_index }));
}

export async function deleteContacts(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length > 0)
    await db
      .deleteFrom('enrollment_contacts')
      .where('id', 'in', [...ids])
      .execute();
}

/** Replaces the trips of these people with `trips`. */
export async function replaceTripsOf(
  db: Db,
  personIds: readonly string[],
  trips: readonly EnrollmentTripTable[],
  sqlite?: SQLite.Database,
): Promise<void> {
  if (personIds.length > 0)
    await db
      .deleteFrom('enrollment_trips')
      .where('person_id', 'in', [...personIds])
      .execute();
  await insertMany(db, 'enrollment_trips', TRIP_COLUMNS, trips, sqlite);
}

/** The sealed fields and hash of an updated person (its key and ids stay). */
export async function updatePersonRow(
  db: Db,
  id: string,
  set: Omit<
    EnrollmentTable,
    'id' | 'created_at' | 'consent_at' | 'unsubscribed_at' | 'organisation_id' | 'external_id'
  >,
): Promise<void> {
  await db.updateTable('enrollments').set(set).where('id', '=', id).execute();
}

/**
 * Settings of the SQLite connection for a large import, undone by the returned function: a 64 MB
 * page cache (the contacts' blind-index B-tree takes random inserts; with the default 2 MB nearly
 * each one read a page, and the write cost per person doubled by 500,000 people) and a checkpoint
 * every 20,000 WAL pages rather than 1,000: transaction after transaction rewrites the same index
 * pages, and a checkpoint copies each page once however often it was written (figures:
 * docs/performance-history.md).
 */
export function tuneSqliteForBulk(sqlite: SQLite.Database): () => void {
  const cache = sqlite.pragma('cache_size', { simple: true });
  const checkpoint = sqlite.pragma('wal_autocheckpoint', { simple: true });
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('wal_autocheckpoint = 20000');
  return () => {
    sqlite.pragma(`cache_size = ${Number(cache)}`);
    sqlite.pragma(`wal_autocheckpoint = ${Number(checkpoint)}`);
  };
}

/** Refreshes the planner's statistics after a large import. */
export async function analyzeEnrollments(db: Db, backend: 'sqlite' | 'postgres'): Promise<void> {
  if (backend === 'postgres') {
    for (const t of ['enrollments', 'enrollment_contacts', 'enrollment_trips', 'enrollment_keys'])
      await sql`analyze ${sql.table(t)}`.execute(db);
  } else await sql`analyze`.execute(db);
}
