/**
 * Indices of points in (x, then y) order, by an LSD radix sort of x's IEEE 754 bits (four passes
 * of 16 bits), then runs of equal x sorted by y. A comparison sort of 85,000 points takes tens of
 * milliseconds in V8 and this a few; the sweep sorts every vertex once.
 */
const RADIX_FROM = 4096;

export function sortPoints(x: Float64Array, y: Float64Array, n: number): Uint32Array {
  if (n < RADIX_FROM) {
    // The radix passes cost a fixed 256k bucket steps: a small ring sorts faster by comparison.
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  }
  // Order-preserving unsigned keys: flip the sign bit of positives, every bit of negatives.
  const words = new Uint32Array(x.buffer, x.byteOffset, n * 2);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1]!;
    const negative = h >>> 31 === 1;
    hi[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    lo[i] = negative ? ~words[2 * i]! >>> 0 : words[2 * i]!;
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Uint32Array(n);
  const count = new Uint32Array(65_536);
  for (const [key, shift] of [
    [lo, 0],
    [lo, 16],
    [hi, 0],
    [hi, 16],
  ] as const) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(key[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let d = 0; d < 65_536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const v = order[i]!;
      spare[count[(key[v]! >>> shift) & 0xffff]!++] = v;
    }
    [order, spare] = [spare, order];
  }
  // Equal x (a vertical edge, a repeated position): by y, with an insertion sort of the run.
  for (let i = 1; i < n; i++) {
    const v = order[i]!;
    let j = i - 1;
    while (j >= 0 && x[order[j]!] === x[v] && y[order[j]!]! > y[v]!) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = v;
  }
  return order;
}
