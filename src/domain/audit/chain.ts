import { canonicalJson } from '../canonical-json.ts';
import { hmacHex, sha256Hex } from '../crypto.ts';

/** The hash of the (virtual) entry before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  readonly at: string;
  readonly actor: string | null;
  readonly action: string;
  readonly target: string | null;
  readonly summary: Readonly<Record<string, unknown>>;
  readonly requestId: string | null;
}

/**
 * How an entry's hash is made. `sha256`: a plain hash, as every entry was before the chain was
 * keyed (anyone who can write the table can recompute it). `hmac-sha256`: keyed with a key derived
 * from WARDEN_SECRET_KEY, so only Warden can extend or rewrite the chain. Legacy entries may only
 * come first; the first keyed entry after them (the `audit.chain_keyed` marker of migration 0011)
 * binds the legacy chain's head.
 */
export const HASH_ALGS = ['sha256', 'hmac-sha256'] as const;
export type HashAlg = (typeof HASH_ALGS)[number];
export const KEYED: HashAlg = 'hmac-sha256';

export interface AuditEntry extends AuditEntryInput {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly alg: HashAlg;
}

/** What is hashed: the sequence number too, so moving an entry breaks the chain as surely as editing it. */
const hashedContent = (seq: number, entry: AuditEntryInput, prevHash: string): string =>
  canonicalJson({
    seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    summary: entry.summary,
    requestId: entry.requestId,
    prevHash,
  });

/** The legacy (unkeyed) hash of an entry. */
export function entryHash(seq: number, entry: AuditEntryInput, prevHash: string): string {
  return sha256Hex(hashedContent(seq, entry, prevHash));
}

/** The keyed hash of an entry: HMAC-SHA256 with the audit chain key. */
export function keyedEntryHash(key: Buffer, seq: number, entry: AuditEntryInput, prevHash: string): string {
  return hmacHex(key, hashedContent(seq, entry, prevHash));
}

export function hashFor(
  alg: HashAlg,
  key: Buffer,
  seq: number,
  entry: AuditEntryInput,
  prevHash: string,
): string {
  switch (alg) {
    case 'sha256':
      return entryHash(seq, entry, prevHash);
    case 'hmac-sha256':
      return keyedEntryHash(key, seq, entry, prevHash);
  }
}

export type ChainBreak =
  | { seq: number; reason: 'hash_mismatch' }
  | { seq: number; reason: 'prev_hash_mismatch' }
  | { seq: number; reason: 'sequence_gap'; expectedSeq: number }
  /** An unkeyed entry after a keyed one, or a chain with no keyed entry at all. */
  | { seq: number; reason: 'unkeyed_entry' }
  /** The entry a checkpoint names has another hash: the chain was rewritten since. */
  | { seq: number; reason: 'checkpoint_mismatch' }
  /** The chain ends before the checkpoint's entry: its newest entries were removed. */
  | { seq: number; reason: 'truncated'; expectedSeq: number };

export interface VerifyResult {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  firstBreak: ChainBreak | null;
}

export interface VerifyOptions {
  /** The audit chain key (deriveKey(secret, 'audit-chain')). */
  readonly key: Buffer;
  /** A checkpoint taken earlier: the chain must still hold this entry with this hash. */
  readonly anchor?: { readonly seq: number; readonly hash: string };
}

/**
 * Walks entries in seq order and reports the first one that does not follow from its
 * predecessor: an edited entry fails its own hash, a deleted one leaves a gap in seq, and a
 * reordered one no longer matches its predecessor's hash. An entry written or rewritten without
 * the key fails its keyed hash; one passed off as a legacy entry is refused after the first
 * keyed one, and a chain that has entries but no keyed one is refused too (the upgrade wrote a
 * keyed marker, so a real chain always has one). With an anchor, the chain must reach the
 * anchor's entry and hold it unchanged (removing the newest entries is found this way only).
 */
export async function verifyChain(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
  opts: VerifyOptions,
): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let expectedSeq: number | null = null;
  let checked = 0;
  let head: VerifyResult['head'] = null;
  let keyed = false;
  const fail = (firstBreak: ChainBreak): VerifyResult => ({ ok: false, checked, head, firstBreak });
  for await (const e of entries) {
    if (expectedSeq !== null && e.seq !== expectedSeq) {
      return fail({ seq: e.seq, reason: 'sequence_gap', expectedSeq });
    }
    if (e.prevHash !== prev) return fail({ seq: e.seq, reason: 'prev_hash_mismatch' });
    if (e.alg !== KEYED && keyed) return fail({ seq: e.seq, reason: 'unkeyed_entry' });
    if (hashFor(e.alg, opts.key, e.seq, e, e.prevHash) !== e.hash) {
      return fail({ seq: e.seq, reason: 'hash_mismatch' });
    }
    if (opts.anchor && e.seq === opts.anchor.seq && e.hash !== opts.anchor.hash) {
      return fail({ seq: e.seq, reason: 'checkpoint_mismatch' });
    }
    keyed ||= e.alg === KEYED;
    prev = e.hash;
    expectedSeq = e.seq + 1;
    checked++;
    head = { seq: e.seq, hash: e.hash };
  }
  if (head && !keyed) return fail({ seq: head.seq, reason: 'unkeyed_entry' });
  const anchor = opts.anchor;
  if (anchor && anchor.seq > 0 && (head?.seq ?? 0) < anchor.seq) {
    return fail({ seq: (head?.seq ?? 0) + 1, reason: 'truncated', expectedSeq: anchor.seq });
  }
  return { ok: true, checked, head, firstBreak: null };
}
