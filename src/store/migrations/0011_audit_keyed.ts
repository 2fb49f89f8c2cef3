import { type Kysely, sql } from 'kysely';
import { KEYED, keyedEntryHash } from '../../domain/audit/chain.ts';
import { deriveKey } from '../../domain/crypto.ts';
import type { Backend } from '../db.ts';
import { LOCK } from '../locks.ts';
import type { MigrationSecrets } from '../migrate.ts';

/*
 * Keys the audit chain (issue 11). Until now each entry's hash was a plain SHA-256 over its
 * content and its predecessor's hash, so anyone who could write the table could append an entry
 * or rewrite one and re-hash every later entry. From here on every entry's hash is an HMAC-SHA256
 * with a key derived from WARDEN_SECRET_KEY (deriveKey(secret, 'audit-chain')).
 *
 * Existing chains stay verifiable: a `hash_alg` column says how each entry was hashed, and every
 * existing row keeps 'sha256' (adding a column with a default rewrites no row, so the append-only
 * triggers are not involved). Then a marker entry, `audit.chain_keyed`, is appended as the first
 * keyed entry: its summary names the legacy head and its prev_hash links to it, under the key. The
 * verifier accepts legacy entries only before the first keyed entry and refuses a non-empty chain
 * with no keyed entry at all, so a thief can neither rewrite the legacy part (the marker's keyed
 * hash binds its head), nor append legacy-looking entries after it, nor replace the whole chain
 * by an unkeyed one.
 *
 * Stop every Warden process before migrating: an old process would append unkeyed entries after
 * the marker, which the verifier reports.
 */
export async function up(db: Kysely<unknown>, backend: Backend, secrets: MigrationSecrets): Promise<void> {
  const last = (
    await sql<{ seq: number | string; hash: string }>`
      select seq, hash from audit_log order by seq desc limit 1`.execute(db)
  ).rows[0];
  // Refuse before changing anything (SQLite migrations run outside a transaction here).
  if (last && !secrets.secretKey) {
    throw new Error('Migration 0011 keys the audit chain and needs WARDEN_SECRET_KEY.');
  }
  await db.schema
    .alterTable('audit_log')
    .addColumn('hash_alg', 'text', (c) => c.notNull().defaultTo('sha256'))
    .execute();
  if (!last || !secrets.secretKey) return; // an empty chain starts keyed
  if (backend === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK.audit})`.execute(db);
  const seq = Number(last.seq) + 1;
  const entry = {
    at: new Date().toISOString(),
    actor: 'system',
    action: 'audit.chain_keyed',
    target: null,
    summary: { legacyHead: { seq: Number(last.seq), hash: last.hash }, alg: KEYED },
    requestId: null,
  };
  const hash = keyedEntryHash(deriveKey(secrets.secretKey, 'audit-chain'), seq, entry, last.hash);
  await sql`insert into audit_log (seq, at, actor, action, target, summary, request_id, prev_hash, hash, hash_alg)
    values (${seq}, ${entry.at}, ${entry.actor}, ${entry.action}, ${null}, ${JSON.stringify(entry.summary)},
            ${null}, ${last.hash}, ${hash}, ${KEYED})`.execute(db);
}
