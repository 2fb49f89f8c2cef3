import { kinks } from '@turf/kinks';
import { orient2d } from 'robust-predicates';
import { describe, expect, it } from 'vitest';
import { findSelfIntersection, selfIntersections } from '../../src/domain/geo/simple-polygon.ts';
import { sortPoints } from '../../src/domain/geo/sort-points.ts';
import type { AreaGeometry } from '../../src/domain/geo/types.ts';

const poly = (...rings: number[][][]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });
const closed = (pts: number[][]): number[][] => [...pts, pts[0]!];
/** 'x y, x y, ...' as a closed ring (the closing position added unless given). */
const ring = (wkt: string): number[][] => {
  const pts = wkt.split(',').map((p) => p.trim().split(/\s+/).map(Number));
  const [a, b] = [pts[0]!, pts.at(-1)!];
  return a[0] === b[0] && a[1] === b[1] ? pts : closed(pts);
};

/** A mulberry32 generator: the same cases on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same rule by comparing every pair of edges: the reference the sweep must agree with. */
function bruteForce(g: AreaGeometry): boolean {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const edges: { a: number[]; b: number[]; ring: number; i: number; n: number }[] = [];
  let ringId = 0;
  for (const rings of polygons) {
    for (const ring of rings) {
      const v: number[][] = [];
      for (const p of ring) if (!v.length || v.at(-1)![0] !== p[0] || v.at(-1)![1] !== p[1]) v.push(p);
      while (v.length > 1 && v.at(-1)![0] === v[0]![0] && v.at(-1)![1] === v[0]![1]) v.pop();
      if (v.length < 3) return true;
      v.forEach((p, i) => {
        edges.push({ a: p, b: v[(i + 1) % v.length]!, ring: ringId, i, n: v.length });
      });
      ringId++;
    }
  }
  const o = (a: number[], b: number[], c: number[]) =>
    Math.sign(orient2d(a[0]!, a[1]!, b[0]!, b[1]!, c[0]!, c[1]!));
  const on = (a: number[], b: number[], p: number[]) =>
    o(a, b, p) === 0 &&
    p[0]! >= Math.min(a[0]!, b[0]!) &&
    p[0]! <= Math.max(a[0]!, b[0]!) &&
    p[1]! >= Math.min(a[1]!, b[1]!) &&
    p[1]! <= Math.max(a[1]!, b[1]!);
  const same = (p: number[], q: number[]) => p[0] === q[0] && p[1] === q[1];
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const e = edges[i]!;
      const f = edges[j]!;
      const adjacent = e.ring === f.ring && ((e.i + 1) % e.n === f.i || (f.i + 1) % f.n === e.i);
      if (adjacent) {
        // Consecutive edges may share their position, nothing more.
        const shared = same(e.b, f.a) ? e.b : e.a;
        const other = (x: { a: number[]; b: number[] }) => (same(x.a, shared) ? x.b : x.a);
        if (on(e.a, e.b, other(f)) || on(f.a, f.b, other(e))) return true;
        continue;
      }
      const crosses = o(e.a, e.b, f.a) * o(e.a, e.b, f.b) < 0 && o(f.a, f.b, e.a) * o(f.a, f.b, e.b) < 0;
      if (crosses || on(e.a, e.b, f.a) || on(e.a, e.b, f.b) || on(f.a, f.b, e.a) || on(f.a, f.b, e.b))
        return true;
    }
  }
  return false;
}

const randomRing = (r: () => number, n: number, grid: number): number[][] =>
  closed(Array.from({ length: n }, () => [Math.floor(r() * grid), Math.floor(r() * grid)]));

/** A star-shaped ring (simple by construction) of n positions around (cx, cy). */
function star(r: () => number, n: number, cx: number, cy: number, radius: number): number[][] {
  return closed(
    Array.from({ length: n }, (_, i) => {
      const t = (2 * Math.PI * i) / n;
      const d = radius * (0.5 + 0.5 * r());
      return [cx + d * Math.cos(t), cy + d * Math.sin(t)];
    }),
  );
}

