import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type ControlledTransaction, Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database> | Transaction<Database>;
export type Backend = 'sqlite' | 'postgres';
/** A transaction its opener commits or rolls back itself, across several calls (bulk imports). */
export type OpenTransaction = ControlledTransaction<Database>;

export interface Store {
  readonly db: Kysely<Database>;
  readonly backend: Backend;
  /**
   * The SQLite connection itself (SQLite only), for bulk writes that reuse prepared statements:
   * the query builder prepares every statement anew. It is the connection Kysely uses, so
   * statements run on it inside a Kysely transaction belong to that transaction.
   */
  readonly sqlite?: SQLite.Database;
  ping(): Promise<boolean>;
  destroy(): Promise<void>;
}

export function openStore(database: Config['database'], opts: { poolSize?: number } = {}): Store {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: opts.poolSize ?? 10 });
    // An idle client losing its server must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return makeStore(db, 'postgres');
  }
  if (database.file !== ':memory:') mkdirSync(path.dirname(database.file), { recursive: true });
  const sqlite = new SQLite(database.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // Deleted rows are overwritten with zeros, not left readable on free pages: an erased
  // traveller must not be recoverable from the file (docs/privacy.md; cost measured there).
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return makeStore(db, 'sqlite', sqlite);
}

/**
 * Statements prepared once per SQLite connection and text, for bulk writes (the query builder
 * prepares every statement anew). Each caller keeps a cache of its own; `limit` bounds it, for
 * callers whose texts vary (it is cleared when full).
 */
export function statementCache(
  limit = Number.POSITIVE_INFINITY,
): (sqlite: SQLite.Database, text: string) => SQLite.Statement {
  const prepared = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();
  return (sqlite, text) => {
    let cache = prepared.get(sqlite);
    if (!cache) {
      cache = new Map();
      prepared.set(sqlite, cache);
    }
    let stmt = cache.get(text);
    if (!stmt) {
      if (cache.size >= limit) cache.clear();
      stmt = sqlite.prepare(text);
      cache.set(text, stmt);
    }
    return stmt;
  };
}

/**
 * After an erasure: on SQLite, copies the write-ahead log into the database and truncates it to
 * zero bytes, so the pages that held the erased rows (whose old images the WAL keeps until it is
 * overwritten) leave the disk now rather than some checkpoints later. PostgreSQL keeps dead rows
 * until VACUUM and old WAL segments until recycled: docs/privacy.md says what operators do.
 * Best effort: a reader holding an old snapshot makes it stop early, and the next one finishes.
 */
export async function flushErased(store: Store): Promise<void> {
  if (!store.sqlite) return;
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
}

function makeStore(db: Kysely<Database>, backend: Backend, sqlite?: SQLite.Database): Store {
  return {
    db,
    backend,
    ...(sqlite && { sqlite }),
    async ping() {
      try {
        await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
        return true;
      } catch {
        return false;
      }
    },
    destroy: () => db.destroy(),
  };
}
