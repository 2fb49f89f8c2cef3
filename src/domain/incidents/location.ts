import type { Country, Geography } from '../geo/types.ts';

/** How far offshore (or across a simplified border) a point may lie and still be kept. */
export const OFFSHORE_TOLERANCE_KM = 50;
/** Margin around a country's box within which a point is "near" it (about 110 km). */
export const NEAR_COUNTRY_DEG = 1;

export interface PointIssue {
  readonly field: 'latitude' | 'longitude';
  readonly reason: string;
}

export type ResolvedPoint =
  | { readonly ok: true; readonly country: string; readonly region: string | null; readonly warning?: string }
  | { readonly ok: false; readonly issue: PointIssue };

const inRange = (lat: number, lon: number) =>
  Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;

export function nearCountry(c: Country, lat: number, lon: number): boolean {
  const [w, s, e, n] = c.bbox;
  const d = NEAR_COUNTRY_DEG;
  return lat >= s - d && lat <= n + d && lon >= w - d && lon <= e + d;
}

const fmt = (lat: number, lon: number) => `(${lat}, ${lon})`;

/**
 * Derives country and first-level region from a point. With a stated country (an ACLED row's),
 * a point whose swapped coordinates lie in that country is refused as swapped, and a point far
 * from it is refused; a point just across a (simplified) border or offshore is kept with a
 * warning. Every accepted point lies in its country or within NEAR_COUNTRY_DEG of its box, which
 * the map query relies on.
 */
export function resolvePoint(geo: Geography, lat: number, lon: number, stated?: Country): ResolvedPoint {
  if (!inRange(lat, lon)) {
    const swapped = inRange(lon, lat);
    const field = Number.isFinite(lat) && lat >= -90 && lat <= 90 ? 'longitude' : 'latitude';
    const what =
      field === 'latitude' ? `latitude ${lat} is outside -90..90` : `longitude ${lon} is outside -180..180`;
    return {
      ok: false,
      issue: { field, reason: swapped ? `${what}; latitude and longitude look swapped` : what },
    };
  }
  const hit = geo.regionAt(lat, lon);
  if (!stated) {
    if (hit) return { ok: true, country: hit.country, region: hit.code };
    const near = geo.regionAt(lat, lon, { toleranceKm: OFFSHORE_TOLERANCE_KM });
    if (near) {
      return {
        ok: true,
        country: near.country,
        region: near.code,
        warning: `the point ${fmt(lat, lon)} is offshore; kept in ${near.country}`,
      };
    }
    return {
      ok: false,
      issue: { field: 'latitude', reason: `the point ${fmt(lat, lon)} is not in or near any country` },
    };
  }
  if (hit?.country === stated.code) return { ok: true, country: hit.country, region: hit.code };
  const swapped = inRange(lon, lat) ? geo.regionAt(lon, lat) : undefined;
  if (swapped?.country === stated.code) {
    return {
      ok: false,
      issue: {
        field: 'latitude',
        reason: `the point ${fmt(lat, lon)} is not in ${stated.name} but ${fmt(lon, lat)} is: latitude and longitude are swapped`,
      },
    };
  }
  if (!nearCountry(stated, lat, lon)) {
    const where = hit ? ` (it lies in ${geo.country(hit.country)?.name ?? hit.country})` : '';
    return {
      ok: false,
      issue: {
        field: 'latitude',
        reason: `the point ${fmt(lat, lon)} is not in or near ${stated.name}${where}`,
      },
    };
  }
  if (hit) {
    return {
      ok: true,
      country: hit.country,
      region: hit.code,
      warning: `the point ${fmt(lat, lon)} lies in ${geo.country(hit.country)?.name ?? hit.country}, just outside ${stated.name}; kept where the point is`,
    };
  }
  const near = geo.regionAt(lat, lon, { toleranceKm: OFFSHORE_TOLERANCE_KM });
  return {
    ok: true,
    country: stated.code,
    region: near?.country === stated.code ? near.code : null,
    warning: `the point ${fmt(lat, lon)} is offshore; kept in ${stated.name}`,
  };
}
