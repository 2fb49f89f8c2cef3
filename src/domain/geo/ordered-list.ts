/**
 * A skip list of the integers 0..capacity-1 in the order of a comparator, for a sweep line's
 * status. Insertion costs O(log n) expected comparisons; removal, both neighbours, and replacing
 * an entry by another that sorts in the same place (an edge handing over to the next edge of its
 * ring at a vertex) cost O(1) and compare nothing. Links live in typed arrays sized once, so a
 * sweep allocates nothing per event, and the levels come from a fixed-seed generator, so the same
 * input takes the same comparisons on every run.
 */
const MAX_LEVEL = 16;
const NONE = -1;

export class OrderedList {
  /** Node n's links are next/prev[offset[n] + level]; the head is node `capacity`. */
  private readonly offset: Int32Array;
  private readonly height: Uint8Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** A node keeps its links when replace() hands it to another key. */
  private readonly keyOf: Int32Array;
  private readonly nodeOf: Int32Array;
  private readonly path = new Int32Array(MAX_LEVEL);
  private readonly head: number;
  private level = 1;

  constructor(
    capacity: number,
    private readonly compare: (a: number, b: number) => number,
  ) {
    this.head = capacity;
    this.height = new Uint8Array(capacity + 1);
    this.offset = new Int32Array(capacity + 2);
    let seed = 0x9e3779b9;
    for (let n = 0; n <= capacity; n++) {
      // One level up with probability 1/4 each time (xorshift32); the head has them all.
      let h = 1;
      for (;;) {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        if ((seed & 3) !== 0 || h === MAX_LEVEL) break;
        h++;
      }
      this.height[n] = n === capacity ? MAX_LEVEL : h;
      this.offset[n + 1] = this.offset[n]! + this.height[n]!;
    }
    this.next = new Int32Array(this.offset[capacity + 1]!).fill(NONE);
    this.prev = new Int32Array(this.offset[capacity + 1]!).fill(NONE);
    this.keyOf = new Int32Array(capacity + 1).fill(NONE);
    this.nodeOf = new Int32Array(capacity).fill(NONE);
  }

  /** Each key enters once (by insert or replace), so node `key` is free for it. */
  insert(key: number): void {
    const { next, prev, offset, path, keyOf, compare } = this;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      for (
        let n = next[offset[x]! + i]!;
        n !== NONE && compare(keyOf[n]!, key) < 0;
        n = next[offset[x]! + i]!
      )
        x = n;
      path[i] = x;
    }
    const node = key;
    keyOf[node] = key;
    this.nodeOf[key] = node;
    const h = this.height[node]!;
    for (; this.level < h; this.level++) path[this.level] = this.head;
    for (let i = 0; i < h; i++) {
      const before = path[i]!;
      const after = next[offset[before]! + i]!;
      next[offset[node]! + i] = after;
      prev[offset[node]! + i] = before;
      if (after !== NONE) prev[offset[after]! + i] = node;
      next[offset[before]! + i] = node;
    }
  }

  remove(key: number): void {
    const { next, prev, offset } = this;
    const node = this.nodeOf[key]!;
    for (let i = 0; i < this.height[node]!; i++) {
      const before = prev[offset[node]! + i]!;
      const after = next[offset[node]! + i]!;
      next[offset[before]! + i] = after;
      if (after !== NONE) prev[offset[after]! + i] = before;
    }
    this.nodeOf[key] = NONE;
  }

  /** `key` takes the place of `old`, which leaves: the caller knows they sort alike. */
  replace(old: number, key: number): void {
    const node = this.nodeOf[old]!;
    this.keyOf[node] = key;
    this.nodeOf[key] = node;
    this.nodeOf[old] = NONE;
  }

  /** The entry just before key (which must be in the list), or null. */
  before(key: number): number | null {
    const p = this.prev[this.offset[this.nodeOf[key]!]!]!;
    return p === this.head ? null : this.keyOf[p]!;
  }

  after(key: number): number | null {
    const n = this.next[this.offset[this.nodeOf[key]!]!]!;
    return n === NONE ? null : this.keyOf[n]!;
  }
}
