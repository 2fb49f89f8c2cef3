// MapLibre's stylesheet first, so ours can override it.
import '../map/maplibre.ts';
import '../map/map.css';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type Bounds, geometryBounds } from '../geo/client.ts';
import { useRegions } from '../geo/reference.ts';
import { maplibregl } from '../map/maplibre.ts';
import { COLORS } from '../map/style.ts';

// The consular district editor: regions picked from a list or by clicking them on a small map,
// plus one polygon drawn vertex by vertex (click to add, double-click or "Finish" to close).
// Plain MapLibre with GeoJSON sources: no drawing library.

export type EditorMode = 'regions' | 'draw' | 'location';

interface Props {
  country: string;
  regions: string[];
  polygon: Polygon | MultiPolygon | null;
  location: { lat: number; lon: number } | null;
  /** Regions in the districts of other posts of the country: code -> post names. */
  others: Map<string, string[]>;
  issues: Map<string, 'overlap' | 'gap'>;
  /** Extra shapes to highlight (e.g. an overlap of drawn areas). */
  issueShapes?: Feature[];
  /** Drawn areas of other posts, shown for context. */
  otherShapes?: Feature[];
  /** Which tools to offer; all three by default. */
  tools?: readonly EditorMode[];
  /** Label of the region list. */
  listLabel?: string;
  /** The district colour key under the map (off where the editor draws something else). */
  showLegend?: boolean;
  disabled?: boolean;
  onRegionsChange: (regions: string[]) => void;
  onPolygonChange: (polygon: Polygon | null) => void;
  onLocationChange?: (location: { lat: number; lon: number }) => void;
}

const SRC = {
  countries: 'de-countries',
  regions: 'de-regions',
  draw: 'de-draw',
  issues: 'de-issues',
  post: 'de-post',
  others: 'de-others',
};
const LYR = {
  regionsFill: 'de-regions-fill',
  regionsLine: 'de-regions-line',
  drawFill: 'de-draw-fill',
  drawLine: 'de-draw-line',
  drawVertex: 'de-draw-vertex',
  issuesFill: 'de-issues-fill',
  post: 'de-post',
};

const ISSUE_COLORS = { overlap: '#c0392b', gap: '#c98a00' };

const empty = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });

function editorStyle(): maplibregl.StyleSpecification {
  return {
    version: 8,
    sources: {
      [SRC.countries]: { type: 'geojson', data: empty(), promoteId: 'code' },
      [SRC.regions]: { type: 'geojson', data: empty(), promoteId: 'code' },
      [SRC.draw]: { type: 'geojson', data: empty() },
      [SRC.issues]: { type: 'geojson', data: empty() },
      [SRC.post]: { type: 'geojson', data: empty() },
      [SRC.others]: { type: 'geojson', data: empty() },
    },
    layers: [
      { id: 'de-sea', type: 'background', paint: { 'background-color': COLORS.sea } },
      { id: 'de-land', type: 'fill', source: SRC.countries, paint: { 'fill-color': COLORS.land } },
      {
        id: 'de-borders',
        type: 'line',
        source: SRC.countries,
        paint: { 'line-color': COLORS.border, 'line-width': 1 },
      },
      {
        id: LYR.regionsFill,
        type: 'fill',
        source: SRC.regions,
        paint: {
          'fill-color': [
            'case',
            ['boolean', ['feature-state', 'selected'], false],
            '#1f5fa8',
            ['==', ['feature-state', 'issue'], 'overlap'],
            ISSUE_COLORS.overlap,
            ['==', ['feature-state', 'issue'], 'gap'],
            ISSUE_COLORS.gap,
            ['boolean', ['feature-state', 'other'], false],
            '#8a96a3',
            '#ffffff',
          ],
          'fill-opacity': [
            'case',
            ['boolean', ['feature-state', 'selected'], false],
            0.42,
            ['!=', ['coalesce', ['feature-state', 'issue'], ''], ''],
            0.38,
            ['boolean', ['feature-state', 'other'], false],
            0.22,
            ['boolean', ['feature-state', 'hover'], false],
            0.5,
            0.05,
          ],
        },
      },
      {
        id: LYR.regionsLine,
        type: 'line',
        source: SRC.regions,
        paint: {
          'line-color': [
            'case',
            ['==', ['feature-state', 'issue'], 'overlap'],
            ISSUE_COLORS.overlap,
            ['==', ['feature-state', 'issue'], 'gap'],
            ISSUE_COLORS.gap,
            ['boolean', ['feature-state', 'selected'], false],
            '#174a85',
            COLORS.region,
          ],
          'line-width': [
            'case',
            ['!=', ['coalesce', ['feature-state', 'issue'], ''], ''],
            2.5,
            ['boolean', ['feature-state', 'selected'], false],
            2,
            0.8,
          ],
        },
      },
      {
        id: 'de-others-fill',
        type: 'fill',
        source: SRC.others,
        paint: { 'fill-color': '#8a96a3', 'fill-opacity': 0.22 },
      },
      {
        id: 'de-others-line',
        type: 'line',
        source: SRC.others,
        paint: { 'line-color': '#6c7f92', 'line-width': 1.5, 'line-dasharray': [2, 2] },
      },
      {
        id: LYR.issuesFill,
        type: 'fill',
        source: SRC.issues,
        paint: {
          'fill-color': ['match', ['get', 'kind'], 'gap', ISSUE_COLORS.gap, ISSUE_COLORS.overlap],
          'fill-opacity': 0.35,
        },
      },
      {
        id: LYR.drawFill,
        type: 'fill',
        source: SRC.draw,
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': '#6b3fa0', 'fill-opacity': 0.2 },
      },
      {
        id: LYR.drawLine,
        type: 'line',
        source: SRC.draw,
        filter: ['!=', ['geometry-type'], 'Point'],
        paint: { 'line-color': '#6b3fa0', 'line-width': 2.5, 'line-dasharray': [2, 1] },
      },
      {
        id: LYR.drawVertex,
        type: 'circle',
        source: SRC.draw,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-radius': 5,
          'circle-color': '#ffffff',
          'circle-stroke-color': '#6b3fa0',
          'circle-stroke-width': 2,
        },
      },
      {
        id: LYR.post,
        type: 'circle',
        source: SRC.post,
        paint: {
          'circle-radius': 7,
          'circle-color': '#1c2733',
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2.5,
        },
      },
    ],
  };
}

