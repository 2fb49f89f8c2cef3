import type * as GeoJSON from 'geojson';
import type { AlertArea, AlertCircle } from '../../domain/alerts/types.ts';
import { WardenError } from '../../domain/errors.ts';

/*
 * CAP 1.2's formats for the values Warden writes (OASIS CAP 1.2, section 3.3). Coordinates are
 * WGS 84 in CAP's order, latitude first: GeoJSON is [longitude, latitude], so each pair is read by
 * name here and never swapped in place.
 */

/** urn:warden:alert:<id>; the Atom entry of the alert uses the same id. */
export const capIdentifier = (alertId: string): string => `urn:warden:alert:${alertId}`;

/** identifier and sender must not contain spaces, commas or the restricted characters < and &. */
export function checkCapToken(value: string, path: string): string {
  if (value.length === 0 || /[\s,<&]/.test(value)) {
    throw new WardenError(
      'validation_failed',
      `"${value}" cannot be a CAP ${path.slice(1)}: no spaces, commas, < or &.`,
      {
        path,
      },
    );
  }
  return value;
}

/** "2018-09-08T10:05:00+00:00": CAP forbids "Z" (and "-00:00"), and has no fractions of a second. */
export function capDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new TypeError(`not a time: ${iso}`);
  return `${d.toISOString().slice(0, 19)}+00:00`;
}

/** Six decimals (about 10 cm), never in exponent form, never "-0". */
export function coordinate(n: number): string {
  const s = Number(n.toFixed(6)).toString();
  return s === '-0' ? '0' : s;
}

const pair = (p: GeoJSON.Position): string => {
  const [lon, lat] = p as [number, number];
  return `${coordinate(lat)},${coordinate(lon)}`;
};

/** A ring as CAP's polygon: "lat,lon lat,lon ...", at least 4 pairs, the first repeated last. */
export function capPolygon(ring: readonly GeoJSON.Position[]): string {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length < 4 || !first || !last || first[0] !== last[0] || first[1] !== last[1]) {
    throw new TypeError('a CAP polygon is a closed ring of at least 4 positions');
  }
  return ring.map(pair).join(' ');
}

/** The outer rings of a Polygon or MultiPolygon: one CAP polygon each (CAP has no holes). */
export const capPolygons = (g: GeoJSON.Polygon | GeoJSON.MultiPolygon): string[] =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((rings) => capPolygon(rings[0]!));

/** "lat,lon radius", the radius in kilometres. */
export const capCircle = (c: AlertCircle): string =>
  `${coordinate(c.lat)},${coordinate(c.lon)} ${coordinate(c.radiusKm)}`;

/**
 * Geocode value names Warden writes: ISO 3166-2 codes of regions under "ISO3166-2", ISO 3166-1
 * alpha-2 codes of whole countries under "ISO3166-1". Units ISO does not code carry Warden's
 * placeholder (CC-X<digits>, see domain/geo/types.ts) under "WARDEN-REGION", so a reader never takes
 * one for an ISO code.
 */
export const GEOCODE_NAMES = {
  region: 'ISO3166-2',
  country: 'ISO3166-1',
  placeholderRegion: 'WARDEN-REGION',
} as const;

export function capGeocodes(area: AlertArea): { valueName: string; value: string }[] {
  return [
    ...area.regions.map((value) => ({
      valueName: /^[A-Z]{2}-X\d+$/.test(value) ? GEOCODE_NAMES.placeholderRegion : GEOCODE_NAMES.region,
      value,
    })),
    ...area.countries.map((value) => ({ valueName: GEOCODE_NAMES.country, value })),
  ];
}
