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

  constructor(
    private readonly baseIds: Uint8Array,
    readonly baseCount: number,
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
        const d = compareIds(this.baseIds, 16 * m, this.probe, 0);
        if (d === 0) return m;
        if (d < 0) a = m + 1;
        else b = m;
      }
    }
    return this.extraSlots.get(id);
  }

  idOf(slot: number): string {
    return slot < this.baseCount
      ? bytesToUuid(this.baseIds, 16 * slot)
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
    return this.baseIds.byteLength + this.flags.byteLength + this.mark.byteLength + this.extra.length * 120;
  }

  /**
   * Sorts people given in any order: returns the table and each old slot's new slot. `ids` holds
   * 16 bytes per person; `other` the ids that are not UUIDs (by old slot).
   */
  static build(
    ids: Uint8Array,
    count: number,
    flags: Uint8Array,
    other: ReadonlyMap<number, string>,
  ): { table: PersonTable; slotMap: Uint32Array } {
    const uuids = new Uint32Array(count - other.size);
    let n = 0;
    for (let i = 0; i < count; i++) if (!other.has(i)) uuids[n++] = i;
    // By bytes 0-7 with two radix sorts of 32 bits (low word first: the sort is stable), then
    // runs sharing those 8 bytes (UUID v7s of one millisecond) by all 16.
    const view = new DataView(ids.buffer, ids.byteOffset, ids.byteLength);
    const word = (w: number) => {
      const k = new Uint32Array(count);
      for (let i = 0; i < count; i++) if (!other.has(i)) k[i] = view.getUint32(16 * i + 4 * w);
      return k;
    };
    let order = radixSortBy(uuids, word(1));
    order = radixSortBy(order, word(0));
    const hi = word(0);
    const lo = word(1);
    for (let i = 0; i < order.length; ) {
      let j = i + 1;
      const a = order[i] as number;
      while (j < order.length && hi[order[j] as number] === hi[a] && lo[order[j] as number] === lo[a]) j++;
      if (j - i > 1) {
        const run = Array.from(order.subarray(i, j)).sort((x, y) => compareIds(ids, 16 * x, ids, 16 * y));
        order.set(run, i);
      }
      i = j;
    }
    const slotMap = new Uint32Array(count);
    const baseIds = new Uint8Array(16 * order.length);
    const newFlags = new Uint8Array(Math.max(1024, count));
    order.forEach((old, slot) => {
      slotMap[old] = slot;
      baseIds.set(ids.subarray(16 * old, 16 * old + 16), 16 * slot);
      newFlags[slot] = flags[old] as number;
    });
    const table = new PersonTable(baseIds, order.length, newFlags);
    for (const [old, id] of other) {
      const slot = table.add(id);
      slotMap[old] = slot;
      table.flags[slot] = flags[old] as number;
    }
    return { table, slotMap };
  }
}
