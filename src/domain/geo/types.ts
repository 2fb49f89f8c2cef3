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
   * Northern Cyprus, Somaliland...) get stable placeholders whose subdivision
   * part starts with X, e.g. 'HK-X01', 'CY-XNC'.
   */
  code: string;
  /** ISO 3166-1 alpha-2 of the country the region is listed under. */
  country: string;
  name: string;
  /** English type such as 'Governorate' or 'Province'; null when unknown. */
  type: string | null;
  bbox: BBox;
}

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
  /** undefined at sea or outside every known territory. */
  countryAt(lat: number, lon: number): Country | undefined;
  regionAt(lat: number, lon: number): Region | undefined;
  /** Accent- and case-insensitive prefix/word match over GeoNames places. */
  searchPlaces(q: string, opts?: SearchOptions): Place[];
  /** Feature properties: { code, alpha3, name }. */
  countriesGeoJSON(): GeoJSON.FeatureCollection;
  /** Feature properties: { code, country, name, type }. */
  regionsGeoJSON(country?: string): GeoJSON.FeatureCollection;
}
