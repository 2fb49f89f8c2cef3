import { CompiledQuery, sql } from 'kysely';
import type { Db } from './db.ts';
import type {
  EnrollmentContactTable,
  EnrollmentKeyTable,
  EnrollmentTable,
  EnrollmentTripTable,
} from './tables/enrollments.ts';

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
  'webhook_url',
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

const ROWS_PER_STATEMENT = 5000;

/**
 * One INSERT per chunk of rows, whose values travel as one parameter: a JSON array of rows read
 * by json_each() on SQLite, one array per column through unnest() on PostgreSQL. The statement
 * text stays short and constant (a multi-row VALUES list of 30,000 placeholders cost SQLite as
 * much to prepare, on every chunk, as to insert).
 */
async function insertMany<R extends object>(
  db: Db,
  table: BulkTable,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((c) => `"${c}"`).join(', ');
  const pg = isPostgres(db);
  const text = pg
    ? `insert into "${table}" (${names}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${PG_TYPES[c] ?? 'text'}[]`).join(', ')})`
    : `insert into "${table}" (${names}) select ${columns.map((_, i) => `value ->> ${i}`).join(', ')} from json_each(?)`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const params = pg
      ? columns.map((c) => chunk.map((r) => r[c]))
      : [JSON.stringify(chunk.map((r) => columns.map((c) => r[c])))];
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}

export interface BulkPersons {
  readonly enrollments: EnrollmentTable[];
  readonly keys: EnrollmentKeyTable[];
  readonly contacts: EnrollmentContactTable[];
  readonly trips: EnrollmentTripTable[];
}

export async function insertPersons(db: Db, rows: BulkPersons): Promise<void> {
  await insertMany(db, 'enrollments', ENROLLMENT_COLUMNS, rows.enrollments);
  await insertMany(db, 'enrollment_keys', KEY_COLUMNS, rows.keys);
  await insertMany(db, 'enrollment_contacts', CONTACT_COLUMNS, rows.contacts);
  await insertMany(db, 'enrollment_trips', TRIP_COLUMNS, rows.trips);
}

export interface ImportedPerson {
  readonly id: string;
  readonly contentHash: string | null;
  readonly wrappedKey: string;
}

/** The organisation's people among these external ids, with their wrapped data keys. */
export async function findImportedPersons(
  db: Db,
  organisationId: string,
  externalIds: readonly string[],
): Promise<Map<string, ImportedPerson>> {
  const out = new Map<string, ImportedPerson>();
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

/** Who holds each of these contact blind indexes now. */
export async function findContactOwners(
  db: Db,
  indexes: readonly string[],
): Promise<Map<string, { personId: string; contactId: string }>> {
  const out = new Map<string, { personId: string; contactId: string }>();
  for (let i = 0; i < indexes.length; i += 5000) {
    const rows = await db
      .selectFrom('enrollment_contacts')
      .select(['id', 'person_id', 'blind_index'])
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

export async function insertContacts(db: Db, rows: readonly EnrollmentContactTable[]): Promise<void> {
  await insertMany(db, 'enrollment_contacts', CONTACT_COLUMNS, rows);
}

/** Replaces the trips of these people with `trips`. */
export async function replaceTripsOf(
  db: Db,
  personIds: readonly string[],
  trips: readonly EnrollmentTripTable[],
): Promise<void> {
  if (personIds.length > 0)
    await db
      .deleteFrom('enrollment_trips')
      .where('person_id', 'in', [...personIds])
      .execute();
  await insertMany(db, 'enrollment_trips', TRIP_COLUMNS, trips);
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

/** Refreshes the planner's statistics after a large import. */
export async function analyzeEnrollments(db: Db, backend: 'sqlite' | 'postgres'): Promise<void> {
  if (backend === 'postgres') {
    for (const t of ['enrollments', 'enrollment_contacts', 'enrollment_trips', 'enrollment_keys'])
      await sql`analyze ${sql.table(t)}`.execute(db);
  } else await sql`analyze`.execute(db);
}
