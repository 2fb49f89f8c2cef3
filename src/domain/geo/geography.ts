import { readFileSync } from 'node:fs';
import type * as GeoJSON from 'geojson';
import { type ArcPolygons, decodeGeoData, GEO_DATA_FILE, type GeoData } from './data-file.ts';
import { type CityRecord, clampLimit, Gazetteer, loadCities } from './gazetteer.ts';
import { buildParts, type Part, partsToGeometry, unionBBox } from './polygons.ts';
import { PartIndex } from './spatial-index.ts';
import type {
  AreaGeometry,
  Country,
  CountryFeatureProperties,
  Geography,
  Place,
  PointOptions,
  Region,
  RegionFeatureProperties,
  SearchOptions,
} from './types.ts';

export const DEFAULT_TOLERANCE_KM = 5;

interface RegionEntry {
  region: Region;
  parts: Part[];
}

interface CountryEntry {
  country: Country;
  polygons: ArcPolygons;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en');

class OfflineGeography implements Geography {
  private readonly regionsByCode = new Map<string, RegionEntry>();
  private readonly regionsByCountry = new Map<string, Region[]>();
  private readonly countriesByCode = new Map<string, CountryEntry>();
  private readonly sortedCountries: Country[];
  private readonly index: PartIndex<Region>;
  private gazetteer: Gazetteer | undefined;

  constructor(
    private readonly data: GeoData,
    private readonly cities: () => CityRecord[],
  ) {
    const items: Array<{ part: Part; value: Region }> = [];
    for (const r of data.header.regions) {
      const parts = buildParts(data, r.polygons);
      const bbox = unionBBox(parts.map((p) => p.bbox));
      // Frozen because every caller shares these objects.
      const region = Object.freeze({ code: r.code, country: r.country, name: r.name, type: r.type, bbox });
      this.regionsByCode.set(r.code.toUpperCase(), { region, parts });
      const list = this.regionsByCountry.get(r.country) ?? [];
      list.push(region);
      this.regionsByCountry.set(r.country, list);
      for (const part of parts) items.push({ part, value: region });
    }
    for (const list of this.regionsByCountry.values()) list.sort(byName);
    this.index = new PartIndex(items);

    for (const c of data.header.countries) {
      // Countries are dissolved regions, so their regions' boxes add up to theirs.
      const bbox = unionBBox((this.regionsByCountry.get(c.code) ?? []).map((r) => r.bbox));
      const country = Object.freeze({
        code: c.code,
        alpha3: c.alpha3,
        numeric: c.numeric,
        name: c.name,
        bbox,
      });
      const entry = { country, polygons: c.polygons };
      this.countriesByCode.set(c.code.toUpperCase(), entry);
      this.countriesByCode.set(c.alpha3.toUpperCase(), entry);
    }
    this.sortedCountries = [...new Set([...this.countriesByCode.values()].map((e) => e.country))].sort(
      byName,
    );
  }

  countries(): Country[] {
    return [...this.sortedCountries];
  }

  country(code: string): Country | undefined {
    // A code already in normal form (as nearly every import row gives it) needs no new string.
    const entry = this.countriesByCode.get(code) ?? this.countriesByCode.get(code.trim().toUpperCase());
    return entry?.country;
  }

  countryGeometry(code: string): AreaGeometry | undefined {
    const entry = this.countriesByCode.get(code.trim().toUpperCase());
    return entry && partsToGeometry(buildParts(this.data, entry.polygons));
  }

  regions(country: string): Region[] {
    const code = this.country(country)?.code;
    return code ? [...(this.regionsByCountry.get(code) ?? [])] : [];
  }

  region(code: string): Region | undefined {
    return this.regionsByCode.get(code.trim().toUpperCase())?.region;
  }

  regionGeometry(code: string): AreaGeometry | undefined {
    const entry = this.regionsByCode.get(code.trim().toUpperCase());
    return entry && partsToGeometry(entry.parts);
  }

  countryAt(lat: number, lon: number, opts?: PointOptions): Country | undefined {
    const region = this.regionAt(lat, lon, opts);
    return region && this.country(region.country);
  }

  regionAt(lat: number, lon: number, opts?: PointOptions): Region | undefined {
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return undefined;
    // Containment always wins; the tolerance only rescues points that no
    // polygon contains, so it never moves a point across a land border.
    const hit = this.index.query(lon, lat);
    if (hit) return hit;
    const tolerance = opts?.toleranceKm ?? DEFAULT_TOLERANCE_KM;
    return tolerance > 0 ? this.index.nearest(lon, lat, tolerance) : undefined;
  }

  /**
   * The map's city labels: the most populous cities (at least `minPopulation`), largest first,
   * as [name, country, lat, lon, population] rows (a few hundred; no region lookup needed).
   */
  majorCities(minPopulation: number, limit: number): Array<[string, string, number, number, number]> {
    return this.cities()
      .filter((c) => c.population >= minPopulation)
      .sort((a, b) => b.population - a.population)
      .slice(0, limit)
      .map((c) => [c.name, c.country, c.loc.coordinates[1], c.loc.coordinates[0], c.population]);
  }

  searchPlaces(q: string, opts: SearchOptions = {}): Place[] {
    this.gazetteer ??= new Gazetteer(this.cities());
    const country = opts.country
      ? (this.country(opts.country)?.code ?? opts.country.trim().toUpperCase())
      : undefined;
    return this.gazetteer.search(q, country, clampLimit(opts.limit), (city) => {
      const [lon, lat] = city.loc.coordinates;
      const region = this.regionAt(lat, lon);
      // A border town whose point lands across the (simplified) border would
      // otherwise get a region of another country than GeoNames says.
      return region && region.country === city.country ? region.code : null;
    });
  }

  countriesGeoJSON(): GeoJSON.FeatureCollection<AreaGeometry, CountryFeatureProperties> {
    return {
      type: 'FeatureCollection',
      features: this.sortedCountries.map((c) => ({
        type: 'Feature',
        id: c.code,
        properties: { code: c.code, alpha3: c.alpha3, name: c.name },
        geometry: this.countryGeometry(c.code) as AreaGeometry,
      })),
    };
  }

  regionsGeoJSON(country?: string): GeoJSON.FeatureCollection<AreaGeometry, RegionFeatureProperties> {
    const regions =
      country === undefined ? [...this.regionsByCode.values()].map((e) => e.region) : this.regions(country);
    return {
      type: 'FeatureCollection',
      features: regions.map((r) => ({
        type: 'Feature',
        id: r.code,
        properties: { code: r.code, country: r.country, name: r.name, type: r.type },
        geometry: this.regionGeometry(r.code) as AreaGeometry,
      })),
    };
  }
}

/** Builds a Geography from a data file; loadGeography() is the shared instance. */
export function openGeography(
  file: string = GEO_DATA_FILE,
  cities: () => CityRecord[] = loadCities,
): Geography {
  return new OfflineGeography(decodeGeoData(readFileSync(file)), cities);
}

let shared: Geography | undefined;

/** The process-wide Geography, read from assets/geo on first call. */
export function loadGeography(): Geography {
  shared ??= openGeography();
  return shared;
}
