import type * as GeoJSON from 'geojson';

/** [minLon, minLat, maxLon, maxLat]. Shapes crossing the antimeridian span -180..180. */
export type BBox = [number, number, number, number];

export type AreaGeometry = GeoJSON.Polygon | GeoJSON.MultiPolygon;

export interface Country {
  /** ISO 3166-1 alpha-2, upper case. Kosovo uses the user-assigned XK. */
  code: string;
  /** ISO 3166-1 alpha-3 (XKX for Kosovo). */
  alpha3: string;
  /** ISO 3166-1 numeric, zero-padded; '' where none exists (Kosovo). */
  numeric: string;
  name: string;
  bbox: BBox;
}

export interface Region {
  /**
   * ISO 3166-2 code, e.g. 'IQ-BA'. Units ISO does not code (Hong Kong districts,
   * Northern Cyprus, Somaliland...) get stable placeholders of the form
   * CC-X<digits>, e.g. 'HK-X01', 'CY-X01'; no ISO code has that form.
   * Territories with their own alpha-2 keep their parent's ISO code:
   * 'US-PR' (country 'PR'), 'FR-RE' ('RE'), 'NO-21' ('SJ').
   */
  code: string;
  /** ISO 3166-1 alpha-2 of the country the region is listed under. */
  country: string;
  name: string;
  /** English type such as 'Governorate' or 'Province'; null when unknown. */
  type: string | null;
  bbox: BBox;
}

/** What the boundary layers (/api/geo/countries.geojson, regions.geojson) carry per feature. */
export type CountryFeatureProperties = Pick<Country, 'code' | 'alpha3' | 'name'>;
export type RegionFeatureProperties = Pick<Region, 'code' | 'country' | 'name' | 'type'>;

export interface Place {
  /** GeoNames id. */
  id: number;
  name: string;
  /** ISO 3166-1 alpha-2 as recorded by GeoNames. */
  country: string;
  /** ISO 3166-2 code of the region containing the place, when resolvable. */
  region: string | null;
  lat: number;
  lon: number;
  population: number;
}

export interface PointOptions {
  /**
   * When no region contains the point, accept the nearest one within this many
   * km (default 5; 0 = strict). Natural Earth's 1:10m coast leaves ~1.7% of
   * GeoNames cities (Mombasa, Xiamen, Guayaquil...) just offshore, and 5 km
   * stays well inside the 22 km territorial sea.
   */
  toleranceKm?: number;
}

export interface SearchOptions {
  /** Alpha-2 or alpha-3 country code. */
  country?: string;
  /** Default 10, capped at 50. */
  limit?: number;
}

/**
 * Offline reference geography. Returned objects and GeoJSON are shared: treat
 * them as read-only.
 */
export interface Geography {
  /** Sorted by name. */
  countries(): Country[];
  /** Alpha-2 or alpha-3, case-insensitive. */
  country(code: string): Country | undefined;
  countryGeometry(code: string): AreaGeometry | undefined;
  /** Sorted by name. */
  regions(country: string): Region[];
  /** Case-insensitive. */
  region(code: string): Region | undefined;
  regionGeometry(code: string): AreaGeometry | undefined;
  /** undefined at sea (beyond the coastal tolerance) or outside every known territory. */
  countryAt(lat: number, lon: number, opts?: PointOptions): Country | undefined;
  regionAt(lat: number, lon: number, opts?: PointOptions): Region | undefined;
  /** Accent- and case-insensitive prefix/word match over GeoNames places. */
  searchPlaces(q: string, opts?: SearchOptions): Place[];
  /** The most populous cities, largest first: [name, country, lat, lon, population]. */
  majorCities(minPopulation: number, limit: number): Array<[string, string, number, number, number]>;
  /** Feature properties: { code, alpha3, name }. */
  countriesGeoJSON(): GeoJSON.FeatureCollection<AreaGeometry, CountryFeatureProperties>;
  /** Feature properties: { code, country, name, type }. */
  regionsGeoJSON(country?: string): GeoJSON.FeatureCollection<AreaGeometry, RegionFeatureProperties>;
}
