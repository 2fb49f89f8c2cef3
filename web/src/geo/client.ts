import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { Static } from 'typebox';
import type {
  AreaGeometry,
  CountryFeatureProperties,
  RegionFeatureProperties,
} from '../../../src/domain/geo/types.ts';
import type { PlaceOut } from '../../../src/server/routes/geo/schema.ts';
import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';

// The reference geography API (src/server/routes/geo/): boundary layers typed by the domain's
// GeoJSON writer (src/domain/geo/geography.ts), gazetteer places by the route schema.

export type CountryProperties = CountryFeatureProperties;
export type RegionProperties = RegionFeatureProperties;
export type CountryCollection = FeatureCollection<AreaGeometry, CountryProperties>;
export type RegionCollection = FeatureCollection<AreaGeometry, RegionProperties>;
export type CountryFeature = Feature<AreaGeometry, CountryProperties>;
export type RegionFeature = Feature<AreaGeometry, RegionProperties>;
/** A gazetteer place (GeoNames). */
export type Place = Static<typeof PlaceOut>;

export type Bounds = [west: number, south: number, east: number, north: number];

export function fetchCountries(signal?: AbortSignal): Promise<CountryCollection> {
  return apiJson<CountryCollection>('/api/geo/countries.geojson', { signal });
}

export function fetchRegions(country: string, signal?: AbortSignal): Promise<RegionCollection> {
  return apiJson<RegionCollection>(`/api/geo/regions.geojson?country=${encodeURIComponent(country)}`, {
    signal,
  });
}

/** Up to 8 gazetteer places matching `q`, in one country or anywhere. */
export function searchPlaces(q: string, country: string | null, signal?: AbortSignal): Promise<Place[]> {
  return apiJson<{ places: Place[] }>(`/api/geo/places${query({ q, country, limit: 8 })}`, { signal }).then(
    (body) => body.places,
  );
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
