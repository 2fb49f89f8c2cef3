import { canonicalJson } from '../canonical-json.ts';
import { sha256Hex } from '../crypto.ts';

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

export interface AuditEntry extends AuditEntryInput {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** The sequence number is inside the hash, so moving an entry breaks the chain as surely as editing it. */
export function entryHash(seq: number, entry: AuditEntryInput, prevHash: string): string {
  return sha256Hex(
    canonicalJson({
      seq,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      summary: entry.summary,
      requestId: entry.requestId,
      prevHash,
    }),
  );
}

export type ChainBreak =
  | { seq: number; reason: 'hash_mismatch' }
  | { seq: number; reason: 'prev_hash_mismatch' }
  | { seq: number; reason: 'sequence_gap'; expectedSeq: number };

export interface VerifyResult {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  firstBreak: ChainBreak | null;
}

/**
 * Walks entries in seq order and reports the first one that does not follow from its
 * predecessor: an edited entry fails its own hash, a deleted one leaves a gap in seq, and a
 * reordered one no longer matches its predecessor's hash.
 */
export async function verifyChain(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let expectedSeq: number | null = null;
  let checked = 0;
  let head: VerifyResult['head'] = null;
  for await (const e of entries) {
    if (expectedSeq !== null && e.seq !== expectedSeq) {
      return { ok: false, checked, head, firstBreak: { seq: e.seq, reason: 'sequence_gap', expectedSeq } };
    }
    if (e.prevHash !== prev)
      return { ok: false, checked, head, firstBreak: { seq: e.seq, reason: 'prev_hash_mismatch' } };
    if (entryHash(e.seq, e, e.prevHash) !== e.hash) {
      return { ok: false, checked, head, firstBreak: { seq: e.seq, reason: 'hash_mismatch' } };
    }
    prev = e.hash;
    expectedSeq = e.seq + 1;
    checked++;
    head = { seq: e.seq, hash: e.hash };
  }
  return { ok: true, checked, head, firstBreak: null };
}
