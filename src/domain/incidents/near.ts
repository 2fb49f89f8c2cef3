import type { PostLink } from './types.ts';

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Great-circle distance (haversine) in km. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * A box around a point that contains every point within `km` (longitude widened by latitude);
 * west > east when it crosses the antimeridian.
 */
export function boxAround(lat: number, lon: number, km: number): [number, number, number, number] {
  const dLat = km / 111.0;
  const cos = Math.max(0.01, Math.cos(Math.min(89, Math.abs(lat) + dLat) * RAD));
  const dLon = km / (111.32 * cos);
  const s = Math.max(-90, lat - dLat);
  const n = Math.min(90, lat + dLat);
  if (dLon >= 180) return [-180, s, 180, n];
  const w = lon - dLon < -180 ? lon - dLon + 360 : lon - dLon;
  const e = lon + dLon > 180 ? lon + dLon - 360 : lon + dLon;
  return [w, s, e, n];
}

export const roundKm = (km: number): number => Math.round(km * 1000) / 1000;

export interface PostPoint {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
}

/**
 * Posts bucketed in a 1-degree grid, so linking a million incidents costs a few distance
 * computations each rather than one per post.
 */
export class NearPosts {
  private readonly cells = new Map<number, PostPoint[]>();
  private readonly reachLat: number;

  constructor(
    readonly posts: readonly PostPoint[],
    readonly radiusKm: number,
  ) {
    for (const p of posts) {
      const k = NearPosts.cell(Math.floor(p.lat), Math.floor(p.lon));
      const list = this.cells.get(k);
      if (list) list.push(p);
      else this.cells.set(k, [p]);
    }
    this.reachLat = Math.ceil(radiusKm / 111);
  }

  get size(): number {
    let n = 0;
    for (const l of this.cells.values()) n += l.length;
    return n;
  }

  private static cell(latCell: number, lonCell: number): number {
    return (latCell + 90) * 400 + (((lonCell % 360) + 540) % 360);
  }

  /** Posts within the radius of the point, nearest first. */
  near(lat: number, lon: number): PostLink[] {
    if (this.cells.size === 0) return [];
    const out: PostLink[] = [];
    const cos = Math.max(0.01, Math.cos(Math.min(89, Math.abs(lat) + this.reachLat) * RAD));
    const reachLon = Math.min(180, Math.ceil(this.radiusKm / (111.32 * cos)));
    const la = Math.floor(lat);
    const lo = Math.floor(lon);
    for (let i = la - this.reachLat; i <= la + this.reachLat; i++) {
      for (let j = lo - reachLon; j <= lo + reachLon; j++) {
        const list = this.cells.get(NearPosts.cell(i, j));
        if (!list) continue;
        for (const p of list) {
          const d = distanceKm(lat, lon, p.lat, p.lon);
          if (d <= this.radiusKm) out.push({ postId: p.id, distanceKm: roundKm(d) });
        }
      }
    }
    return out.sort((a, b) => a.distanceKm - b.distanceKm);
  }
}
