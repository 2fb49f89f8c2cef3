import { distanceKm } from '../../incidents/near.ts';
import {
  APPROXIMATE,
  COUNTRY_ONLY,
  EXACT,
  inCircle,
  inRing,
  inShapes,
  nearRing,
  nearShapes,
  type PreparedArea,
} from './area.ts';
import { Codes, DEAD, OPEN_END, PRECISION_MASK, TripColumns } from './columns.ts';
import { CELL_DIAGONAL_KM, COLS, colWest, keyOf, lowerBound, radixSortBy, rowSouth } from './grid.ts';
import { uuidToBytes } from './ids.ts';
import { emailsOf, PersonTable, phonesOf, webhookOf } from './persons.ts';
import { capBox, RingRows, ringBoxRows, subtract } from './ranges.ts';

/*
 * The in-memory targeting index (docs/alert-targeting.md). Trips live in a sorted base (exact
 * points by grid cell, then places by cell, then country-only trips by country) and a small
 * unsorted delta of trips added since; removed trips are flagged, and the base is rebuilt when
 * the delta grows. A query marks each matching person once with the best precision it matched
 * by; every candidate that is not in a cell wholly inside the shape gets the exact test of
 * tripMatches (area.ts), so the answer is the brute-force answer.
 */

export interface TripInput {
  readonly precision: number;
  readonly country: string;
  readonly region: string | null;
  /** NaN for a country-only trip. */
  readonly lat: number;
  readonly lon: number;
  /** Day numbers (days since 1970-01-01); `to` = OPEN_END for an open-ended trip. */
  readonly from: number;
  readonly to: number;
}

/** A person's state now: null flags = no longer a recipient (unverified, erased). */
export interface PersonChange {
  readonly id: string;
  readonly flags: number | null;
  readonly trips: readonly TripInput[];
}

export interface IndexReach {
  readonly exact: number;
  readonly approximate: number;
  readonly countryOnly: number;
  readonly email: { people: number; contacts: number };
  readonly sms: { people: number; contacts: number };
  readonly webhook: { people: number; contacts: number };
}

export interface IndexStats {
  readonly trips: number;
  readonly deltaTrips: number;
  readonly persons: number;
  readonly bytes: number;
}

export class TargetingIndexBuilder {
  private ids = new Uint8Array(16 * 1024);
  private flags = new Uint8Array(1024);
  private readonly other = new Map<number, string>();
  private count = 0;
  readonly trips: TripColumns;
  readonly countries: Codes;
  readonly regions: Codes;

  constructor(expectedTrips = 1024, codes?: { countries: Codes; regions: Codes }) {
    this.trips = new TripColumns(expectedTrips);
    this.countries = codes?.countries ?? new Codes();
    this.regions = codes?.regions ?? new Codes();
  }

  addPerson(id: string, flags: number): number {
    const slot = this.count++;
    if (slot >= this.flags.length) {
      const f = new Uint8Array(this.flags.length * 2);
      f.set(this.flags);
      this.flags = f;
      const b = new Uint8Array(this.ids.length * 2);
      b.set(this.ids);
      this.ids = b;
    }
    this.flags[slot] = flags;
    if (!uuidToBytes(id, this.ids, 16 * slot)) this.other.set(slot, id);
    return slot;
  }

  addTrip(slot: number, t: TripInput): void {
    this.addCoded(
      slot,
      t.precision,
      this.countries.code(t.country),
      this.regions.code(t.region),
      t.lat,
      t.lon,
      t.from,
      t.to,
    );
  }

  /** addTrip with country and region already coded (this builder's `countries`/`regions`). */
  addCoded(
    slot: number,
    precision: number,
    country: number,
    region: number,
    lat: number,
    lon: number,
    from: number,
    to: number,
  ): void {
    this.trips.push(slot, precision, country, region, lat, lon, from, to);
  }

