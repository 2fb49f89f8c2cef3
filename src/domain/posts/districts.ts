import { WardenError } from '../errors.ts';
import type { AreaGeometry, BBox, Geography } from '../geo/types.ts';
import {
  AREA_TOLERANCE_KM2,
  areaKm2,
  bboxesIntersect,
  bboxOf,
  expandBBox,
  intersectionKm2,
  uncoveredKm2,
  validateAreaGeometry,
} from './geometry.ts';
import type { District } from './types.ts';

/** A post as far as districts are concerned. */
export interface DistrictOwner {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly district: District;
}

export interface Overlap {
  readonly postId: string;
  readonly postName: string;
  /** Regions both districts list. */
  readonly regions: string[];
  /** Area shared by the two districts (regions listed by both included). */
  readonly areaKm2: number;
}

export interface Gap {
  readonly region: string;
  readonly name: string;
  /** Area of the region no district covers. */
  readonly areaKm2: number;
  readonly regionAreaKm2: number;
  /** true when a drawn district covers part of the region. */
  readonly partial: boolean;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Normalises and checks a district for a post in `country`: regions must be first-level regions of
 * that country, and a polygon must be valid and lie near the country.
 */
export function validateDistrict(
  geo: Geography,
  country: string,
  d: { readonly regions: readonly string[]; readonly geometry: AreaGeometry | null },
  at = '/district',
): District {
  const regions = [...new Set(d.regions.map((r) => r.trim().toUpperCase()))].sort();
  const unknown = regions.filter((code) => geo.region(code)?.country !== country);
  if (unknown.length > 0) {
    throw new WardenError(
      'unknown_region',
      `Not a first-level region of ${country}: ${unknown.join(', ')}.`,
      {
        invalid: unknown,
        country,
        at: `${at}/regions`,
      },
    );
  }
  const c = geo.country(country);
  if (d.geometry) validateAreaGeometry(d.geometry, `${at}/geometry`, c ? expandBBox(c.bbox, 1) : undefined);
  return { regions, geometry: d.geometry };
}

/** Region geometry, built once per check (the geography hands out fresh copies). */
export class RegionShapes {
  private readonly cache = new Map<string, AreaGeometry | null>();
  constructor(private readonly geo: Geography) {}
  bbox(code: string): BBox | undefined {
    return this.geo.region(code)?.bbox;
  }
  get(code: string): AreaGeometry | null {
    let g = this.cache.get(code);
    if (g === undefined) {
      g = this.geo.regionGeometry(code) ?? null;
      this.cache.set(code, g);
    }
    return g;
  }
}

/** The significant overlaps of `candidate` with each of `others` (shared regions, or area above tolerance). */
export function findOverlaps(
  shapes: RegionShapes,
  candidate: DistrictOwner,
  others: readonly DistrictOwner[],
  tolerance = AREA_TOLERANCE_KM2,
): Overlap[] {
  const out: Overlap[] = [];
  const mine = candidate.district;
  for (const other of others) {
    if (other.id === candidate.id) continue;
    const theirs = other.district;
    const theirRegions = new Set(theirs.regions);
    const shared = mine.regions.filter((r) => theirRegions.has(r));
    let area = 0;
    for (const code of shared) {
      const g = shapes.get(code);
      if (g) area += areaKm2(g);
    }
    // Regions of different codes never overlap (they partition their country), so geometry is
    // only needed where a drawn polygon is involved; region boxes spare most of that work.
    if (mine.geometry) area += polygonAgainst(shapes, mine.geometry, theirs);
    if (theirs.geometry)
      area += polygonAgainst(shapes, theirs.geometry, { regions: mine.regions, geometry: null });
    if (shared.length > 0 || area > tolerance) {
      out.push({ postId: other.id, postName: other.name, regions: shared, areaKm2: round1(area) });
    }
  }
  return out;
}

/** Area a drawn polygon shares with a district (its regions and its own polygon). */
function polygonAgainst(shapes: RegionShapes, polygon: AreaGeometry, d: District): number {
  const box = bboxOf(polygon);
  let area = 0;
  for (const code of d.regions) {
    const regionBox = shapes.bbox(code);
    if (!regionBox || !bboxesIntersect(box, regionBox)) continue;
    const g = shapes.get(code);
    if (g) area += intersectionKm2(polygon, g);
  }
  if (d.geometry) area += intersectionKm2(polygon, d.geometry);
  return area;
}

/** Regions of `country`, or the parts of them, that no district covers. */
export function findGaps(
  geo: Geography,
  shapes: RegionShapes,
  country: string,
  owners: readonly DistrictOwner[],
  tolerance = AREA_TOLERANCE_KM2,
): Gap[] {
  const claimed = new Set(owners.flatMap((o) => o.district.regions));
  const polygons = owners.flatMap((o) => (o.district.geometry ? [o.district.geometry] : []));
  const gaps: Gap[] = [];
  for (const region of geo.regions(country)) {
    if (claimed.has(region.code)) continue;
    const g = shapes.get(region.code);
    if (!g) continue;
    const total = areaKm2(g);
    const uncovered = uncoveredKm2(g, polygons);
    if (uncovered > tolerance) {
      gaps.push({
        region: region.code,
        name: region.name,
        areaKm2: round1(uncovered),
        regionAreaKm2: round1(total),
        partial: uncovered < total - tolerance,
      });
    }
  }
  return gaps.sort((a, b) => a.region.localeCompare(b.region));
}
