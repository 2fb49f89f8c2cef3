/*
 * Enrollment ids are UUIDs (random or v7). The index keeps them as 16 bytes, not as strings
 * (a string costs ~60 bytes); any other id is kept as its string (see PersonTable).
 */

const HEX = '0123456789abcdef';
const DASHES = new Set([8, 13, 18, 23]);

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Writes a canonical lower-case UUID as 16 bytes at `at`; false for anything else. */
export function uuidToBytes(id: string, out: Uint8Array, at: number): boolean {
  if (id.length !== 36) return false;
  let o = at;
  for (let i = 0; i < 36; ) {
    if (DASHES.has(i)) {
      if (id.charCodeAt(i) !== 45) return false;
      i++;
      continue;
    }
    const hi = nibble(id.charCodeAt(i));
    const lo = nibble(id.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return false;
    out[o++] = (hi << 4) | lo;
    i += 2;
  }
  return true;
}

export function bytesToUuid(b: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    const v = b[at + i] as number;
    s += (HEX[v >> 4] as string) + (HEX[v & 15] as string);
  }
  return s;
}

/** Byte order of two 16-byte ids (the order of their UUID strings). */
export function compareIds(a: Uint8Array, ia: number, b: Uint8Array, ib: number): number {
  for (let i = 0; i < 16; i++) {
    const d = (a[ia + i] as number) - (b[ib + i] as number);
    if (d !== 0) return d;
  }
  return 0;
}