  build(): TargetingIndex {
    const { table, slotMap } = PersonTable.build(this.ids, this.count, this.flags, this.other);
    const t = this.trips;
    const runs: Uint32Array[] = [];
    for (const p of [EXACT, APPROXIMATE, COUNTRY_ONLY]) {
      let n = 0;
      for (let i = 0; i < t.length; i++) if ((t.kind[i] as number) === p) n++;
      const order = new Uint32Array(n);
      n = 0;
      for (let i = 0; i < t.length; i++) if ((t.kind[i] as number) === p) order[n++] = i;
      const keys = new Uint32Array(t.length);
      if (p === COUNTRY_ONLY) {
        for (const i of order) keys[i] = t.country[i] as number;
        runs.push(radixSortBy(order, keys));
        continue;
      }
      // Places: one coordinate (a centroid) is shared by many trips; sorting by a hash of it
      // first keeps them together within their cell, so a query tests each centroid once.
      let sorted: Uint32Array = order;
      if (p === APPROXIMATE) {
        const f = new Float64Array(2);
        const w = new Uint32Array(f.buffer);
        for (const i of order) {
          f[0] = t.lat[i] as number;
          f[1] = t.lon[i] as number;
          keys[i] =
            (Math.imul((w[0] as number) ^ (w[1] as number), 0x9e3779b1) ^
              (w[2] as number) ^
              (w[3] as number)) >>>
            0;
        }
        sorted = radixSortBy(sorted, keys);
      }
      for (const i of order) keys[i] = keyOf(t.lat[i] as number, t.lon[i] as number);
      runs.push(radixSortBy(sorted, keys));
    }
    const all = new Uint32Array(t.length);
    let o = 0;
    for (const r of runs as Uint32Array[]) {
      all.set(r, o);
      o += r.length;
    }
    const base = t.permute(all);
    for (let i = 0; i < base.length; i++) base.person[i] = slotMap[base.person[i] as number] as number;
    return new TargetingIndex(
      table,
      base,
      runs[0]?.length ?? 0,
      runs[1]?.length ?? 0,
      this.countries,
      this.regions,
    );
  }
}

export class TargetingIndex {
  private delta = new TripColumns(1024);
  private touched = new Uint32Array(1024);
  private nTouched = 0;
  /** Delta size that triggers a rebuild of the base. */
  readonly compactAt: number;

  constructor(
    private persons: PersonTable,
    private base: TripColumns,
    private nPoints: number,
    private nPlaces: number,
    private readonly countries: Codes,
    private readonly regions: Codes,
  ) {
    this.compactAt = Math.max(50_000, Math.floor(base.length / 50));
  }

  stats(): IndexStats {
    return {
      trips: this.base.length + this.delta.length,
      deltaTrips: this.delta.length,
      persons: this.persons.count,
      bytes:
        (this.base.capacity + this.delta.capacity) * TripColumns.BYTES_PER_TRIP +
        this.persons.bytes() +
        this.touched.byteLength,
    };
  }

  // ---- queries ------------------------------------------------------------------------------

  reach(area: PreparedArea, firstDay: number, lastDay: number): IndexReach {
    this.collect(area, firstDay, lastDay);
    const counts = new Float64Array(3);
    const ch = new Float64Array(6);
    const { mark, flags } = this.persons;
    for (let j = 0; j < this.nTouched; j++) {
      const p = this.touched[j] as number;
      const m = (mark[p] as number) - 1;
      counts[m] = (counts[m] as number) + 1;
      mark[p] = 0;
      const f = flags[p] as number;
      const e = emailsOf(f);
      const s = phonesOf(f);
      const w = webhookOf(f);
      ch[0] = (ch[0] as number) + (e > 0 ? 1 : 0);
      ch[1] = (ch[1] as number) + e;
      ch[2] = (ch[2] as number) + (s > 0 ? 1 : 0);
      ch[3] = (ch[3] as number) + s;
      ch[4] = (ch[4] as number) + w;
      ch[5] = (ch[5] as number) + w;
    }
    this.nTouched = 0;
    return {
      exact: counts[0] as number,
      approximate: counts[1] as number,
      countryOnly: counts[2] as number,
      email: { people: ch[0] as number, contacts: ch[1] as number },
      sms: { people: ch[2] as number, contacts: ch[3] as number },
      webhook: { people: ch[4] as number, contacts: ch[5] as number },
    };
  }

