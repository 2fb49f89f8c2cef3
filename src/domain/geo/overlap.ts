import type * as GeoJSON from 'geojson';
import { findSelfIntersection } from './simple-polygon.ts';
import type { AreaGeometry, BBox } from './types.ts';

type Rings = GeoJSON.Position[][];

const partsOf = (g: AreaGeometry): Rings[] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

function ringsBox(rings: Rings): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x! < b[0]) b[0] = x!;
      if (y! < b[1]) b[1] = y!;
      if (x! > b[2]) b[2] = x!;
      if (y! > b[3]) b[3] = y!;
    }
  }
  return b;
}

const boxesMeet = (a: BBox, b: BBox): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Even-odd ray cast over every ring of one polygon (holes included). */
function inside(rings: Rings, lon: number, lat: number): boolean {
  let odd = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}

/**
 * Whether two areas share some ground (touching counts), in O((n + m) log(n + m)) for n and m
 * positions: the clipping libraries (turf's intersect) built the whole intersection only to test it
 * for null, seconds of CPU for a 5,000-position zone against a country (issue 11, item 5).
 *
 * Two polygons meet iff one holds a position of the other or their boundaries cross. So: a position
 * of each part of `a` tested in `b`, a position of each nearby part of `b` tested in `a`, and then
 * the self-intersection sweep over the rings of `a` and the nearby parts of `b` together: any
 * contact it finds is a crossing between the two (`a` is expected simple), or a flaw of `b` itself
 * near `a`, where the answer errs on the side of "they meet".
 */
export function areasOverlap(a: AreaGeometry, b: AreaGeometry): boolean {
  const aParts = partsOf(a).filter((r) => r[0]?.length);
  const aBoxes = aParts.map(ringsBox);
  const aBox = aBoxes.reduce<BBox>(
    (u, x) => [Math.min(u[0], x[0]), Math.min(u[1], x[1]), Math.max(u[2], x[2]), Math.max(u[3], x[3])],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
  const near = partsOf(b)
    .filter((r) => r[0]?.length)
    .map((rings) => ({ rings, box: ringsBox(rings) }))
    .filter((p) => boxesMeet(p.box, aBox));
  if (near.length === 0) return false;
  for (const [i, rings] of aParts.entries()) {
    const [x, y] = rings[0]![0]!;
    if (near.some((p) => boxesMeet(p.box, aBoxes[i]!) && inside(p.rings, x!, y!))) return true;
  }
  for (const p of near) {
    const [x, y] = p.rings[0]![0]!;
    if (aParts.some((rings, i) => boxesMeet(aBoxes[i]!, p.box) && inside(rings, x!, y!))) return true;
  }
  return (
    findSelfIntersection({ type: 'MultiPolygon', coordinates: [...aParts, ...near.map((p) => p.rings)] }) !==
    null
  );
}
