import { describe, expect, it } from 'vitest';
import { type AuditEntry, entryHash, GENESIS_HASH, verifyChain } from '../../src/domain/audit/chain.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const input = {
      at: `2026-01-01T00:00:0${seq}Z`,
      actor: 'cli',
      action: 'x',
      target: null,
      summary: { seq },
      requestId: null,
    };
    const hash = entryHash(seq, input, prev);
    out.push({ ...input, seq, prevHash: prev, hash });
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
    expect(await verifyChain(c)).toEqual({
      ok: true,
      checked: 5,
      head: { seq: 5, hash: c[4]!.hash },
      firstBreak: null,
    });
  });

  it('finds an altered entry', async () => {
    const c = chain(5);
    c[2] = { ...c[2]!, summary: { seq: 99 } };
    expect((await verifyChain(c)).firstBreak).toEqual({ seq: 3, reason: 'hash_mismatch' });
  });

  it('finds a deleted entry', async () => {
    const c = chain(5);
    c.splice(1, 1);
    expect((await verifyChain(c)).firstBreak).toEqual({ seq: 3, reason: 'sequence_gap', expectedSeq: 2 });
  });

  it('finds a deleted first entry', async () => {
    const c = chain(3).slice(1);
    expect((await verifyChain(c)).firstBreak).toEqual({ seq: 2, reason: 'prev_hash_mismatch' });
  });

  it('finds reordered entries, even with their seq numbers swapped back', async () => {
    const c = chain(5);
    const [a, b] = [c[1]!, c[2]!];
    c[1] = { ...b, seq: 2 };
    c[2] = { ...a, seq: 3 };
    expect((await verifyChain(c)).firstBreak).toEqual({ seq: 2, reason: 'prev_hash_mismatch' });
  });
});