function ringOf(polygon: Polygon | MultiPolygon | null): Position[] {
  if (!polygon) return [];
  const ring = polygon.type === 'Polygon' ? polygon.coordinates[0] : polygon.coordinates[0]?.[0];
  return ring ? ring.slice(0, -1) : [];
}

function drawData(vertices: Position[], closed: Polygon | MultiPolygon | null): FeatureCollection {
  const features: Feature[] = [];
  if (closed) features.push({ type: 'Feature', properties: {}, geometry: closed });
  else if (vertices.length >= 2) {
    features.push({
      type: 'Feature',
      properties: {},
      geometry: { type: 'LineString', coordinates: vertices },
    });
  }
  const points = closed ? ringOf(closed) : vertices;
  for (const p of points)
    features.push({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } });
  return { type: 'FeatureCollection', features };
}

const MODE_HELP: Record<EditorMode, string> = {
  regions:
    'Click a region on the map, or tick it in the list, to add it to the district. Click again to remove it.',
  draw: 'Click the map to add corners of the area. Double-click the last corner, or press “Finish area”, to close it.',
  location: 'Click the map where the post is.',
};

export function DistrictEditor(props: Props) {
  const {
    country,
    regions,
    polygon,
    location,
    others,
    issues,
    issueShapes,
    otherShapes,
    disabled = false,
  } = props;
  const tools = props.tools ?? (['regions', 'draw', 'location'] as const);
  const { regions: regionData, error: regionError } = useRegions(country);
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [mode, setMode] = useState<EditorMode>(tools[0] ?? 'regions');
  const [vertices, setVertices] = useState<Position[]>([]);
  const [filter, setFilter] = useState('');

  // Map handlers are bound once; they read the latest props and state through this ref.
  const live = useRef({ mode, regions, vertices, disabled, props });
  live.current = { mode, regions, vertices, disabled, props };

  const selected = useMemo(() => new Set(regions), [regions]);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const instance = new maplibregl.Map({
      container,
      style: editorStyle(),
      center: [44, 33],
      zoom: 4,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
    });
    instance.touchZoomRotate.disableRotation();
    instance.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    let hovered: string | number | undefined;

    const finish = () => {
      const { vertices: v, props: p } = live.current;
      if (v.length < 3) return;
      p.onPolygonChange({ type: 'Polygon', coordinates: [[...v, v[0] as Position]] });
      setVertices([]);
    };

    instance.on('click', (e) => {
      const { mode: m, disabled: off, props: p, regions: current } = live.current;
      if (off) return;
      if (m === 'regions') {
        const [feature] = instance.queryRenderedFeatures(e.point, { layers: [LYR.regionsFill] });
        const code = feature?.properties.code;
        if (typeof code !== 'string') return;
        p.onRegionsChange(current.includes(code) ? current.filter((r) => r !== code) : [...current, code]);
      } else if (m === 'draw') {
        const next: Position = [e.lngLat.lng, e.lngLat.lat];
        setVertices((v) => {
          const last = v[v.length - 1];
          // The two clicks of a double-click land on the same spot: keep one corner.
          if (last) {
            const a = instance.project(last as [number, number]);
            if (Math.hypot(a.x - e.point.x, a.y - e.point.y) < 6) return v;
          }
          return [...v, next];
        });
      } else {
        p.onLocationChange?.({ lat: Number(e.lngLat.lat.toFixed(5)), lon: Number(e.lngLat.lng.toFixed(5)) });
      }
    });
    instance.on('dblclick', (e) => {
      if (live.current.mode !== 'draw') return;
      e.preventDefault();
      // Let the click handlers of this double-click land first.
      window.setTimeout(finish, 0);
    });
    instance.on('mousemove', LYR.regionsFill, (e) => {
      const id = e.features?.[0]?.id;
      if (hovered !== undefined)
        instance.setFeatureState({ source: SRC.regions, id: hovered }, { hover: false });
      hovered = id;
      if (id !== undefined && live.current.mode === 'regions') {
        instance.setFeatureState({ source: SRC.regions, id }, { hover: true });
      }
      instance.getCanvas().style.cursor = live.current.mode === 'regions' ? 'pointer' : 'crosshair';
    });
    instance.on('mouseleave', LYR.regionsFill, () => {
      if (hovered !== undefined)
        instance.setFeatureState({ source: SRC.regions, id: hovered }, { hover: false });
      hovered = undefined;
      instance.getCanvas().style.cursor = live.current.mode === 'regions' ? '' : 'crosshair';
    });
    instance.on('load', () => setMap(instance));
    window.__wardenDistrictMap = instance;
    return () => {
      if (window.__wardenDistrictMap === instance) delete window.__wardenDistrictMap;
      instance.remove();
      setMap(null);
    };
  }, []);

  // Basemap: the country outlines (shared, cached by the browser).
  useEffect(() => {
    if (!map) return;
    let live = true;
    fetch('/api/geo/countries.geojson', { credentials: 'same-origin' })
      .then((r) => r.json())
      .then((data: FeatureCollection) => {
        if (live) map.getSource<maplibregl.GeoJSONSource>(SRC.countries)?.setData(data);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [map]);

  // Regions of the country, and fit the view to them when the country changes.
  useEffect(() => {
    if (!map || !regionData) return;
    map.getSource<maplibregl.GeoJSONSource>(SRC.regions)?.setData(regionData);
    let bounds: Bounds | null = null;
    for (const f of regionData.features) {
      const b = geometryBounds(f.geometry as Geometry);
      if (!b) continue;
      bounds = bounds
        ? [
            Math.min(bounds[0], b[0]),
            Math.min(bounds[1], b[1]),
            Math.max(bounds[2], b[2]),
            Math.max(bounds[3], b[3]),
          ]
        : b;
    }
    if (bounds) map.fitBounds(bounds, { padding: 24, duration: 0 });
  }, [map, regionData]);

  // Feature states: selected, other posts' regions, validation issues.
  useEffect(() => {
    if (!map || !regionData) return;
    for (const f of regionData.features) {
      const code = f.properties.code;
      map.setFeatureState(
        { source: SRC.regions, id: code },
        { selected: selected.has(code), other: others.has(code), issue: issues.get(code) ?? '' },
      );
    }
  }, [map, regionData, selected, others, issues]);

  // Issues that come with their own geometry (e.g. an overlap of drawn areas).
  useEffect(() => {
    map
      ?.getSource<maplibregl.GeoJSONSource>(SRC.issues)
      ?.setData({ type: 'FeatureCollection', features: issueShapes ?? [] });
  }, [map, issueShapes]);

  useEffect(() => {
    map
      ?.getSource<maplibregl.GeoJSONSource>(SRC.others)
      ?.setData({ type: 'FeatureCollection', features: otherShapes ?? [] });
  }, [map, otherShapes]);

  useEffect(() => {
    map
      ?.getSource<maplibregl.GeoJSONSource>(SRC.draw)
      ?.setData(drawData(vertices, vertices.length ? null : polygon));
  }, [map, vertices, polygon]);

  useEffect(() => {
    const data: FeatureCollection = location
      ? {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: {},
              geometry: { type: 'Point', coordinates: [location.lon, location.lat] },
            },
          ],
        }
      : empty();
    map?.getSource<maplibregl.GeoJSONSource>(SRC.post)?.setData(data);
  }, [map, location]);

  useEffect(() => {
    if (!map) return;
    if (mode === 'draw') map.doubleClickZoom.disable();
    else map.doubleClickZoom.enable();
    map.getCanvas().style.cursor = mode === 'regions' ? '' : 'crosshair';
  }, [map, mode]);

  const finishDrawing = () => {
    if (vertices.length < 3) return;
    props.onPolygonChange({ type: 'Polygon', coordinates: [[...vertices, vertices[0] as Position]] });
    setVertices([]);
  };

  const q = filter.trim().toLowerCase();
  const list = (regionData?.features ?? []).filter(
    (f) => !q || f.properties.name.toLowerCase().includes(q) || f.properties.code.toLowerCase().includes(q),
  );

  return (
    <div className="district-editor" data-testid="district-editor" data-mode={mode}>
      <div className="district-list">
        <div className="district-list-head">
          <span className="field-label">
            {props.listLabel ?? 'Regions in the district'} <span className="muted">({regions.length})</span>
          </span>
          <input
            type="search"
            placeholder="Filter regions"
            aria-label="Filter regions"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        </div>
        {regionError ? <p className="field-error">Could not load the regions of {country}.</p> : null}
        {!regionData && !regionError ? <p className="muted">Loading regions…</p> : null}
        <ul className="region-picker region-picker-tall" data-testid="district-regions">
          {list.map((f) => {
            const code = f.properties.code;
            const issue = issues.get(code);
            const owners = others.get(code);
            return (
              <li key={code} data-issue={issue ?? undefined}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={selected.has(code)}
                    disabled={disabled}
                    data-region={code}
                    onChange={(e) =>
                      props.onRegionsChange(
                        e.target.checked ? [...regions, code] : regions.filter((r) => r !== code),
                      )
                    }
                  />
                  <span>
                    {f.properties.name} <span className="muted small">{code}</span>
                    {owners ? <span className="region-owner">{owners.join(', ')}</span> : null}
                  </span>
                  {issue ? (
                    <span className={`issue-tag issue-${issue}`}>
                      {issue === 'overlap' ? 'Overlap' : 'Gap'}
                    </span>
                  ) : null}
                </label>
              </li>
            );
          })}
        </ul>
      </div>

      <div className="district-map-wrap">
        <div className="district-toolbar">
          <fieldset className="segmented">
            <legend className="visually-hidden">Map tool</legend>
            {(
              [
                ['regions', 'Pick regions'],
                ['draw', 'Draw area'],
                ['location', 'Place post'],
              ] as const
            )
              .filter(([value]) => tools.includes(value))
              .map(([value, label]) => (
                <button
                  key={value}
                  type="button"
                  className="segmented-button"
                  aria-pressed={mode === value}
                  disabled={disabled}
                  onClick={() => {
                    setMode(value);
                    if (value !== 'draw') setVertices([]);
                  }}
                  data-testid={`tool-${value}`}
                >
                  {label}
                </button>
              ))}
          </fieldset>
          {mode === 'draw' ? (
            <div className="district-draw-actions">
              <button
                type="button"
                className="button button-small button-primary"
                onClick={finishDrawing}
                disabled={vertices.length < 3}
                data-testid="finish-area"
              >
                Finish area{vertices.length ? ` (${vertices.length} corners)` : ''}
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => setVertices((v) => v.slice(0, -1))}
                disabled={vertices.length === 0}
              >
                Undo corner
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  setVertices([]);
                  props.onPolygonChange(null);
                }}
                disabled={!polygon && vertices.length === 0}
                data-testid="clear-area"
              >
                Clear area
              </button>
            </div>
          ) : null}
        </div>
        <p className="district-help muted small" role="status">
          {MODE_HELP[mode]}
          {mode === 'draw' && polygon && vertices.length === 0
            ? ' Drawing again replaces the current area.'
            : ''}
        </p>
        <div className="district-map" data-testid="district-map" data-ready={map ? 'true' : 'false'}>
          <div ref={containerRef} className="map-canvas" />
        </div>
        {props.showLegend === false ? null : (
          <ul className="legend-inline small" aria-label="Map key">
            <li>
              <span className="swatch" style={{ background: 'rgb(31 95 168 / 45%)' }} /> In this district
            </li>
            <li>
              <span className="swatch" style={{ background: 'rgb(138 150 163 / 35%)' }} /> Another post’s
              district
            </li>
            <li>
              <span
                className="swatch"
                style={{ background: 'rgb(107 63 160 / 30%)', borderColor: '#6b3fa0' }}
              />{' '}
              Drawn area
            </li>
            <li>
              <span className="swatch" style={{ background: `${ISSUE_COLORS.overlap}66` }} /> Overlap
            </li>
            <li>
              <span className="swatch" style={{ background: `${ISSUE_COLORS.gap}66` }} /> Gap (no post)
            </li>
          </ul>
        )}
      </div>
    </div>
  );
}

declare global {
  interface Window {
    /** Test hook for the district editor's map. */
    __wardenDistrictMap?: maplibregl.Map;
  }
}
