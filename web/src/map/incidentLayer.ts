import type { FeatureCollection, Point } from 'geojson';
import type {
  ExpressionSpecification,
  GeoJSONSource,
  GeoJSONSourceSpecification,
  Map as MlMap,
} from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { PointFeatureProperties } from '../../../src/domain/incidents/geojson.ts';
import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';
import type { IncidentFilter } from '../incidents/client.ts';
import { INCIDENT_TYPES, TYPE_COLORS, typeColor, typeLabel } from '../incidents/taxonomy.ts';
import { formatCount, formatDate, plural } from '../ui/format.ts';
import { maplibregl } from './maplibre.ts';

// The incident layer of the main map: a clustered GeoJSON source of the incidents in view and in
// the chosen time window. The offline style has no glyphs, so cluster counts are HTML markers
// (a ring split by event type with the count in the middle); single incidents are circles in
// their type's colour.

export const INCIDENT_SOURCE = 'incidents';
export const INCIDENT_LAYERS = {
  points: 'incidents-points',
  selected: 'incidents-selected',
} as const;

/** The most incidents one request asks for; the layer says when there are more in view. */
export const INCIDENT_LIMIT = 5000;

/** What the layer draws of an incident (`fields=map`); the panel reads the rest on click. */
type PointCollection = FeatureCollection<Point, PointFeatureProperties> & { nextCursor?: string | null };

const empty = (): PointCollection => ({ type: 'FeatureCollection', features: [] });

function fetchPoints(filter: IncidentFilter, signal: AbortSignal): Promise<PointCollection> {
  return apiJson<PointCollection>(`/api/incidents.geojson${query({ ...filter, fields: 'map' })}`, { signal });
}

function typeColorExpression(): ExpressionSpecification {
  const stops = INCIDENT_TYPES.flatMap((t) => [t, TYPE_COLORS[t]]);
  return ['match', ['get', 'type'], ...stops, TYPE_COLORS.other] as unknown as ExpressionSpecification;
}

function sourceSpec(): GeoJSONSourceSpecification {
  return {
    type: 'geojson',
    data: empty(),
    cluster: true,
    clusterRadius: 42,
    clusterMaxZoom: 11,
    // Per-type counts in each cluster, for the ring around its count.
    clusterProperties: Object.fromEntries(
      INCIDENT_TYPES.map((t) => [t, ['+', ['case', ['==', ['get', 'type'], t], 1, 0]]]),
    ),
  };
}

function addLayer(map: MlMap): void {
  if (map.getSource(INCIDENT_SOURCE)) return;
  map.addSource(INCIDENT_SOURCE, sourceSpec());
  map.addLayer({
    id: INCIDENT_LAYERS.points,
    type: 'circle',
    source: INCIDENT_SOURCE,
    filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-color': typeColorExpression(),
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 3, 4.5, 8, 6.5, 12, 8],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
      // Retracted incidents are never on the map layer.
      'circle-opacity': 0.92,
    },
  });
  map.addLayer({
    id: INCIDENT_LAYERS.selected,
    type: 'circle',
    source: INCIDENT_SOURCE,
    filter: ['==', ['get', 'id'], '\u0000none'],
    paint: {
      'circle-color': 'rgba(0,0,0,0)',
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 3, 9, 8, 11, 12, 13],
      'circle-stroke-color': '#1c2733',
      'circle-stroke-width': 2.5,
    },
  });
}

function setVisible(map: MlMap, visible: boolean): void {
  for (const id of Object.values(INCIDENT_LAYERS)) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }
}

const wrapLon = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
const round = (n: number) => Math.round(n * 1e4) / 1e4;

/** minLon,minLat,maxLon,maxLat of the view, padded a little; west > east across the antimeridian. */
export function viewBBox(map: MlMap): string {
  const b = map.getBounds();
  const padLon = (b.getEast() - b.getWest()) * 0.1;
  const padLat = (b.getNorth() - b.getSouth()) * 0.1;
  const south = Math.max(-90, b.getSouth() - padLat);
  const north = Math.min(90, b.getNorth() + padLat);
  let west = b.getWest() - padLon;
  let east = b.getEast() + padLon;
  if (east - west >= 360) {
    west = -180;
    east = 180;
  } else {
    west = wrapLon(west);
    east = wrapLon(east);
    if (east === -180) east = 180;
  }
  return [west, south, east, north].map(round).join(',');
}

