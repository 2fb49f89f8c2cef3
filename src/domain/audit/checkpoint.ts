import { canonicalJson } from '../canonical-json.ts';
import { hmacHex, safeEqual } from '../crypto.ts';
import { WardenError } from '../errors.ts';

export const CHECKPOINT_FORMAT = 'warden-audit-checkpoint/1';

/**
 * The head of the audit chain at a moment, signed (HMAC-SHA256 with its own key derived from
 * WARDEN_SECRET_KEY) and kept outside the database: a file under the data directory, a log line,
 * or wherever an operator copies it. A later verification from it finds entries removed from the
 * end of the chain, which the chain alone cannot show (a shorter chain is still a valid chain).
 * seq 0 with the genesis hash is the checkpoint of an empty chain.
 */
export interface Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly seq: number;
  readonly hash: string;
  /** When the checkpoint was taken. */
  readonly at: string;
  readonly signature: string;
}

const signed = (c: Omit<Checkpoint, 'signature'>): string =>
  canonicalJson({ format: c.format, seq: c.seq, hash: c.hash, at: c.at });

export function signCheckpoint(key: Buffer, head: { seq: number; hash: string }, at: string): Checkpoint {
  const body = { format: CHECKPOINT_FORMAT, seq: head.seq, hash: head.hash, at } as const;
  return { ...body, signature: hmacHex(key, signed(body)) };
}

const bad = (why: string): WardenError =>
  new WardenError('validation_failed', `Not a valid audit checkpoint: ${why}.`, { field: 'checkpoint' });

/** Reads a checkpoint (parsed JSON) and checks its signature; throws `validation_failed` if either fails. */
export function readCheckpoint(key: Buffer, value: unknown): Checkpoint {
  if (typeof value !== 'object' || value === null) throw bad('not a JSON object');
  const v = value as Record<string, unknown>;
  if (v.format !== CHECKPOINT_FORMAT) throw bad(`format is not ${CHECKPOINT_FORMAT}`);
  if (typeof v.seq !== 'number' || !Number.isSafeInteger(v.seq) || v.seq < 0) throw bad('seq');
  if (typeof v.hash !== 'string' || !/^[0-9a-f]{64}$/.test(v.hash)) throw bad('hash');
  if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) throw bad('at');
  if (typeof v.signature !== 'string') throw bad('signature');
  const c: Checkpoint = {
    format: CHECKPOINT_FORMAT,
    seq: v.seq,
    hash: v.hash,
    at: v.at,
    signature: v.signature,
  };
  if (!safeEqual(hmacHex(key, signed(c)), c.signature)) {
    throw bad('its signature does not match (altered, or made with another secret key)');
  }
  return c;
}
