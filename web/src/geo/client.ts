import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { apiJson } from '../app/api.ts';

export interface CountryProperties {
  code: string;
  alpha3: string;
  name: string;
}

export interface RegionProperties {
  code: string;
  country: string;
  name: string;
  /** e.g. 'governorate'; null where the source data does not say. */
  type: string | null;
}

export type CountryCollection = FeatureCollection<Geometry, CountryProperties>;
export type RegionCollection = FeatureCollection<Geometry, RegionProperties>;
export type CountryFeature = Feature<Geometry, CountryProperties>;
export type RegionFeature = Feature<Geometry, RegionProperties>;

export type Bounds = [west: number, south: number, east: number, north: number];

export function fetchCountries(signal?: AbortSignal): Promise<CountryCollection> {
  return apiJson<CountryCollection>('/api/geo/countries.geojson', { signal });
}

export function fetchRegions(country: string, signal?: AbortSignal): Promise<RegionCollection> {
  return apiJson<RegionCollection>(`/api/geo/regions.geojson?country=${encodeURIComponent(country)}`, {
    signal,
  });
}

function eachPosition(geometry: Geometry, visit: (p: Position) => void): void {
  switch (geometry.type) {
    case 'Point':
      visit(geometry.coordinates);
      break;
    case 'MultiPoint':
    case 'LineString':
      geometry.coordinates.forEach(visit);
      break;
    case 'MultiLineString':
    case 'Polygon':
      for (const line of geometry.coordinates) line.forEach(visit);
      break;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) for (const ring of polygon) ring.forEach(visit);
      break;
    case 'GeometryCollection':
      for (const g of geometry.geometries) eachPosition(g, visit);
      break;
  }
}

/**
 * Bounding box that stays tight for shapes straddling the antimeridian (Russia, Fiji, ...): the
 * longitudes are also measured on a 0..360 circle and the narrower of the two boxes wins.
 * MapLibre accepts east > 180, so the shifted box can be used as-is.
 */
export function geometryBounds(geometry: Geometry): Bounds | null {
  let south = Number.POSITIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  let west = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let westShifted = Number.POSITIVE_INFINITY;
  let eastShifted = Number.NEGATIVE_INFINITY;
  eachPosition(geometry, ([lng, lat]) => {
    if (lng === undefined || lat === undefined) return;
    const shifted = lng < 0 ? lng + 360 : lng;
    south = Math.min(south, lat);
    north = Math.max(north, lat);
    west = Math.min(west, lng);
    east = Math.max(east, lng);
    westShifted = Math.min(westShifted, shifted);
    eastShifted = Math.max(eastShifted, shifted);
  });
  if (!Number.isFinite(south)) return null;
  return eastShifted - westShifted < east - west
    ? [westShifted, south, eastShifted, north]
    : [west, south, east, north];
}

export function findCountry(countries: CountryCollection, code: string): CountryFeature | undefined {
  return countries.features.find((f) => f.properties.code === code);
}
