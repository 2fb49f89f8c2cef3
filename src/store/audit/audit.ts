import { sql } from 'kysely';
import {
  type AuditEntry,
  type AuditEntryInput,
  GENESIS_HASH,
  type HashAlg,
  KEYED,
  keyedEntryHash,
} from '../../domain/audit/chain.ts';
import type { Backend, Db } from '../db.ts';
import { LOCK, lockFor } from '../locks.ts';
import type { AuditLogTable } from '../schema.ts';

/** Whether this database has an audit log at all (a database Warden never migrated has none). */
export async function auditLogExists(db: Db): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name === 'audit_log');
}

/** The newest entry's number and hash (null for an empty log). */
export async function auditHead(db: Db): Promise<{ seq: number; hash: string; alg: HashAlg } | null> {
  const last = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash', 'hash_alg'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ? { seq: Number(last.seq), hash: last.hash, alg: last.hash_alg as HashAlg } : null;
}

/**
 * The only writer of audit_log: it appends, and nothing here updates or deletes. Every entry is
 * keyed (HMAC-SHA256 with `key`, the audit chain key), so only a holder of the secret key can
 * extend the chain.
 */
export async function appendAudit(
  db: Db,
  backend: Backend,
  key: Buffer,
  input: AuditEntryInput,
): Promise<AuditEntry> {
  if (!db.isTransaction) return db.transaction().execute((trx) => appendAudit(trx, backend, key, input));
  // Serialise appenders across processes; SQLite serialises writers by itself.
  await lockFor(db, backend, LOCK.audit);
  const last = await auditHead(db);
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = keyedEntryHash(key, seq, input, prevHash);
  await db
    .insertInto('audit_log')
    .values({
      seq,
      at: input.at,
      actor: input.actor,
      action: input.action,
      target: input.target,
      summary: JSON.stringify(input.summary),
      request_id: input.requestId,
      prev_hash: prevHash,
      hash,
      hash_alg: KEYED,
    })
    .execute();
  return { ...input, seq, prevHash, hash, alg: KEYED };
}

export function auditRowToEntry(r: AuditLogTable): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    summary: JSON.parse(r.summary) as Record<string, unknown>,
    requestId: r.request_id,
    prevHash: r.prev_hash,
    hash: r.hash,
    alg: r.hash_alg as HashAlg,
  };
}

/** Streams the whole log in seq order, a page at a time, so verifying a large log stays flat in memory. */
export async function* readAuditLog(db: Db, pageSize = 1000): AsyncGenerator<AuditEntry> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield auditRowToEntry(r);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export interface AuditQuery {
  readonly before?: number;
  readonly limit: number;
  readonly action?: string;
  readonly actor?: string;
  /** Exact target ('user:<id>'), or every target of a kind when it ends with ':' ('user:'). */
  readonly target?: string;
  /** ISO-8601 times, inclusive `since`, exclusive `until`. */
  readonly since?: string;
  readonly until?: string;
}

/** LIKE pattern matching text that starts with `prefix` (its own % and _ escaped). */
const startsWith = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listAudit(db: Db, q: AuditQuery): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(q.limit);
  if (q.before !== undefined) query = query.where('seq', '<', q.before);
  if (q.action) {
    // 'user.' lists every action on users; 'user.create' one action.
    query = q.action.endsWith('.')
      ? query.where(sql<boolean>`action like ${startsWith(q.action)} escape '\\'`)
      : query.where('action', '=', q.action);
  }
  if (q.actor) query = query.where('actor', '=', q.actor);
  if (q.target) {
    query = q.target.endsWith(':')
      ? query.where(sql<boolean>`target like ${startsWith(q.target)} escape '\\'`)
      : query.where('target', '=', q.target);
  }
  if (q.since) query = query.where('at', '>=', q.since);
  if (q.until) query = query.where('at', '<', q.until);
  return (await query.execute()).map(auditRowToEntry);
}
