import type { Context } from '../../context.ts';
import type { RecipientPrecision } from '../../domain/alerts/record.ts';
import type { AlertArea } from '../../domain/alerts/types.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { distanceKm } from '../../domain/incidents/near.ts';
import { areaContains } from '../../domain/posts/geometry.ts';
import { scanTrips } from '../../store/alerts/trip-scan.ts';

/*
 * Interim brute-force targeting, replaced by the targeting service (services/alerts/targeting.ts)
 * when its branch is merged. Same answer shape: one entry per person, the best precision wins.
 */

export interface TargetQuery {
  readonly area: AlertArea;
  readonly effective: string;
  readonly expires: string;
  readonly includeUnknownLocation: boolean;
}

export interface Recipient {
  readonly personId: string;
  readonly precision: RecipientPrecision;
}

const PLACE_SLACK_KM = 5;
const RANK: Record<RecipientPrecision, number> = { point: 0, place: 1, country: 2 };

export async function findRecipients(ctx: Context, q: TargetQuery): Promise<Recipient[]> {
  const geo = loadGeography();
  const a = q.area;
  const touched = new Set(a.countries);
  for (const r of a.regions) touched.add(geo.region(r)?.country ?? r.slice(0, 2));
  const inArea = (lat: number, lon: number, slack: number): boolean => {
    if (a.countries.length > 0 && a.countries.includes(geo.countryAt(lat, lon)?.code ?? '')) return true;
    if (a.regions.length > 0 && a.regions.includes(geo.regionAt(lat, lon)?.code ?? '')) return true;
    if (a.circles.some((c) => distanceKm(c.lat, c.lon, lat, lon) <= c.radiusKm + slack)) return true;
    return a.polygons.some((g) => areaContains(g, lon, lat));
  };
  for (const g of a.polygons) {
    const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0]?.[0];
    const p = ring?.[0];
    if (p) touched.add(geo.countryAt(p[1]!, p[0]!)?.code ?? '');
  }
  for (const c of a.circles) touched.add(geo.countryAt(c.lat, c.lon)?.code ?? '');
  const best = new Map<string, RecipientPrecision>();
  for (const t of await scanTrips(ctx.store.db, q.effective, q.expires)) {
    let p: RecipientPrecision | null = null;
    if (t.lat !== null && t.lon !== null) {
      const place = t.placeId !== null;
      if (inArea(t.lat, t.lon, place ? PLACE_SLACK_KM : 0)) p = place ? 'place' : 'point';
    } else if (a.countries.includes(t.country) || (q.includeUnknownLocation && touched.has(t.country))) {
      p = 'country';
    }
    const had = best.get(t.personId);
    if (p && (!had || RANK[p] < RANK[had])) best.set(t.personId, p);
  }
  return [...best].map(([personId, precision]) => ({ personId, precision }));
}