  /** Matching people with their precision code, in id order. */
  recipients(
    area: PreparedArea,
    firstDay: number,
    lastDay: number,
  ): { ids: string[]; precision: Uint8Array } {
    this.collect(area, firstDay, lastDay);
    const slots = this.touched.slice(0, this.nTouched).sort();
    this.nTouched = 0;
    const { mark } = this.persons;
    const base = this.persons.baseCount;
    // Base slots are in id order; later people are merged in by their strings.
    let split = slots.length;
    while (split > 0 && (slots[split - 1] as number) >= base) split--;
    const later = Array.from(slots.subarray(split), (s) => ({ s, id: this.persons.idOf(s) })).sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    const ids: string[] = new Array(slots.length);
    const precision = new Uint8Array(slots.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < slots.length; k++) {
      let s: number;
      let id: string;
      const a = i < split ? this.persons.idOf(slots[i] as number) : undefined;
      const b = later[j];
      if (a !== undefined && (b === undefined || a < b.id)) {
        s = slots[i++] as number;
        id = a;
      } else {
        s = (b as { s: number }).s;
        id = (b as { id: string }).id;
        j++;
      }
      ids[k] = id;
      precision[k] = (mark[s] as number) - 1;
      mark[s] = 0;
    }
    return { ids, precision };
  }

  private take(p: number, precision: number): void {
    const mark = this.persons.mark;
    const m = mark[p] as number;
    if (m === 0) {
      if (this.nTouched === this.touched.length) {
        const t = new Uint32Array(this.touched.length * 2);
        t.set(this.touched);
        this.touched = t;
      }
      this.touched[this.nTouched++] = p;
      mark[p] = precision + 1;
    } else if (precision + 1 < m) mark[p] = precision + 1;
  }

  private collect(a: PreparedArea, first: number, last: number): void {
    this.nTouched = 0;
    this.first = first;
    this.last = last;
    const b = this.base;
    const live = (c: TripColumns, i: number): boolean =>
      (c.kind[i] as number) < DEAD && (c.from[i] as number) <= last && (c.to[i] as number) >= first;
    const points: [number, number] = [0, this.nPoints];
    const places: [number, number] = [this.nPoints, this.nPoints + this.nPlaces];

    // Listed countries and regions: one pass over the coded columns.
    if (a.countries.size + a.regions.size > 0) {
      const ct = this.countries.table(a.countries);
      const rt = this.regions.table(a.regions);
      for (let i = 0; i < places[1]; i++) {
        if ((ct[b.country[i] as number] as number) | (rt[b.region[i] as number] as number) && live(b, i)) {
          this.take(b.person[i] as number, b.kind[i] as number);
        }
      }
    }

    // Country-only trips: the runs of covered (and, when asked, touched) countries.
    const wanted = new Set(a.coveredCountries);
    if (a.includeUnknownLocation) for (const c of a.touchedCountries) wanted.add(c);
    for (const name of wanted) {
      const code = this.countries.find(name);
      if (code === undefined) continue;
      let lo = places[1];
      let hi = b.length;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if ((b.country[m] as number) < code) lo = m + 1;
        else hi = m;
      }
      for (let i = lo; i < b.length && b.country[i] === code; i++) {
        if (live(b, i)) this.take(b.person[i] as number, COUNTRY_ONLY);
      }
    }

