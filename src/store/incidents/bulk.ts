import type SQLite from 'better-sqlite3';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { type Backend, type Db, statementCache } from '../db.ts';
import type { Database } from '../schema.ts';
import { IMPORT_ACTOR_COLUMNS, IMPORT_INCIDENT_COLUMNS, IMPORT_LINK_COLUMNS } from './json.ts';
import type { IncidentActorTable, IncidentPostTable, IncidentTable } from './tables.ts';

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
 * The import's inserts, rows given as flat arrays in the column order of json.ts, plus
 * constants of the whole batch (who and when).
 *
 * SQLite: one prepared single-row INSERT, kept and run for each row on the connection itself
 * (store.sqlite; inside the caller's Kysely transaction, so part of it). About 2.5 µs a row
 * before index work, against 5 for a multi-row VALUES statement parsed anew by the query
 * builder (or 10 unpacking JSON), and a single-row statement needs no statement journal.
 *
 * PostgreSQL: one JSON text per batch and table, unpacked by the server (jsonb_array_elements),
 * so this thread binds one string instead of serialising tens of values a row into arrays.
 */

export type ImportTable = 'incidents' | 'incident_actors' | 'incident_posts';

const IMPORT_COLUMNS: Readonly<Record<ImportTable, readonly string[]>> = {
  incidents: IMPORT_INCIDENT_COLUMNS,
  incident_actors: IMPORT_ACTOR_COLUMNS,
  incident_posts: IMPORT_LINK_COLUMNS,
};

const literal = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

// The constants change with each batch: keep a handful of statements, not one per batch.
const statement = statementCache(16);

/** Rows per prepared statement: one call into SQLite per 16 rows rather than per row. */
const ROWS_PER_RUN = 16;

function insertPrepared(
  sqlite: SQLite.Database,
  table: ImportTable,
  flat: readonly unknown[],
  constants: ReadonlyArray<readonly [string, string | number]>,
): void {
  const columns = IMPORT_COLUMNS[table];
  const width = columns.length;
  const names = [...columns, ...constants.map(([c]) => c)].map((c) => `"${c}"`).join(', ');
  const one = `(${[...columns.map(() => '?'), ...constants.map(([, v]) => literal(v))].join(', ')})`;
  const text = (n: number) =>
    `insert or fail into "${table}" (${names}) values ${Array.from({ length: n }, () => one).join(', ')}`;
  const many = statement(sqlite, text(ROWS_PER_RUN));
  const stride = width * ROWS_PER_RUN;
  let i = 0;
  if (flat.length >= stride) {
    const rows = new Array<unknown>(stride);
    for (; i + stride <= flat.length; i += stride) {
      for (let c = 0; c < stride; c++) rows[c] = flat[i + c];
      many.run(rows);
    }
  }
  if (i < flat.length) {
    const single = statement(sqlite, text(1));
    const row = new Array<unknown>(width);
    for (; i < flat.length; i += width) {
      for (let c = 0; c < width; c++) row[c] = flat[i + c];
      single.run(row);
    }
  }
}

/** The SELECT list unpacking JSON element `e` into typed PostgreSQL columns. */
const unpack = (columns: readonly string[]) =>
  columns.map((c, i) => (PG_TYPES[c] ? `(e ->> ${i})::${PG_TYPES[c]}` : `e ->> ${i}`)).join(', ');

/** PostgreSQL: INSERT ... SELECT from one JSON array of rows. */
async function insertJson(
  db: Db,
  table: ImportTable,
  json: string,
  constants: ReadonlyArray<readonly [string, string | number]>,
): Promise<void> {
  const columns = IMPORT_COLUMNS[table];
  const names = [...columns, ...constants.map(([c]) => c)].map((c) => `"${c}"`).join(', ');
  const rest = constants.map(([c], i) => `, $${i + 1}::${PG_TYPES[c] ?? 'text'}`).join('');
  const text = `insert into "${table}" (${names}) select ${unpack(columns)}${rest} from jsonb_array_elements($${constants.length + 1}::jsonb) as e`;
  await db.executeQuery(CompiledQuery.raw(text, [...constants.map(([, v]) => v), json]));
}

/**
 * Inserts an import's rows: `flat`, their values one row after another, or (PostgreSQL) `json`,
 * the JSON text of an array of rows, when the reader made it. SQLite needs its connection
 * (`sqlite`, the one under `db`'s transaction).
 */
export async function insertImportRows(
  db: Db,
  backend: Backend,
  table: ImportTable,
  rows: { flat: readonly unknown[] } | { json: string },
  constants: ReadonlyArray<readonly [string, string | number]> = [],
  sqlite?: SQLite.Database,
): Promise<void> {
  if (backend === 'sqlite') {
    if (!sqlite) throw new Error('insertImportRows needs the SQLite connection');
    const flat = 'json' in rows ? (JSON.parse(rows.json) as unknown[][]).flat() : rows.flat;
    return insertPrepared(sqlite, table, flat, constants);
  }
  if ('json' in rows) return insertJson(db, table, rows.json, constants);
  if (rows.flat.length === 0) return;
  const width = IMPORT_COLUMNS[table].length;
  const nested: unknown[][] = [];
  for (let i = 0; i < rows.flat.length; i += width) nested.push(rows.flat.slice(i, i + width));
  return insertJson(db, table, JSON.stringify(nested), constants);
}

/** The rows an import batch refers to in other tables, checked before it commits. */
export interface ImportParents {
  readonly actorIds: ReadonlySet<string>;
  readonly postIds: ReadonlySet<string>;
}

/**
 * Runs one import batch in a transaction. On SQLite its foreign keys are checked once per batch,
 * for the distinct actors and posts it names (`write` returns them), instead of once per actor
 * and link row: the per-row checks were a quarter of SQLite's work on an import (72,000 against
 * 52,000 instructions a row). The connection is held for the whole of it, so nothing else runs
 * while its foreign-key enforcement is off; the incidents the batch's rows refer to are inserted
 * by the batch itself. A missing parent fails the batch, as the per-row checks would.
 */
export async function importTransaction(
  db: Kysely<Database>,
  backend: Backend,
  sqlite: SQLite.Database | undefined,
  write: (trx: Db) => Promise<ImportParents>,
): Promise<void> {
  if (backend !== 'sqlite' || !sqlite) {
    await db.transaction().execute(write);
    return;
  }
  await db.connection().execute(async (conn) => {
    const enforced = sqlite.pragma('foreign_keys', { simple: true }) === 1;
    sqlite.pragma('foreign_keys = OFF');
    try {
      await conn.transaction().execute(async (trx) => {
        const parents = await write(trx);
        for (const [table, ids] of [
          ['actors', parents.actorIds],
          ['posts', parents.postIds],
        ] as const) {
          if (ids.size === 0) continue;
          const { rows } = await sql<{
            id: string;
          }>`SELECT value AS id FROM json_each(${JSON.stringify([...ids])})
            WHERE value NOT IN (SELECT id FROM ${sql.table(table)}) LIMIT 1`.execute(trx);
          if (rows.length)
            throw new Error(`FOREIGN KEY constraint failed: ${table} ${rows[0]!.id} is missing`);
        }
      });
    } finally {
      if (enforced) sqlite.pragma('foreign_keys = ON');
    }
  });
}

/** Who and when, the same for every incident of a batch. */
export const importConstants = (now: string, by: string): Array<readonly [string, string | number]> => [
  ['version', 1],
  ['created_at', now],
  ['created_by', by],
  ['updated_at', now],
  ['updated_by', by],
];