describe('self-intersection sweep', () => {
  it('accepts simple shapes: a square, a square with a hole, separate polygons', () => {
    const square = ring('0 0, 4 0, 4 4, 0 4');
    const hole = ring('1 1, 1 2, 2 2, 2 1');
    expect(findSelfIntersection(poly(square))).toBeNull();
    expect(findSelfIntersection(poly(square, hole))).toBeNull();
    const far = square.map(([x, y]) => [x! + 10, y!]);
    expect(findSelfIntersection({ type: 'MultiPolygon', coordinates: [[square], [far]] })).toBeNull();
    // Repeated consecutive positions are ignored, as kinks does.
    expect(findSelfIntersection(poly(ring('0 0, 4 0, 4 0, 4 4, 0 4, 0 0')))).toBeNull();
  });

  it('finds a bow tie and names both edges', () => {
    const c = findSelfIntersection(poly(ring('0 0, 4 4, 4 0, 0 4, 0 0')));
    expect(c).toMatchObject({ kind: 'cross', point: [2, 2] });
    expect([c!.a.vertex, c!.b.vertex].sort()).toEqual([0, 2]);
  });

  it('finds touches, spikes, zero-area rings, and crossings between rings and polygons', () => {
    // A ring touching itself at a position (figure eight through one vertex).
    expect(findSelfIntersection(poly(ring('0 0, 2 2, 4 0, 4 4, 2 2, 0 4, 0 0')))?.kind).toBe('touch');
    // A position lying on another edge.
    expect(findSelfIntersection(poly(ring('0 0, 4 0, 4 4, 2 0, 0 4, 0 0')))?.kind).toBe('touch');
    // A spike folding back along its neighbour.
    const spike = poly(ring('0 0, 4 0, 6 0, 5 0, 4 4, 0 4, 0 0'));
    expect(findSelfIntersection(spike)?.kind).toBe('overlap');
    // A zero-area ring.
    expect(findSelfIntersection(poly(ring('0 0, 1 1, 2 2, 0 0')))?.kind).toBe('overlap');
    // A hole crossing its shell; two polygons of a MultiPolygon crossing.
    const shell = ring('0 0, 4 0, 4 4, 0 4');
    expect(findSelfIntersection(poly(shell, ring('1 1, 5 1, 5 2, 1 2')))?.b.ring).toBe(1);
    const m: AreaGeometry = { type: 'MultiPolygon', coordinates: [[shell], [ring('3 3, 6 3, 6 6')]] };
    const c = findSelfIntersection(m);
    expect(c && [c.a.polygon, c.b.polygon].sort()).toEqual([0, 1]);
  });

  it('gives the same shape as kinks (a FeatureCollection of points)', () => {
    const bowtie = poly(ring('0 0, 4 4, 4 0, 0 4, 0 0'));
    const ours = selfIntersections(bowtie);
    expect(ours.type).toBe('FeatureCollection');
    expect(ours.features[0]!.geometry.coordinates).toEqual(kinks(bowtie).features[0]!.geometry.coordinates);
    expect(selfIntersections(poly(ring('0 0, 1 0, 0 1'))).features).toEqual([]);
  });

  it('agrees with every-pair comparison on 10,000 random rings on a small grid (degenerate cases)', () => {
    const r = rng(42);
    let invalid = 0;
    for (let k = 0; k < 10_000; k++) {
      const rings = [randomRing(r, 3 + Math.floor(r() * 8), 5 + Math.floor(r() * 4))];
      if (r() < 0.3) rings.push(randomRing(r, 3 + Math.floor(r() * 4), 8));
      const g: AreaGeometry =
        r() < 0.5 ? poly(...rings) : { type: 'MultiPolygon', coordinates: rings.map((x) => [x]) };
      const expected = bruteForce(g);
      const found = findSelfIntersection(g);
      if ((found === null) === expected) throw new Error(`disagreement on ${JSON.stringify(g)}`);
      if (found) invalid++;
    }
    // Both outcomes must be well represented for the comparison to mean anything.
    expect(invalid).toBeGreaterThan(1000);
    expect(invalid).toBeLessThan(9500);
  });

  it('agrees on random star polygons, simple and with one position moved', () => {
    const r = rng(7);
    let simple = 0;
    for (let k = 0; k < 2000; k++) {
      const ring = star(r, 5 + Math.floor(r() * 40), 47.8, 30.5, 0.2);
      if (k % 2)
        ring[1 + Math.floor(r() * (ring.length - 2))] = [47.8 + r() * 0.4 - 0.2, 30.5 + r() * 0.4 - 0.2];
      const g = poly(ring);
      const found = findSelfIntersection(g);
      expect(found !== null).toBe(bruteForce(g));
      expect(found !== null).toBe(kinks(g).features.length > 0);
      if (!found) simple++;
    }
    expect(simple).toBeGreaterThan(1000);
  });

  it('reports a contact that really is on both edges', () => {
    const r = rng(3);
    for (let k = 0; k < 500; k++) {
      const ring = star(r, 30, 0, 0, 1).map(([x, y], i) => (i === 7 ? [x! * 3, y! * 3] : [x!, y!]));
      const c = findSelfIntersection(poly(ring));
      if (!c) continue;
      for (const e of [c.a, c.b]) {
        const a = ring[e.vertex]!;
        const b = ring[e.vertex + 1]!;
        const cross = (b[0]! - a[0]!) * (c.point[1] - a[1]!) - (b[1]! - a[1]!) * (c.point[0] - a[0]!);
        expect(Math.abs(cross)).toBeLessThan(1e-9);
      }
    }
  });

  it('handles a 10,000-position ring and 17 rings of 5,000 positions', () => {
    const r = rng(11);
    const big = poly(star(r, 10_000, 0, 0, 10));
    expect(findSelfIntersection(big)).toBeNull();
    const rings = [star(r, 5000, 0, 0, 150)];
    for (let i = 0; i < 16; i++)
      rings.push(star(r, 5000, -40 + (i % 4) * 25, -40 + Math.floor(i / 4) * 25, 5).reverse());
    expect(findSelfIntersection(poly(...rings))).toBeNull();
    const bad = rings.map((x) => x.slice());
    bad[9]![2500] = [bad[10]![100]![0]!, bad[10]![100]![1]!];
    expect(findSelfIntersection(poly(...bad))).not.toBeNull();
  });
});

describe('point sort', () => {
  it('orders by x then y like a comparison sort, negatives, -0 and repeats included', () => {
    const r = rng(17);
    for (const n of [0, 1, 2, 50, 5000, 20_000]) {
      const x = new Float64Array(n);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const pick = r();
        x[i] =
          pick < 0.1 ? -0 : pick < 0.3 ? Math.floor(r() * 5) - 2 : (r() - 0.5) * 1e3 * (r() < 0.5 ? 1e-6 : 1);
        y[i] = Math.floor(r() * 7) - 3 + r();
      }
      const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
      const got = [...sortPoints(x, y, n)];
      expect(got.map((i) => [x[i], y[i]])).toEqual(expected.map((i) => [x[i], y[i]]));
    }
  });
});