    const km = a.placeToleranceKm;
    for (const ring of a.rings) {
      const rows = new RingRows(ring);
      const box = ringBoxRows(ring, km);
      for (let row = Math.min(rows.row0, box.row0); row <= Math.max(rows.row1, box.row1); row++) {
        const { accept, test } = rows.ranges(row);
        this.scan(row, accept, points, (i) => live(b, i));
        this.scan(
          row,
          test,
          points,
          (i) => live(b, i) && inRing(ring, b.lon[i] as number, b.lat[i] as number),
        );
        this.scan(row, accept, places, (i) => live(b, i));
        if (row >= box.row0 && row <= box.row1) {
          this.scanPlaces(row, subtract(box.cols, accept), places, (lat, lon) =>
            nearRing(ring, km, lat, lon),
          );
        }
      }
    }

    for (const c of a.circles) {
      for (const [run, extra] of [
        [points, 0],
        [places, km],
      ] as const) {
        const box = capBox(c.lat, c.lon, c.radiusKm + extra);
        for (let row = box.row0; row <= box.row1; row++) {
          for (let k = 0; k < box.cols.length; k += 2) {
            const c0 = box.cols[k] as number;
            const c1 = box.cols[k + 1] as number;
            const lo = lowerBound(b.lat, b.lon, run[0], run[1], row * COLS + c0);
            const hi = lowerBound(b.lat, b.lon, lo, run[1], row * COLS + c1 + 1);
            let cell = -1;
            let whole = false;
            for (let i = lo; i < hi; i++) {
              if (!live(b, i)) continue;
              const lat = b.lat[i] as number;
              const lon = b.lon[i] as number;
              const key = keyOf(lat, lon);
              if (key !== cell) {
                cell = key;
                const south = rowSouth(row);
                const west = colWest(key - row * COLS);
                whole = distanceKm(c.lat, c.lon, south, west) + CELL_DIAGONAL_KM < c.radiusKm + extra - 1e-6;
              }
              if (whole || inCircle(c, lat, lon, extra))
                this.take(b.person[i] as number, b.kind[i] as number);
            }
          }
        }
      }
    }

