import type * as GeoJSON from 'geojson';
import { orient2d } from 'robust-predicates';
import { OrderedList } from './ordered-list.ts';
import type { Crossing, CrossingKind, SegmentRef } from './simple-polygon.ts';
import { sortPoints } from './sort-points.ts';

/** Thrown from inside the sweep (its comparator included) to stop at the first contact. */
export class Found {
  constructor(readonly crossing: Crossing) {}
}

// y grows upwards here, so a negative orient2d means c lies left of (above) the directed line a->b.
const sideOf = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number =>
  -orient2d(ax, ay, bx, by, cx, cy);

const opposite = (p: number, q: number): boolean => (p > 0 && q < 0) || (p < 0 && q > 0);

/**
 * Vertices are the distinct consecutive positions of every ring, in flat typed arrays; edge `s`
 * runs from vertex s to nxt[s]. lo[s]/hi[s] are its lexicographically (x, then y) smaller and
 * larger ends: the sweep meets lo first.
 */
export class Sweep {
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly nxt: Int32Array;
  private readonly prv: Int32Array;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private readonly ringOf: Int32Array;
  private readonly original: Int32Array;
  private readonly rings: { polygon: number; ring: number }[] = [];

  constructor(polygons: readonly GeoJSON.Position[][][]) {
    let total = 0;
    for (const rings of polygons) for (const ring of rings) total += ring.length;
    this.x = new Float64Array(total);
    this.y = new Float64Array(total);
    this.nxt = new Int32Array(total);
    this.prv = new Int32Array(total);
    this.ringOf = new Int32Array(total);
    this.original = new Int32Array(total);
    let n = 0;
    polygons.forEach((rings, p) => {
      rings.forEach((ring, r) => {
        const start = n;
        const id = this.rings.push({ polygon: p, ring: r }) - 1;
        for (let i = 0; i < ring.length; i++) {
          const px = ring[i]![0]!;
          const py = ring[i]![1]!;
          if (n > start && this.x[n - 1] === px && this.y[n - 1] === py) continue;
          this.x[n] = px;
          this.y[n] = py;
          this.ringOf[n] = id;
          this.original[n++] = i;
        }
        // The closing position repeats the first: not a vertex of its own.
        while (n - start > 1 && this.x[n - 1] === this.x[start] && this.y[n - 1] === this.y[start]) n--;
        if (n - start < 3) {
          const at = this.ref(start);
          throw new Found({ kind: 'overlap', point: [ring[0]![0]!, ring[0]![1]!], a: at, b: at });
        }
        for (let v = start; v < n; v++) {
          this.nxt[v] = v + 1 < n ? v + 1 : start;
          this.prv[v] = v > start ? v - 1 : n - 1;
        }
      });
    });
    this.lo = new Int32Array(n);
    this.hi = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const t = this.nxt[s]!;
      const first = this.x[s]! < this.x[t]! || (this.x[s] === this.x[t] && this.y[s]! < this.y[t]!);
      this.lo[s] = first ? s : t;
      this.hi[s] = first ? t : s;
    }
    this.count = n;
  }

  private readonly count: number;
  private order: Uint32Array = new Uint32Array(0);

  private ref(v: number): SegmentRef {
    const r = this.rings[this.ringOf[v]!]!;
    return { polygon: r.polygon, ring: r.ring, vertex: this.original[v]! };
  }

  private found(kind: CrossingKind, px: number, py: number, a: number, b: number): never {
    throw new Found({ kind, point: [px, py], a: this.ref(a), b: this.ref(b) });
  }

  /**
   * Linear checks that leave the sweep only proper crossings and positions lying inside another
   * edge: a position used twice (sorted order puts equal positions side by side), and an edge
   * folding back over its neighbour.
   */
  prepass(): void {
    const { x, y } = this;
    const order = sortPoints(x, y, this.count);
    this.order = order;
    for (let i = 1; i < order.length; i++) {
      const a = order[i - 1]!;
      const b = order[i]!;
      if (x[a] === x[b] && y[a] === y[b]) this.found('touch', x[a]!, y[a]!, a, b);
    }
    for (let v = 0; v < this.count; v++) {
      const p = this.prv[v]!;
      const q = this.nxt[v]!;
      if (sideOf(x[p]!, y[p]!, x[v]!, y[v]!, x[q]!, y[q]!) !== 0) continue;
      if ((x[p]! - x[v]!) * (x[q]! - x[v]!) + (y[p]! - y[v]!) * (y[q]! - y[v]!) > 0) {
        const nearer =
          Math.hypot(x[p]! - x[v]!, y[p]! - y[v]!) < Math.hypot(x[q]! - x[v]!, y[q]! - y[v]!) ? p : q;
        this.found('overlap', x[nearer]!, y[nearer]!, p, v);
      }
    }
  }

  private readonly adjacent = (s: number, t: number): boolean => this.nxt[s] === t || this.nxt[t] === s;

  /**
   * Order of two edges crossing the sweep line, from their fixed ends only (so it is the same
   * wherever the sweep is, as long as nothing crossed before): the later-starting edge's first end
   * lies above or below the other edge. On it is a contact.
   */
  private readonly compare = (a: number, b: number): number => {
    if (a === b) return 0;
    const { x, y, lo, hi } = this;
    const la = lo[a]!;
    const lb = lo[b]!;
    if (la === lb) {
      const o = sideOf(x[la]!, y[la]!, x[hi[a]!]!, y[hi[a]!]!, x[hi[b]!]!, y[hi[b]!]!);
      return o > 0 ? -1 : o < 0 ? 1 : a - b;
    }
    const aFirst = x[la]! < x[lb]! || (x[la] === x[lb] && y[la]! < y[lb]!);
    const f = aFirst ? a : b;
    const lf = aFirst ? la : lb;
    const p = aFirst ? lb : la;
    const o = sideOf(x[lf]!, y[lf]!, x[hi[f]!]!, y[hi[f]!]!, x[p]!, y[p]!);
    if (o === 0) {
      if (this.adjacent(a, b)) return a - b;
      this.found('touch', x[p]!, y[p]!, aFirst ? b : a, f);
    }
    return o > 0 === aFirst ? -1 : 1;
  };

  /** Whether two edges meet; consecutive edges only meet at their shared position (prepass). */
  private test(s: number | null, t: number | null): void {
    if (s === null || t === null || this.adjacent(s, t)) return;
    const { x, y, lo, hi } = this;
    const s0 = lo[s]!;
    const s1 = hi[s]!;
    const t0 = lo[t]!;
    const t1 = hi[t]!;
    // Most neighbours on the sweep line are far apart: their boxes settle it without orientation tests.
    if (x[t0]! > x[s1]! || x[s0]! > x[t1]!) return;
    if (Math.max(y[t0]!, y[t1]!) < Math.min(y[s0]!, y[s1]!)) return;
    if (Math.min(y[t0]!, y[t1]!) > Math.max(y[s0]!, y[s1]!)) return;
    const o1 = sideOf(x[s0]!, y[s0]!, x[s1]!, y[s1]!, x[t0]!, y[t0]!);
    const o2 = sideOf(x[s0]!, y[s0]!, x[s1]!, y[s1]!, x[t1]!, y[t1]!);
    const o3 = sideOf(x[t0]!, y[t0]!, x[t1]!, y[t1]!, x[s0]!, y[s0]!);
    const o4 = sideOf(x[t0]!, y[t0]!, x[t1]!, y[t1]!, x[s1]!, y[s1]!);
    if (opposite(o1, o2) && opposite(o3, o4)) {
      const [px, py] = crossingPoint(x[s0]!, y[s0]!, x[s1]!, y[s1]!, x[t0]!, y[t0]!, x[t1]!, y[t1]!);
      this.found('cross', px, py, s, t);
    }
    const kind: CrossingKind = (o1 === 0 && o2 === 0) || (o3 === 0 && o4 === 0) ? 'overlap' : 'touch';
    if (o1 === 0 && this.within(s, t0)) this.found(kind, x[t0]!, y[t0]!, t, s);
    if (o2 === 0 && this.within(s, t1)) this.found(kind, x[t1]!, y[t1]!, t, s);
    if (o3 === 0 && this.within(t, s0)) this.found(kind, x[s0]!, y[s0]!, s, t);
    if (o4 === 0 && this.within(t, s1)) this.found(kind, x[s1]!, y[s1]!, s, t);
  }

  /** For a position on the edge's line: whether it lies on the edge. */
  private within(s: number, v: number): boolean {
    const { x, y } = this;
    const a = this.lo[s]!;
    const b = this.hi[s]!;
    return (
      x[v]! >= Math.min(x[a]!, x[b]!) &&
      x[v]! <= Math.max(x[a]!, x[b]!) &&
      y[v]! >= Math.min(y[a]!, y[b]!) &&
      y[v]! <= Math.max(y[a]!, y[b]!)
    );
  }

  /**
   * Every vertex is an event: its edges that end there leave the line, then those starting enter.
   * Most vertices pass the line on (one edge ends, the next starts): the new edge sorts exactly
   * where the old one did, as nothing else passes through the vertex, so it takes its place.
   */
  run(): void {
    const line = new OrderedList(this.count, this.compare);
    const { order, prv, hi } = this;
    const neighbours = (s: number) => {
      this.test(line.before(s), s);
      this.test(s, line.after(s));
    };
    for (let i = 0; i < order.length; i++) {
      const v = order[i]!;
      const p = prv[v]!;
      const pEnds = hi[p] === v;
      const vEnds = hi[v] === v;
      if (pEnds !== vEnds) {
        if (pEnds) line.replace(p, v);
        else line.replace(v, p);
        neighbours(pEnds ? v : p);
      } else if (pEnds) {
        for (const s of [p, v]) {
          const below = line.before(s);
          const above = line.after(s);
          line.remove(s);
          this.test(below, above);
        }
      } else {
        line.insert(p);
        neighbours(p);
        line.insert(v);
        neighbours(v);
      }
    }
  }
}

function crossingPoint(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): [number, number] {
  const den = (dy - cy) * (bx - ax) - (dx - cx) * (by - ay);
  const t = ((dx - cx) * (ay - cy) - (dy - cy) * (ax - cx)) / den;
  return [ax + t * (bx - ax), ay + t * (by - ay)];
}
