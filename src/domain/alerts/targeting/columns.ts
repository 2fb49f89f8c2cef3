/*
 * Trips as columns of typed arrays: 29 bytes a trip (coordinates as float64, so the index tests
 * the very numbers the store holds; day numbers as uint16; codes of countries and regions).
 */

/** `kind` bits: the precision code (0 exact, 1 approximate, 2 country), and a removed trip. */
export const DEAD = 0x80;
export const PRECISION_MASK = 0x03;
/** Departure day of an open-ended trip (one-way, resident). */
export const OPEN_END = 0xffff;

export class TripColumns {
  lat: Float64Array;
  lon: Float64Array;
  person: Uint32Array;
  from: Uint16Array;
  to: Uint16Array;
  country: Uint16Array;
  region: Uint16Array;
  kind: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.lat = new Float64Array(capacity);
    this.lon = new Float64Array(capacity);
    this.person = new Uint32Array(capacity);
    this.from = new Uint16Array(capacity);
    this.to = new Uint16Array(capacity);
    this.country = new Uint16Array(capacity);
    this.region = new Uint16Array(capacity);
    this.kind = new Uint8Array(capacity);
  }

  get capacity(): number {
    return this.lat.length;
  }

  static readonly BYTES_PER_TRIP = 8 + 8 + 4 + 2 + 2 + 2 + 2 + 1;

  push(
    person: number,
    precision: number,
    country: number,
    region: number,
    lat: number,
    lon: number,
    from: number,
    to: number,
  ): void {
    if (this.length === this.capacity) this.grow(Math.max(1024, this.capacity * 2));
    const i = this.length++;
    this.person[i] = person;
    this.kind[i] = precision;
    this.country[i] = country;
    this.region[i] = region;
    this.lat[i] = lat;
    this.lon[i] = lon;
    this.from[i] = from;
    this.to[i] = to;
  }

  grow(capacity: number): void {
    const copy = <T extends { length: number; set(a: T): void }>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.lat = copy(this.lat, (n) => new Float64Array(n));
    this.lon = copy(this.lon, (n) => new Float64Array(n));
    this.person = copy(this.person, (n) => new Uint32Array(n));
    this.from = copy(this.from, (n) => new Uint16Array(n));
    this.to = copy(this.to, (n) => new Uint16Array(n));
    this.country = copy(this.country, (n) => new Uint16Array(n));
    this.region = copy(this.region, (n) => new Uint16Array(n));
    this.kind = copy(this.kind, (n) => new Uint8Array(n));
  }

  /** A new set of columns holding rows `order` of this one, exactly sized. */
  permute(order: Uint32Array): TripColumns {
    const out = new TripColumns(order.length);
    for (let j = 0; j < order.length; j++) {
      const i = order[j] as number;
      out.lat[j] = this.lat[i] as number;
      out.lon[j] = this.lon[i] as number;
      out.person[j] = this.person[i] as number;
      out.from[j] = this.from[i] as number;
      out.to[j] = this.to[i] as number;
      out.country[j] = this.country[i] as number;
      out.region[j] = this.region[i] as number;
      out.kind[j] = this.kind[i] as number;
    }
    out.length = order.length;
    return out;
  }
}

/** Strings <-> small numbers (country and region codes); 0 is "none". */
export class Codes {
  private readonly byCode = new Map<string, number>();
  readonly names: string[] = [''];

  code(name: string | null): number {
    if (name === null) return 0;
    let c = this.byCode.get(name);
    if (c === undefined) {
      c = this.names.length;
      if (c > 0xffff) throw new Error('More than 65,535 distinct codes.');
      this.names.push(name);
      this.byCode.set(name, c);
    }
    return c;
  }

  find(name: string): number | undefined {
    return this.byCode.get(name);
  }

  /** A lookup table over codes: 1 for each name given that has a code. */
  table(names: Iterable<string>): Uint8Array {
    const t = new Uint8Array(this.names.length + 1);
    for (const n of names) {
      const c = this.byCode.get(n);
      if (c !== undefined) t[c] = 1;
    }
    return t;
  }
}