/**
 * A ring of type slices (SVG: no glyphs needed). The count is an HTML pill at its lower right, so
 * a post marker sitting on the cluster's centre never hides it.
 */
function clusterSvg(counts: [string, number][], total: number): string {
  const r = total >= 1000 ? 28 : total >= 100 ? 25 : total >= 10 ? 22 : 19;
  const w = 6;
  const rr = r - w / 2;
  const size = r * 2;
  let angle = -Math.PI / 2;
  const arcs = counts
    .filter(([, n]) => n > 0)
    .map(([type, n]) => {
      const sweep = (n / total) * Math.PI * 2;
      const a0 = angle;
      const a1 = angle + sweep;
      angle = a1;
      const color = typeColor(type);
      if (sweep >= Math.PI * 2 - 1e-6) {
        return `<circle cx="${r}" cy="${r}" r="${rr}" fill="none" stroke="${color}" stroke-width="${w}"/>`;
      }
      const x0 = r + rr * Math.cos(a0);
      const y0 = r + rr * Math.sin(a0);
      const x1 = r + rr * Math.cos(a1);
      const y1 = r + rr * Math.sin(a1);
      const large = sweep > Math.PI ? 1 : 0;
      return `<path d="M${x0.toFixed(2)} ${y0.toFixed(2)}A${rr} ${rr} 0 ${large} 1 ${x1.toFixed(2)} ${y1.toFixed(2)}" fill="none" stroke="${color}" stroke-width="${w}"/>`;
    })
    .join('');
  const label = total >= 10_000 ? `${formatCount(Math.round(total / 1000))}k` : formatCount(total);
  return `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" aria-hidden="true" focusable="false"><circle cx="${r}" cy="${r}" r="${r - 1}" fill="#ffffff" fill-opacity="0.55"/>${arcs}<circle cx="${r}" cy="${r}" r="${r - 0.5}" fill="none" stroke="#ffffff" stroke-width="1"/></svg><span class="incident-cluster-count" aria-hidden="true">${label}</span>`;
}

export interface IncidentLayerState {
  status: 'idle' | 'loading' | 'loaded' | 'error';
  /** Incidents in the last answer. */
  count: number;
  /** More incidents match than were fetched (zoom in or narrow the window). */
  truncated: boolean;
  error: unknown;
  /** The box last fetched (minLon,minLat,maxLon,maxLat). */
  bbox: string;
}

