import { randomFillSync, randomUUID } from 'node:crypto';

/** A random UUID (version 4): ids that need no order. */
export const newId = (): string => randomUUID();

const pool = Buffer.alloc(4096);
const text = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
const HEX = Buffer.from('0123456789abcdef', 'latin1');
let poolAt = pool.length;
let lastMs = 0;
let seq = 0;

function random(n: number): Buffer {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return out;
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter and 62 random
 * bits. Ids made later sort later, so a million imported incidents append to the end of the
 * primary-key B-trees instead of splitting pages all over them (figures:
 * docs/performance-history.md).
 */
export function orderedId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    seq = random(2).readUInt16BE(0) & 0x3ff;
  } else {
    seq++;
    if (seq > 0xfff) {
      lastMs++;
      seq = 0;
    }
  }
  // Written as text into one reused buffer: a million imported incidents each make one string
  // and no other garbage.
  const r = random(8);
  const hi = Math.floor(lastMs / 0x100000000);
  const lo = lastMs >>> 0;
  hex(0, hi >> 8);
  hex(2, hi);
  hex(4, lo >>> 24);
  hex(6, lo >>> 16);
  hex(9, lo >>> 8);
  hex(11, lo);
  hex(14, 0x70 | (seq >> 8));
  hex(16, seq);
  hex(19, (r[0]! & 0x3f) | 0x80);
  hex(21, r[1]!);
  for (let i = 2; i < 8; i++) hex(24 + 2 * (i - 2), r[i]!);
  return text.toString('latin1');
}

/** Writes a byte as two hex digits at `at`. */
function hex(at: number, byte: number): void {
  text[at] = HEX[(byte >> 4) & 15]!;
  text[at + 1] = HEX[byte & 15]!;
}
