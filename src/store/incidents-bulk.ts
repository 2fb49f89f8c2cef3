import { CompiledQuery, sql } from 'kysely';
import type { Backend, Db } from './db.ts';
import { ACTOR_JSON_COLUMNS, INCIDENT_JSON_COLUMNS, LINK_JSON_COLUMNS } from './incidents-json.ts';
import type { IncidentActorTable, IncidentPostTable, IncidentTable } from './tables/incidents.ts';

/** Bulk inserts of incidents, their actors and post links: the write path of a large import. */

/** Rows per INSERT: SQLite allows 32766 bound values per statement, PostgreSQL 65535. */
const chunkFor = (columns: number) => Math.floor(30_000 / columns);

const INCIDENT_COLUMNS: readonly (keyof IncidentTable)[] = [
  'id',
  'event_id',
  'occurred_at',
  'time_precision',
  'lat',
  'lon',
  'cell',
  'geo_precision',
  'place',
  'country',
  'region',
  'type',
  'sub_type',
  'target_text',
  'target_post_id',
  'fatalities',
  'injuries',
  'sources',
  'notes',
  'source',
  'content_hash',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'retracted_at',
  'retracted_by',
  'retraction_reason',
];
const ACTOR_COLUMNS: readonly (keyof IncidentActorTable)[] = [
  'incident_id',
  'actor_id',
  'role',
  'confidence',
  'position',
];
const LINK_COLUMNS: readonly (keyof IncidentPostTable)[] = [
  'post_id',
  'incident_id',
  'distance_km',
  'occurred_at',
  'type',
  'retracted_at',
];

type BulkTable = 'incidents' | 'incident_actors' | 'incident_posts';

/**
 * Splits n rows into full chunks of `max` (rounded down to a power of two) and a remainder in
 * power-of-two pieces, so that at most log2(max) statement shapes ever exist per table.
 */
function chunks(n: number, max: number): Array<[number, number]> {
  let size = 1;
  while (size * 2 <= max) size *= 2;
  const out: Array<[number, number]> = [];
  let at = 0;
  for (; size >= 1; size /= 2) {
    while (n - at >= size) {
      out.push([at, at + size]);
      at += size;
    }
  }
  return out;
}
const statements = new Map<string, string>();

/**
 * Multi-row INSERT for imports. Building a 1000-row insert through the query builder cost ~22 µs
 * a row here, as much as SQLite's own work, so on SQLite the statement text is compiled once per
 * table and chunk size, and later chunks only bind their values.
 */
async function insertMany<R extends object>(
  db: Db,
  table: BulkTable,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const dialect = db.selectFrom(table).select(sql.lit(1).as('x')).where(sql.lit(1), '=', 1).compile().sql;
  if (dialect.includes('$1')) return insertUnnest(db, table, columns, rows);
  for (const [from, to] of chunks(rows.length, chunkFor(columns.length))) {
    const chunk = rows.slice(from, to);
    const key = `${dialect}|${table}|${chunk.length}`;
    let text = statements.get(key);
    if (!text) {
      const template = chunk.map(() => Object.fromEntries(columns.map((c) => [c, null])));
      // A template of NULLs: only the statement text is kept.
      text = db
        .insertInto(table)
        .values(template as never)
        .compile().sql;
      statements.set(key, text);
    }
    const params: unknown[] = new Array(chunk.length * columns.length);
    let k = 0;
    for (const r of chunk) for (const c of columns) params[k++] = r[c];
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}

/** PostgreSQL types of the bulk-inserted columns that are not text. */
const PG_TYPES: Readonly<Record<string, string>> = {
  lat: 'float8',
  lon: 'float8',
  distance_km: 'float8',
  fatalities: 'int4',
  injuries: 'int4',
  version: 'int4',
  position: 'int4',
  cell: 'int4',
};

/**
 * PostgreSQL: one array per column through unnest(), so a 5000-row chunk is a statement with as
 * many parameters as columns rather than 140,000 of them (several times faster with node-pg).
 */
async function insertUnnest<R extends object>(
  db: Db,
  table: BulkTable,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
): Promise<void> {
  const text =
    `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) ` +
    `select * from unnest(${columns.map((c, i) => `$${i + 1}::${PG_TYPES[c] ?? 'text'}[]`).join(', ')})`;
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await db.executeQuery(
      CompiledQuery.raw(
        text,
        columns.map((c) => chunk.map((r) => r[c])),
      ),
    );
  }
}

