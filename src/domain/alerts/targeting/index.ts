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
  type Ring,
} from './area.ts';
import { Codes, DEAD, OPEN_END, PRECISION_MASK, TripColumns } from './columns.ts';
import { CELL_DIAGONAL_KM, COLS, colWest, keyOf, lowerBound, radixSortBy, rowOf, rowSouth } from './grid.ts';
import { uuidToBytes } from './ids.ts';
import { emailsOf, PersonTable, phonesOf, webhookOf } from './persons.ts';
import { capBox, lonRanges, RingRows, ringBoxRows, subtract } from './ranges.ts';

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

  /** addPerson with the id as 16 bytes (a UUID's), as bulk loaders have it. */
  addPersonBytes(id: Uint8Array, at: number, flags: number): number {
    const slot = this.addPerson('', flags);
    this.other.delete(slot);
    this.ids.set(id.subarray(at, at + 16), 16 * slot);
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
    // People numbered in the order of their first trip here: a query's marks land close together.
    const seen = new Uint8Array(this.count);
    const order = new Uint32Array(this.count - this.other.size);
    let n = 0;
    const skip = this.other.size > 0;
    for (let i = 0; i < base.length; i++) {
      const p = base.person[i] as number;
      if (seen[p] === 0 && !(skip && this.other.has(p))) {
        seen[p] = 1;
        order[n++] = p;
      }
    }
    for (let p = 0; p < this.count; p++) if (seen[p] === 0 && !(skip && this.other.has(p))) order[n++] = p;
    const { table, slotMap } = PersonTable.build(this.ids, this.flags, this.other, order, this.count);
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

const ACCEPT = 0;
const IN_RING = 1;
const CODE = 2;
const NEAR_RING = 3;

export class TargetingIndex {
  private delta = new TripColumns(1024);
  private touched = new Uint32Array(1024);
  private nTouched = 0;
  /** Delta size that triggers a rebuild of the base. */
  readonly compactAt: number;
  /** Where the base's points and places of each country and region lie: [s, n, w, e]. */
  private countryBoxes: Map<number, number[]>;
  private regionBoxes: Map<number, number[]>;

  constructor(
    private persons: PersonTable,
    private base: TripColumns,
    private nPoints: number,
    private nPlaces: number,
    private readonly countries: Codes,
    private readonly regions: Codes,
  ) {
    this.compactAt = Math.max(50_000, Math.floor(base.length / 50));
    this.countryBoxes = codeBoxes(base, nPoints + nPlaces, base.country);
    this.regionBoxes = codeBoxes(base, nPoints + nPlaces, base.region);
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
    const n = this.nTouched;
    this.nTouched = 0;
    const { mark, byId, baseCount } = this.persons;
    // Base people in id order (a walk of the id order); later people sorted by their strings.
    const later: Array<{ s: number; id: string }> = [];
    for (let j = 0; j < n; j++) {
      const s = this.touched[j] as number;
      if (s >= baseCount) later.push({ s, id: this.persons.idOf(s) });
    }
    later.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const ids: string[] = new Array(n);
    const precision = new Uint8Array(n);
    let k = 0;
    let j = 0;
    const put = (s: number, id: string) => {
      ids[k] = id;
      precision[k++] = (mark[s] as number) - 1;
      mark[s] = 0;
    };
    if (n > later.length) {
      for (let i = 0; i < baseCount; i++) {
        const s = byId[i] as number;
        if (mark[s] === 0) continue;
        const id = this.persons.idOf(s);
        while (j < later.length && (later[j] as { id: string }).id < id) {
          const l = later[j++] as { s: number; id: string };
          put(l.s, l.id);
        }
        put(s, id);
      }
    }
    while (j < later.length) {
      const l = later[j++] as { s: number; id: string };
      put(l.s, l.id);
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
    this.km = a.placeToleranceKm;
    const b = this.base;
    const live = (c: TripColumns, i: number): boolean =>
      (c.kind[i] as number) < DEAD && (c.from[i] as number) <= last && (c.to[i] as number) >= first;
    const points: [number, number] = [0, this.nPoints];
    const places: [number, number] = [this.nPoints, this.nPoints + this.nPlaces];

    // Listed countries and regions: the rows and columns where their trips lie.
    for (const [names, codes, boxes, column] of [
      [a.countries, this.countries, this.countryBoxes, b.country],
      [a.regions, this.regions, this.regionBoxes, b.region],
    ] as const) {
      for (const name of names) {
        const code = codes.find(name);
        const box = code === undefined ? undefined : boxes.get(code);
        if (!box) continue;
        const [south, north, west, east] = box as [number, number, number, number];
        const cols = lonRanges(west, east);
        for (let row = rowOf(south); row <= rowOf(north); row++) {
          for (const run of [points, places]) {
            this.scan(row, cols, run, CODE, undefined, column, code as number);
          }
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
        this.scan(row, accept, points, ACCEPT);
        this.scan(row, test, points, IN_RING, ring);
        this.scan(row, accept, places, ACCEPT);
        if (row >= box.row0 && row <= box.row1) {
          this.scan(row, subtract(box.cols, accept), places, NEAR_RING, ring);
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

  /**
   * Takes the live trips of `run` in the column ranges of a row that pass the mode's test: all
   * (ACCEPT), in the ring, near the ring (places: each distinct centroid tested once, they are
   * sorted together), or of the code. One loop per mode: no call per trip but take().
   */
  private scan(
    row: number,
    ranges: readonly number[],
    run: readonly [number, number],
    mode: number,
    ring?: Ring,
    column?: Uint16Array,
    code = 0,
  ): void {
    const b = this.base;
    const { lat, lon, kind, from, to, person } = b;
    const first = this.first;
    const last = this.last;
    const km = this.km;
    for (let k = 0; k < ranges.length; k += 2) {
      const lo = lowerBound(lat, lon, run[0], run[1], row * COLS + (ranges[k] as number));
      const hi = lowerBound(lat, lon, lo, run[1], row * COLS + (ranges[k + 1] as number) + 1);
      if (mode === ACCEPT) {
        for (let i = lo; i < hi; i++) {
          const kd = kind[i] as number;
          if (kd < DEAD && (from[i] as number) <= last && (to[i] as number) >= first)
            this.take(person[i] as number, kd);
        }
      } else if (mode === IN_RING) {
        const r = ring as Ring;
        for (let i = lo; i < hi; i++) {
          const kd = kind[i] as number;
          if (
            kd < DEAD &&
            (from[i] as number) <= last &&
            (to[i] as number) >= first &&
            inRing(r, lon[i] as number, lat[i] as number)
          ) {
            this.take(person[i] as number, kd);
          }
        }
      } else if (mode === CODE) {
        const col = column as Uint16Array;
        for (let i = lo; i < hi; i++) {
          const kd = kind[i] as number;
          if (col[i] === code && kd < DEAD && (from[i] as number) <= last && (to[i] as number) >= first) {
            this.take(person[i] as number, kd);
          }
        }
      } else {
        const r = ring as Ring;
        let lastLat = Number.NaN;
        let lastLon = Number.NaN;
        let hit = false;
        for (let i = lo; i < hi; i++) {
          const kd = kind[i] as number;
          if (kd >= DEAD || (from[i] as number) > last || (to[i] as number) < first) continue;
          const y = lat[i] as number;
          const x = lon[i] as number;
          if (y !== lastLat || x !== lastLon) {
            lastLat = y;
            lastLon = x;
            hit = nearRing(r, km, y, x);
          }
          if (hit) this.take(person[i] as number, kd);
        }
      }
    }
  }

  private first = 0;
  private last = 0;
  private km = 0;

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
    this.countryBoxes = next.countryBoxes;
    this.regionBoxes = next.regionBoxes;
    this.delta = new TripColumns(1024);
  }
}

export { OPEN_END };

/**
 * The box of the first `n` trips of each code, [south, north, west, east], east past 180 when
 * the trips sit on both sides of the antimeridian and the box is narrower that way round.
 */
function codeBoxes(c: TripColumns, n: number, codes: Uint16Array): Map<number, number[]> {
  // Per code: min lat, max lat, min/max lon in -180..180, min/max lon in 0..360.
  const acc = new Map<number, Float64Array>();
  for (let i = 0; i < n; i++) {
    const code = codes[i] as number;
    if (code === 0) continue;
    let b = acc.get(code);
    if (!b) {
      b = new Float64Array([90, -90, 180, -180, 360, -1]);
      acc.set(code, b);
    }
    const lat = c.lat[i] as number;
    const lon = c.lon[i] as number;
    const lon360 = lon < 0 ? lon + 360 : lon;
    if (lat < (b[0] as number)) b[0] = lat;
    if (lat > (b[1] as number)) b[1] = lat;
    if (lon < (b[2] as number)) b[2] = lon;
    if (lon > (b[3] as number)) b[3] = lon;
    if (lon360 < (b[4] as number)) b[4] = lon360;
    if (lon360 > (b[5] as number)) b[5] = lon360;
  }
  const out = new Map<number, number[]>();
  for (const [code, b] of acc) {
    const [s, n2, w, e, w2, e2] = b as unknown as [number, number, number, number, number, number];
    out.set(
      code,
      e - w <= e2 - w2 ? [s, n2, w, e] : w2 >= 180 ? [s, n2, w2 - 360, e2 - 360] : [s, n2, w2, e2],
    );
  }
  return out;
}