    this.scanDelta(a, first, last);
  }

  /** Runs `test` on the trips of `run` in the column ranges of a row; takes those it accepts. */
  private scan(
    row: number,
    ranges: readonly number[],
    run: readonly [number, number],
    ok: (i: number) => boolean,
  ) {
    const b = this.base;
    for (let k = 0; k < ranges.length; k += 2) {
      const lo = lowerBound(b.lat, b.lon, run[0], run[1], row * COLS + (ranges[k] as number));
      const hi = lowerBound(b.lat, b.lon, lo, run[1], row * COLS + (ranges[k + 1] as number) + 1);
      for (let i = lo; i < hi; i++) if (ok(i)) this.take(b.person[i] as number, b.kind[i] as number);
    }
  }

  /** scan() for places, testing each distinct centroid once (they are sorted together). */
  private scanPlaces(
    row: number,
    ranges: readonly number[],
    run: readonly [number, number],
    near: (lat: number, lon: number) => boolean,
  ) {
    const b = this.base;
    let lastLat = Number.NaN;
    let lastLon = Number.NaN;
    let lastHit = false;
    this.scan(row, ranges, run, (i) => {
      if ((b.kind[i] as number) >= DEAD) return false;
      const lat = b.lat[i] as number;
      const lon = b.lon[i] as number;
      if (lat !== lastLat || lon !== lastLon) {
        lastLat = lat;
        lastLon = lon;
        lastHit = near(lat, lon);
      }
      return lastHit && this.inWindow(i);
    });
  }

  private first = 0;
  private last = 0;
  private inWindow(i: number): boolean {
    const b = this.base;
    return (b.from[i] as number) <= this.last && (b.to[i] as number) >= this.first;
  }

  private scanDelta(a: PreparedArea, first: number, last: number): void {
    const d = this.delta;
    if (d.length === 0) return;
    const ct = this.countries.table(a.countries);
    const rt = this.regions.table(a.regions);
    const covered = this.countries.table(a.coveredCountries);
    const touched = this.countries.table(a.includeUnknownLocation ? a.touchedCountries : []);
    for (let i = 0; i < d.length; i++) {
      const kind = d.kind[i] as number;
      if (kind >= DEAD || (d.from[i] as number) > last || (d.to[i] as number) < first) continue;
      const country = d.country[i] as number;
      let hit: boolean;
      if (kind === COUNTRY_ONLY) hit = covered[country] === 1 || touched[country] === 1;
      else if (ct[country] === 1 || rt[d.region[i] as number] === 1) hit = true;
      else {
        const lat = d.lat[i] as number;
        const lon = d.lon[i] as number;
        hit = kind === EXACT ? inShapes(a, lat, lon) : nearShapes(a, lat, lon);
      }
      if (hit) this.take(d.person[i] as number, kind);
    }
  }

  // ---- changes ------------------------------------------------------------------------------

  /**
   * Replaces what the index knows of these people by their state now (trips and channels read
   * from the store after the change). Rebuilds the base when the delta has grown past compactAt.
   */
  apply(all: readonly PersonChange[]): void {
    // The last word on each person wins.
    const changes = [...new Map(all.map((c) => [c.id, c])).values()];
    const { mark } = this.persons;
    let known = 0;
    for (const ch of changes) {
      const slot = this.persons.slotOf(ch.id);
      if (slot !== undefined) {
        mark[slot] = 0xff;
        known++;
      }
    }
    if (known > 0) {
      for (const c of [this.base, this.delta]) {
        for (let i = 0; i < c.length; i++)
          if (mark[c.person[i] as number] === 0xff) c.kind[i] = (c.kind[i] as number) | DEAD;
      }
      for (const ch of changes) {
        const slot = this.persons.slotOf(ch.id);
        if (slot !== undefined) mark[slot] = 0;
      }
    }
    for (const ch of changes) {
      let slot = this.persons.slotOf(ch.id);
      if (ch.flags === null || ch.trips.length === 0) {
        if (slot !== undefined) this.persons.flags[slot] = 0;
        continue;
      }
      slot ??= this.persons.add(ch.id);
      this.persons.flags[slot] = ch.flags;
      for (const t of ch.trips) {
        this.delta.push(
          slot,
          t.precision & PRECISION_MASK,
          this.countries.code(t.country),
          this.regions.code(t.region),
          t.lat,
          t.lon,
          t.from,
          t.to,
        );
      }
    }
    if (this.delta.length >= this.compactAt) this.compact();
  }

  /** Rebuilds the base from the live trips of base and delta (drops removed trips and people). */
  compact(): void {
    const builder = new TargetingIndexBuilder(this.base.length + this.delta.length, {
      countries: this.countries,
      regions: this.regions,
    });
    const slots = new Int32Array(this.persons.count).fill(-1);
    for (const c of [this.base, this.delta]) {
      for (let i = 0; i < c.length; i++) {
        const kind = c.kind[i] as number;
        if (kind >= DEAD) continue;
        const p = c.person[i] as number;
        const flags = this.persons.flags[p] as number;
        if (flags === 0) continue;
        let s = slots[p] as number;
        if (s < 0) {
          s = builder.addPerson(this.persons.idOf(p), flags);
          slots[p] = s;
        }
        builder.addCoded(
          s,
          kind,
          c.country[i] as number,
          c.region[i] as number,
          c.lat[i] as number,
          c.lon[i] as number,
          c.from[i] as number,
          c.to[i] as number,
        );
      }
    }
    const next = builder.build();
    this.persons = next.persons;
    this.base = next.base;
    this.nPoints = next.nPoints;
    this.nPlaces = next.nPlaces;
    this.delta = new TripColumns(1024);
  }
}

export { OPEN_END };
