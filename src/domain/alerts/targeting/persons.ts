import { radixSortBy } from './grid.ts';
import { bytesToUuid, compareIds, uuidToBytes } from './ids.ts';

/*
 * The people of the index by slot: their ids (16 bytes each, sorted, so a slot is found by binary
 * search; people added since the last build and ids that are not UUIDs are kept apart as strings),
 * a byte of reachable channels each, and a byte of scratch for queries.
 */

/** channels byte: verified emails (0-7), verified phones (0-7), webhook (0-1). */
export const channelFlags = (email: number, sms: number, webhook: number): number =>
  Math.min(email, 7) | (Math.min(sms, 7) << 3) | (webhook > 0 ? 64 : 0);
export const emailsOf = (f: number): number => f & 7;
export const phonesOf = (f: number): number => (f >> 3) & 7;
export const webhookOf = (f: number): number => (f >> 6) & 1;

export class PersonTable {
  /** Channels of each slot; 0 = not a recipient (unverified, erased, or no trip left). */
  flags: Uint8Array;
  /** Query scratch, all zero between queries. */
  mark: Uint8Array;
  private readonly extra: string[] = [];
  private readonly extraSlots = new Map<string, number>();
  private readonly probe = new Uint8Array(16);

  /**
   * `ids`: 16 bytes per base slot, slots numbered in the order of the people's first trip in the
   * index (so a query's marks fall close together); `byId`: the base slots in id order.
   */
  constructor(
    private readonly ids: Uint8Array,
    readonly baseCount: number,
    readonly byId: Uint32Array,
    flags: Uint8Array,
  ) {
    this.flags = flags;
    this.mark = new Uint8Array(flags.length);
  }

  get count(): number {
    return this.baseCount + this.extra.length;
  }

  slotOf(id: string): number | undefined {
    if (uuidToBytes(id, this.probe, 0)) {
      let a = 0;
      let b = this.baseCount;
      while (a < b) {
        const m = (a + b) >>> 1;
        const s = this.byId[m] as number;
        const d = compareIds(this.ids, 16 * s, this.probe, 0);
        if (d === 0) return s;
        if (d < 0) a = m + 1;
        else b = m;
      }
    }
    return this.extraSlots.get(id);
  }

  idOf(slot: number): string {
    return slot < this.baseCount
      ? bytesToUuid(this.ids, 16 * slot)
      : (this.extra[slot - this.baseCount] as string);
  }

  /** A person not yet in the table (kept as a string until the next build). */
  add(id: string): number {
    const slot = this.count;
    this.extra.push(id);
    this.extraSlots.set(id, slot);
    if (slot >= this.flags.length) {
      const n = Math.max(1024, this.flags.length * 2);
      const f = new Uint8Array(n);
      f.set(this.flags);
      this.flags = f;
      const m = new Uint8Array(n);
      m.set(this.mark);
      this.mark = m;
    }
    return slot;
  }

  bytes(): number {
    return (
      this.ids.byteLength +
      this.byId.byteLength +
      this.flags.byteLength +
      this.mark.byteLength +
      this.extra.length * 120
    );
  }

  /**
   * The table of people given in any order (`ids`: 16 bytes per old slot; `other`: ids that are
   * not UUIDs, by old slot). `order` lists the UUID people's old slots in the order their new
   * slots should follow. Returns each old slot's new slot.
   */
  static build(
    ids: Uint8Array,
    flags: Uint8Array,
    other: ReadonlyMap<number, string>,
    order: Uint32Array,
    count: number,
  ): { table: PersonTable; slotMap: Uint32Array } {
    const n = order.length;
    const slotMap = new Uint32Array(count);
    const newIds = new Uint8Array(16 * n);
    const newFlags = new Uint8Array(Math.max(1024, count));
    for (let k = 0; k < n; k++) {
      const old = order[k] as number;
      slotMap[old] = k;
      newIds.set(ids.subarray(16 * old, 16 * old + 16), 16 * k);
      newFlags[k] = flags[old] as number;
    }
    // By bytes 0-7 with two radix sorts of 32 bits (low word first: the sort is stable), then
    // runs sharing those 8 bytes (UUID v7s of one millisecond) by all 16.
    const view = new DataView(newIds.buffer, newIds.byteOffset, newIds.byteLength);
    const hi = new Uint32Array(n);
    const lo = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      hi[k] = view.getUint32(16 * k);
      lo[k] = view.getUint32(16 * k + 4);
    }
    let byId = radixSortBy(
      Uint32Array.from({ length: n }, (_, k) => k),
      lo,
    );
    byId = radixSortBy(byId, hi);
    for (let i = 0; i < n; ) {
      let j = i + 1;
      const a = byId[i] as number;
      while (j < n && hi[byId[j] as number] === hi[a] && lo[byId[j] as number] === lo[a]) j++;
      if (j - i > 1) {
        const run = Array.from(byId.subarray(i, j)).sort((x, y) =>
          compareIds(newIds, 16 * x, newIds, 16 * y),
        );
        byId.set(run, i);
      }
      i = j;
    }
    const table = new PersonTable(newIds, n, byId, newFlags);
    for (const [old, id] of other) {
      const slot = table.add(id);
      slotMap[old] = slot;
      table.flags[slot] = flags[old] as number;
    }
    return { table, slotMap };
  }
}
