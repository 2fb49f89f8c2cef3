import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  type AuditEntryInput,
  entryHash,
  GENESIS_HASH,
  type HashAlg,
  keyedEntryHash,
  verifyChain,
} from '../../src/domain/audit/chain.ts';
import { readCheckpoint, signCheckpoint } from '../../src/domain/audit/checkpoint.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';
import { deriveKey } from '../../src/domain/crypto.ts';

const key = deriveKey('test-secret-key-that-is-long-enough-0123456789', 'audit-chain');
const input = (seq: number): AuditEntryInput => ({
  at: `2026-01-01T00:00:0${seq}Z`,
  actor: 'cli',
  action: 'x',
  target: null,
  summary: { seq },
  requestId: null,
});

/** n entries; the first `legacy` of them hashed the old way (plain SHA-256). */
function chain(n: number, legacy = 0): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const alg: HashAlg = seq <= legacy ? 'sha256' : 'hmac-sha256';
    const hash =
      alg === 'sha256' ? entryHash(seq, input(seq), prev) : keyedEntryHash(key, seq, input(seq), prev);
    out.push({ ...input(seq), seq, prevHash: prev, hash, alg });
    prev = hash;
  }
  return out;
}

/** What a database thief can write: entries with a correctly computed plain hash, or keyed with a guess. */
function forge(c: AuditEntry[], from: number, alg: HashAlg, k = key): AuditEntry[] {
  const out = c.slice(0, from - 1);
  let prev = out.at(-1)?.hash ?? GENESIS_HASH;
  for (const e of c.slice(from - 1)) {
    const body = { ...e, summary: { forged: true } };
    const hash = alg === 'sha256' ? entryHash(e.seq, body, prev) : keyedEntryHash(k, e.seq, body, prev);
    out.push({ ...body, prevHash: prev, hash, alg });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('is independent of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('verifies an intact chain and reports its head', async () => {
    const c = chain(5);
    expect(await verifyChain(c, { key })).toEqual({
      ok: true,
      checked: 5,
      head: { seq: 5, hash: c[4]!.hash },
      firstBreak: null,
    });
  });

  it('finds an altered entry', async () => {
    const c = chain(5);
    c[2] = { ...c[2]!, summary: { seq: 99 } };
    expect((await verifyChain(c, { key })).firstBreak).toEqual({ seq: 3, reason: 'hash_mismatch' });
  });

  it('finds a deleted entry', async () => {
    const c = chain(5);
    c.splice(1, 1);
    expect((await verifyChain(c, { key })).firstBreak).toEqual({
      seq: 3,
      reason: 'sequence_gap',
      expectedSeq: 2,
    });
  });

  it('finds a deleted first entry', async () => {
    const c = chain(3).slice(1);
    expect((await verifyChain(c, { key })).firstBreak).toEqual({ seq: 2, reason: 'prev_hash_mismatch' });
  });

  it('finds reordered entries, even with their seq numbers swapped back', async () => {
    const c = chain(5);
    const [a, b] = [c[1]!, c[2]!];
    c[1] = { ...b, seq: 2 };
    c[2] = { ...a, seq: 3 };
    expect((await verifyChain(c, { key })).firstBreak).toEqual({ seq: 2, reason: 'prev_hash_mismatch' });
  });

  it('keeps a legacy (unkeyed) prefix verifiable up to the first keyed entry', async () => {
    expect((await verifyChain(chain(6, 3), { key })).ok).toBe(true);
  });

  it('refuses what a thief without the key can write: an appended entry, a rewritten tail, an all-plain chain', async () => {
    const c = chain(6, 2);
    // A new entry with a correctly computed plain hash, after keyed ones.
    const appended = forge([...c, { ...c[5]!, seq: 7 }], 7, 'sha256');
    expect((await verifyChain(appended, { key })).firstBreak).toEqual({ seq: 7, reason: 'unkeyed_entry' });
    // Entry 4 rewritten and every later one re-hashed, keyed with a guessed key.
    const guessed = deriveKey('another-secret-key-of-enough-length-000000', 'audit-chain');
    expect((await verifyChain(forge(c, 4, 'hmac-sha256', guessed), { key })).firstBreak).toEqual({
      seq: 4,
      reason: 'hash_mismatch',
    });
    // The same, passed off as legacy entries.
    expect((await verifyChain(forge(c, 4, 'sha256'), { key })).firstBreak).toEqual({
      seq: 4,
      reason: 'unkeyed_entry',
    });
    // A legacy entry rewritten: the first keyed entry's link binds it.
    expect(
      (await verifyChain(forge(c, 2, 'sha256').slice(0, 2).concat(c.slice(2)), { key })).firstBreak,
    ).toEqual({
      seq: 3,
      reason: 'prev_hash_mismatch',
    });
    // The whole chain replaced by an unkeyed one.
    expect((await verifyChain(forge(c, 1, 'sha256'), { key })).firstBreak).toEqual({
      seq: 6,
      reason: 'unkeyed_entry',
    });
  });

  it('with a checkpoint, finds the newest entries removed and a rewritten checkpoint entry', async () => {
    const c = chain(6);
    const anchor = { seq: 5, hash: c[4]!.hash };
    expect((await verifyChain(c, { key, anchor })).ok).toBe(true);
    const cut = await verifyChain(c.slice(0, 3), { key, anchor });
    expect(cut).toMatchObject({
      ok: false,
      checked: 3,
      firstBreak: { seq: 4, reason: 'truncated', expectedSeq: 5 },
    });
    expect((await verifyChain([], { key, anchor })).firstBreak).toMatchObject({ reason: 'truncated' });
    expect((await verifyChain(c, { key, anchor: { seq: 5, hash: c[3]!.hash } })).firstBreak).toEqual({
      seq: 5,
      reason: 'checkpoint_mismatch',
    });
    expect((await verifyChain([], { key, anchor: { seq: 0, hash: GENESIS_HASH } })).ok).toBe(true);
  });

  it('signs checkpoints: an altered one or one signed with another key is refused', () => {
    const ck = deriveKey('test-secret-key-that-is-long-enough-0123456789', 'audit-checkpoint');
    const cp = signCheckpoint(ck, { seq: 5, hash: 'a'.repeat(64) }, '2026-01-01T00:00:00.000Z');
    expect(readCheckpoint(ck, JSON.parse(JSON.stringify(cp)))).toEqual(cp);
    expect(() => readCheckpoint(ck, { ...cp, seq: 4 })).toThrow(/signature/);
    expect(() => readCheckpoint(key, cp)).toThrow(/signature/);
    expect(() => readCheckpoint(ck, { ...cp, format: 'x' })).toThrow(/format/);
    expect(() => readCheckpoint(ck, 'nope')).toThrow(/object/);
  });
});
