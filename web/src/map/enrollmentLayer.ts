import type { Feature, FeatureCollection, Geometry, Point, Position } from 'geojson';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type EnrollmentStats, fetchEnrollmentStats } from '../enrollments/client.ts';
import type { CountryCollection, RegionCollection } from '../geo/client.ts';
import { loadRegions } from '../geo/reference.ts';
import { INCIDENT_LAYERS } from './incidentLayer.ts';

// "Enrolled people" on the staff map: graduated circles, one per country (zoomed out) or per
// first-level region (zoomed in), sized and coloured by count class, with the count inside.
// Circles rather than a choropleth, because fill colour already means the advisory level.
// The offline style has no glyphs, so each circle is an image drawn on demand (no text layer).
// Counts only: the stats endpoint never names anybody.

export const ENROLLMENT_SOURCE = 'enrollments';
export const ENROLLMENT_LAYER = 'enrollments-circles';
/** From this zoom on, regions get their own circles. */
export const REGION_ZOOM = 5;

/**
 * Count classes (people), light to dark; bounds chosen to read at a glance. Magenta (ColorBrewer
 * PiYG's pink arm), a hue no incident type and no advisory level uses: the purple they had was
 * the colour of "violence against civilians" incidents (issue 16).
 */
export const ENROLLMENT_CLASSES = [
  { min: 1, max: 9, color: '#fde0ef', ink: '#8e0152', stroke: '#c51b7d', radius: 11 },
  { min: 10, max: 49, color: '#f1b6da', ink: '#8e0152', stroke: '#c51b7d', radius: 14 },
  { min: 50, max: 249, color: '#de77ae', ink: '#ffffff', stroke: '#ffffff', radius: 17 },
  { min: 250, max: 999, color: '#c51b7d', ink: '#ffffff', stroke: '#ffffff', radius: 21 },
  {
    min: 1000,
    max: Number.POSITIVE_INFINITY,
    color: '#8e0152',
    ink: '#ffffff',
    stroke: '#ffffff',
    radius: 25,
  },
] as const;

export function classOf(n: number): number {
  const i = ENROLLMENT_CLASSES.findIndex((c) => n <= c.max);
  return i === -1 ? ENROLLMENT_CLASSES.length - 1 : i;
}

export const classLabel = (i: number): string => {
  const c = ENROLLMENT_CLASSES[i];
  if (!c) return '';
  return Number.isFinite(c.max) ? `${c.min}–${c.max}` : `${c.min.toLocaleString()} or more`;
};

const shortCount = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));
const IMAGE_PREFIX = 'enr-';