export const insertIncidentRows = (db: Db, rows: readonly IncidentTable[]) =>
  insertMany(db, 'incidents', INCIDENT_COLUMNS, rows);
export const insertIncidentActorRows = (db: Db, rows: readonly IncidentActorTable[]) =>
  insertMany(db, 'incident_actors', ACTOR_COLUMNS, rows);
export const insertPostLinkRows = (db: Db, rows: readonly IncidentPostTable[]) =>
  insertMany(db, 'incident_posts', LINK_COLUMNS, rows);

/*
 * The import's inserts: each batch's rows travel as one JSON array of arrays, which the store
 * itself unpacks (SQLite json_each, PostgreSQL jsonb_array_elements). The worker that reads the
 * file writes that text, so the main thread binds one string per table and batch instead of
 * tens of values per row, and no statement text grows with the batch.
 */

type JsonTable = 'incidents' | 'incident_actors' | 'incident_posts';

/** The SELECT list unpacking element `e` of a JSON batch into typed columns. */
function unpack(backend: Backend, columns: readonly string[]): string {
  return columns
    .map((c, i) => {
      if (backend === 'sqlite') return `e.value ->> ${i}`;
      const type = PG_TYPES[c];
      return type ? `(e ->> ${i})::${type}` : `e ->> ${i}`;
    })
    .join(', ');
}

const jsonStatements = new Map<string, string>();

/**
 * INSERT ... SELECT from a JSON array of rows (`json`); `constants` are further columns with one
 * value for the whole batch.
 */
async function insertJson(
  db: Db,
  backend: Backend,
  table: JsonTable,
  columns: readonly string[],
  json: string,
  constants: ReadonlyArray<readonly [string, unknown]> = [],
): Promise<void> {
  const key = `${backend}|${table}|${constants.map(([c]) => c).join(',')}`;
  let text = jsonStatements.get(key);
  if (!text) {
    const names = [...columns, ...constants.map(([c]) => c)].map((c) => `"${c}"`).join(', ');
    // Parameters: the constants, then the JSON text.
    const k = constants.length;
    const rest = constants
      .map(([c], i) => (backend === 'sqlite' ? ', ?' : `, $${i + 1}::${PG_TYPES[c] ?? 'text'}`))
      .join('');
    text =
      backend === 'sqlite'
        ? `insert into "${table}" (${names}) select ${unpack(backend, columns)}${rest} from json_each(?) as e`
        : `insert into "${table}" (${names}) select ${unpack(backend, columns)}${rest} from jsonb_array_elements($${k + 1}::jsonb) as e`;
    jsonStatements.set(key, text);
  }
  await db.executeQuery(CompiledQuery.raw(text, [...constants.map(([, v]) => v), json]));
}

/** New incidents of an import: PreparedRow.json texts joined into one array, and who and when. */
export const insertIncidentsJson = (db: Db, backend: Backend, json: string, now: string, by: string) =>
  insertJson(db, backend, 'incidents', INCIDENT_JSON_COLUMNS, json, [
    ['version', 1],
    ['created_at', now],
    ['created_by', by],
    ['updated_at', now],
    ['updated_by', by],
  ]);

/** Actors of new incidents: [incident_id, actor_id, role, confidence, position] arrays. */
export const insertIncidentActorsJson = (db: Db, backend: Backend, json: string) =>
  insertJson(db, backend, 'incident_actors', ACTOR_JSON_COLUMNS, json);

/** Links of new incidents to posts: PreparedRow.links texts joined into one array. */
export const insertPostLinksJson = (db: Db, backend: Backend, json: string) =>
  insertJson(db, backend, 'incident_posts', LINK_JSON_COLUMNS, json);