interface Options {
  visible: boolean;
  from: string;
  to: string;
  /** Bumped to refetch (e.g. after an incident was saved). */
  version: number;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/**
 * Adds the incident layer to a loaded map and keeps it current: refetches for the view (after
 * each move) and the time window, clusters, and reports what it shows.
 */
export function useIncidentLayer(map: MlMap | null, options: Options): IncidentLayerState {
  const { visible, from, to, version, selectedId } = options;
  const [state, setState] = useState<IncidentLayerState>({
    status: 'idle',
    count: 0,
    truncated: false,
    error: null,
    bbox: '',
  });
  const onSelectRef = useRef(options.onSelect);
  onSelectRef.current = options.onSelect;
  const [viewKey, setViewKey] = useState('');
  // Cluster ids restart with each new data set: markers of an older set must go.
  const generationRef = useRef(0);

  // Source, layers, clicks, hover label and cluster markers: once per map.
  useEffect(() => {
    if (!map) return;
    addLayer(map);
    const markers = new Map<number, maplibregl.Marker>();
    let markersOf = generationRef.current;
    const hover = new maplibregl.Popup({
      closeButton: false,
      closeOnClick: false,
      className: 'map-hover-label',
      offset: 10,
    });

    const updateMarkers = () => {
      const source = map.getSource<GeoJSONSource>(INCIDENT_SOURCE);
      const visibleNow = map.getLayoutProperty(INCIDENT_LAYERS.points, 'visibility') !== 'none';
      const seen = new Set<number>();
      if (markersOf !== generationRef.current) {
        for (const marker of markers.values()) marker.remove();
        markers.clear();
        markersOf = generationRef.current;
      }
      if (source && visibleNow) {
        for (const f of map.querySourceFeatures(INCIDENT_SOURCE)) {
          const p = f.properties;
          if (!p?.cluster) continue;
          const id = Number(p.cluster_id);
          if (seen.has(id)) continue;
          seen.add(id);
          if (markers.has(id)) continue;
          const total = Number(p.point_count);
          const counts = INCIDENT_TYPES.map((t) => [t, Number(p[t] ?? 0)] as [string, number]);
          const element = document.createElement('button');
          element.type = 'button';
          element.className = 'incident-cluster';
          element.dataset.testid = 'incident-cluster';
          element.dataset.count = String(total);
          const parts = counts
            .filter(([, n]) => n > 0)
            .map(([t, n]) => `${typeLabel(t)} ${n}`)
            .join(', ');
          element.setAttribute('aria-label', `${plural(total, 'incident')} here (${parts}). Zoom in.`);
          element.title = `${plural(total, 'incident')}: ${parts}`;
          element.innerHTML = clusterSvg(counts, total);
          const coords = (f.geometry as Point).coordinates as [number, number];
          element.addEventListener('click', (event) => {
            event.stopPropagation();
            source.getClusterExpansionZoom(id).then(
              (zoom) => map.easeTo({ center: coords, zoom: Math.min(zoom, 14), duration: 500 }),
              () => undefined,
            );
          });
          markers.set(id, new maplibregl.Marker({ element, anchor: 'center' }).setLngLat(coords).addTo(map));
        }
      }
      for (const [id, marker] of markers) {
        if (!seen.has(id)) {
          marker.remove();
          markers.delete(id);
        }
      }
    };

    const onRender = () => {
      if (map.getSource(INCIDENT_SOURCE) && map.isSourceLoaded(INCIDENT_SOURCE)) updateMarkers();
    };
    const onClick = (e: maplibregl.MapLayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id;
      if (typeof id === 'string') onSelectRef.current(id);
    };
    const onMove = (e: maplibregl.MapLayerMouseEvent) => {
      const p = e.features?.[0]?.properties;
      map.getCanvas().style.cursor = 'pointer';
      if (!p) return;
      hover
        .setLngLat(e.lngLat)
        .setText(`${String(p.typeLabel ?? typeLabel(String(p.type)))} · ${formatDate(String(p.occurredAt))}`)
        .addTo(map);
    };
    const onLeave = () => {
      map.getCanvas().style.cursor = '';
      hover.remove();
    };
    const onMoveEnd = () => setViewKey(viewBBox(map));

    map.on('render', onRender);
    map.on('click', INCIDENT_LAYERS.points, onClick);
    map.on('mousemove', INCIDENT_LAYERS.points, onMove);
    map.on('mouseleave', INCIDENT_LAYERS.points, onLeave);
    map.on('moveend', onMoveEnd);
    setViewKey(viewBBox(map));
    return () => {
      map.off('render', onRender);
      map.off('click', INCIDENT_LAYERS.points, onClick);
      map.off('mousemove', INCIDENT_LAYERS.points, onMove);
      map.off('mouseleave', INCIDENT_LAYERS.points, onLeave);
      map.off('moveend', onMoveEnd);
      hover.remove();
      for (const marker of markers.values()) marker.remove();
      markers.clear();
    };
  }, [map]);

  useEffect(() => {
    if (!map?.getSource(INCIDENT_SOURCE)) return;
    setVisible(map, visible);
    map.triggerRepaint();
  }, [map, visible]);

  useEffect(() => {
    if (!map?.getLayer(INCIDENT_LAYERS.selected)) return;
    map.setFilter(INCIDENT_LAYERS.selected, ['==', ['get', 'id'], selectedId ?? '\u0000none']);
  }, [map, selectedId]);

  // Fetch what is in view, a moment after the map stops moving.
  useEffect(() => {
    void version;
    if (!map || !visible || !viewKey) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setState((s) => ({ ...s, status: 'loading', error: null }));
      fetchPoints({ bbox: viewKey, from, to, limit: INCIDENT_LIMIT }, controller.signal).then(
        (data) => {
          if (controller.signal.aborted) return;
          generationRef.current += 1;
          map.getSource<GeoJSONSource>(INCIDENT_SOURCE)?.setData(data);
          setState({
            status: 'loaded',
            count: data.features.length,
            truncated: !!data.nextCursor,
            error: null,
            bbox: viewKey,
          });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setState((s) => ({ ...s, status: 'error', error }));
        },
      );
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [map, visible, viewKey, from, to, version]);

  return state;
}