/** A circle of a class's colour with the count in it, for map.addImage. */
function circleImage(cls: number, label: string): ImageData | null {
  const c = ENROLLMENT_CLASSES[cls];
  if (!c) return null;
  const ratio = Math.min(window.devicePixelRatio || 1, 3);
  const size = Math.ceil((c.radius * 2 + 4) * ratio);
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const g = canvas.getContext('2d');
  if (!g) return null;
  g.scale(ratio, ratio);
  const mid = c.radius + 2;
  g.beginPath();
  g.arc(mid, mid, c.radius, 0, Math.PI * 2);
  g.fillStyle = c.color;
  g.globalAlpha = 0.92;
  g.fill();
  g.globalAlpha = 1;
  g.lineWidth = 1.5;
  g.strokeStyle = c.stroke;
  g.stroke();
  g.fillStyle = c.ink;
  const fontSize = label.length > 3 ? 10 : 12;
  g.font = `700 ${fontSize}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillText(label, mid, mid + 0.5);
  return g.getImageData(0, 0, size, size);
}

// ---- where a circle goes: inside the shape, on its largest part ----------------------------

function ringArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    a += xj * yi - xi * yj;
  }
  return a / 2;
}

function inRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The centroid of the largest polygon, or the middle of its widest span when that lies outside. */
export function labelPoint(geometry: Geometry): [number, number] | null {
  const polygons =
    geometry.type === 'Polygon'
      ? [geometry.coordinates]
      : geometry.type === 'MultiPolygon'
        ? geometry.coordinates
        : [];
  let best: Position[] | undefined;
  let bestArea = 0;
  for (const p of polygons) {
    const outer = p[0];
    const area = outer ? Math.abs(ringArea(outer)) : 0;
    if (outer && area > bestArea) {
      best = outer;
      bestArea = area;
    }
  }
  if (!best || bestArea === 0) return null;
  const signed = ringArea(best);
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = best.length - 1; i < best.length; j = i++) {
    const [xi = 0, yi = 0] = best[i] ?? [];
    const [xj = 0, yj = 0] = best[j] ?? [];
    const f = xj * yi - xi * yj;
    cx += (xi + xj) * f;
    cy += (yi + yj) * f;
  }
  cx /= 6 * signed;
  cy /= 6 * signed;
  if (inRing(cx, cy, best)) return [cx, cy];
  // A crescent or a bent country: the middle of the widest inside stretch along the centroid's latitude.
  const xs: number[] = [];
  for (let i = 0, j = best.length - 1; i < best.length; j = i++) {
    const [xi = 0, yi = 0] = best[i] ?? [];
    const [xj = 0, yj = 0] = best[j] ?? [];
    if (yi > cy !== yj > cy) xs.push(((xj - xi) * (cy - yi)) / (yj - yi) + xi);
  }
  xs.sort((a, b) => a - b);
  let span: [number, number] | null = null;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const a = xs[i] ?? 0;
    const b = xs[i + 1] ?? 0;
    if (!span || b - a > span[1] - span[0]) span = [a, b];
  }
  return span ? [(span[0] + span[1]) / 2, cy] : [cx, cy];
}

// ---- the layer ------------------------------------------------------------------------------

interface CircleProps {
  level: 'country' | 'region';
  code: string;
  persons: number;
  trips: number;
  icon: string;
}

function circle(at: [number, number], props: Omit<CircleProps, 'icon'>): Feature<Point, CircleProps> {
  const icon = `${IMAGE_PREFIX}${classOf(props.persons)}-${shortCount(props.persons)}`;
  return { type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { ...props, icon } };
}

/** Country circles, or region circles where regions are known and the map is zoomed in. */
export function enrollmentFeatures(
  stats: EnrollmentStats,
  countries: CountryCollection,
  regions: ReadonlyMap<string, RegionCollection>,
  detail: boolean,
): FeatureCollection<Point, CircleProps> {
  const shapes = new Map(countries.features.map((f) => [f.properties.code, f.geometry]));
  const features: Feature<Point, CircleProps>[] = [];
  for (const c of stats.countries) {
    if (c.persons <= 0) continue;
    const known = c.regions.filter((r) => r.region !== null && r.persons > 0);
    const regionShapes = regions.get(c.country);
    if (detail && regionShapes && known.length > 0) {
      const byCode = new Map(regionShapes.features.map((f) => [f.properties.code, f.geometry]));
      for (const r of known) {
        const shape = r.region ? byCode.get(r.region) : undefined;
        const at = shape && labelPoint(shape);
        if (at && r.region)
          features.push(circle(at, { level: 'region', code: r.region, persons: r.persons, trips: r.trips }));
      }
      continue;
    }
    const shape = shapes.get(c.country);
    const at = shape && labelPoint(shape);
    if (at)
      features.push(circle(at, { level: 'country', code: c.country, persons: c.persons, trips: c.trips }));
  }
  // Bigger circles first, so smaller neighbours are drawn on top and stay readable.
  features.sort((a, b) => b.properties.persons - a.properties.persons);
  return { type: 'FeatureCollection', features };
}

function addLayer(map: MlMap): void {
  if (map.getSource(ENROLLMENT_SOURCE)) return;
  map.addSource(ENROLLMENT_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer(
    {
      id: ENROLLMENT_LAYER,
      type: 'symbol',
      source: ENROLLMENT_SOURCE,
      layout: {
        'icon-image': ['get', 'icon'],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        'symbol-sort-key': ['-', 0, ['get', 'persons']],
        visibility: 'none',
      },
    },
    // Under incidents: they are the news; enrollment is the backdrop of who may be affected.
    map.getLayer(INCIDENT_LAYERS.points) ? INCIDENT_LAYERS.points : undefined,
  );
}

export interface EnrollmentLayerState {
  status: 'idle' | 'loading' | 'loaded' | 'error';
  stats: EnrollmentStats | null;
  error: unknown;
  /** Distinct people over all countries shown (a person in two countries counts twice). */
  total: number;
  /** Whether regions (rather than countries) are drawn. */
  detail: boolean;
}

interface Options {
  visible: boolean;
  /** Bumped to refetch (the map's refresh tick). */
  version: number;
  countries: CountryCollection | null;
}

export function useEnrollmentLayer(
  map: MlMap | null,
  { visible, version, countries }: Options,
): EnrollmentLayerState {
  const [stats, setStats] = useState<EnrollmentStats | null>(null);
  const [status, setStatus] = useState<EnrollmentLayerState['status']>('idle');
  const [error, setError] = useState<unknown>(null);
  const [detail, setDetail] = useState(false);
  const [regions, setRegions] = useState<ReadonlyMap<string, RegionCollection>>(new Map());

  useEffect(() => {
    if (!map) return;
    addLayer(map);
    const onZoom = () => setDetail(map.getZoom() >= REGION_ZOOM);
    map.on('zoomend', onZoom);
    onZoom();
    return () => {
      map.off('zoomend', onZoom);
    };
  }, [map]);

  useEffect(() => {
    if (map?.getLayer(ENROLLMENT_LAYER))
      map.setLayoutProperty(ENROLLMENT_LAYER, 'visibility', visible ? 'visible' : 'none');
  }, [map, visible]);

  useEffect(() => {
    void version;
    if (!visible) return;
    const controller = new AbortController();
    setStatus((s) => (s === 'loaded' ? s : 'loading'));
    fetchEnrollmentStats(controller.signal).then(
      (data) => {
        setStats(data);
        setStatus('loaded');
        setError(null);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setStatus('error');
      },
    );
    return () => controller.abort();
  }, [visible, version]);

  // Region shapes, only once zoomed in, and only for countries with people in known regions.
  const requested = useRef(new Set<string>());
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  useEffect(() => {
    if (!detail || !visible || !stats) return;
    for (const c of stats.countries) {
      if (requested.current.has(c.country) || !c.regions.some((r) => r.region !== null)) continue;
      requested.current.add(c.country);
      loadRegions(c.country).then(
        (data) => alive.current && setRegions((m) => new Map(m).set(c.country, data)),
        // The country's circle stays; a later zoom tries again.
        () => requested.current.delete(c.country),
      );
    }
  }, [detail, visible, stats]);

  const data = useMemo(
    () => (stats && countries ? enrollmentFeatures(stats, countries, regions, detail) : null),
    [stats, countries, regions, detail],
  );
  useEffect(() => {
    if (!map || !data) return;
    // Images first: MapLibre 6 looks them up when it lays the symbols out.
    const ratio = Math.min(window.devicePixelRatio || 1, 3);
    for (const f of data.features) {
      const { icon, persons } = f.properties;
      if (map.hasImage(icon)) continue;
      const image = circleImage(classOf(persons), shortCount(persons));
      if (image) map.addImage(icon, image, { pixelRatio: ratio });
    }
    map.getSource<GeoJSONSource>(ENROLLMENT_SOURCE)?.setData(data);
  }, [map, data]);

  const total = stats?.countries.reduce((n, c) => n + c.persons, 0) ?? 0;
  return { status, stats, error, total, detail };
}
