// MapLibre's stylesheet first, so ours can override it.
import { TextField } from '../ui/Field.tsx';
import './maplibre.ts';
import './map.css';
import type { FeatureCollection } from 'geojson';
import { type SyntheticEvent, useEffect, useId, useRef, useState } from 'react';
import { fetchCountries, type Place, searchPlaces } from '../geo/client.ts';
import { useRegions } from '../geo/reference.ts';
import type { Post } from '../posts/client.ts';
import { maplibregl } from './maplibre.ts';
import { COLORS } from './style.ts';

// Where did it happen: click the map (or drag the pin, or type coordinates, or find a place in
// the offline gazetteer). Posts are drawn for orientation, with the linking radius around them.

declare global {
  interface Window {
    /** Test hook: the point picker's map. */
    __wardenPickMap?: maplibregl.Map;
  }
}

export interface PickedPoint {
  lat: number;
  lon: number;
}

interface Props {
  value: PickedPoint | null;
  onChange: (point: PickedPoint) => void;
  /** A gazetteer place was chosen: the caller may take its name. */
  onPlace?: (place: Place) => void;
  posts: Post[];
  /** Where to look first when there is no point yet. */
  initialCenter?: PickedPoint | null;
  /** Whose first-level regions to outline, for orientation. */
  country?: string | null;
  disabled?: boolean;
  invalid?: boolean;
  /** The line under the map; the default speaks of an incident. */
  hint?: string;
}

const SRC = { countries: 'pp-countries', regions: 'pp-regions', posts: 'pp-posts' };
const empty = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });
const round5 = (n: number) => Math.round(n * 1e5) / 1e5;

function pickerStyle(): maplibregl.StyleSpecification {
  return {
    version: 8,
    sources: {
      [SRC.countries]: { type: 'geojson', data: empty() },
      [SRC.regions]: { type: 'geojson', data: empty() },
      [SRC.posts]: { type: 'geojson', data: empty() },
    },
    layers: [
      { id: 'pp-sea', type: 'background', paint: { 'background-color': COLORS.sea } },
      { id: 'pp-land', type: 'fill', source: SRC.countries, paint: { 'fill-color': COLORS.land } },
      {
        id: 'pp-regions',
        type: 'line',
        source: SRC.regions,
        paint: { 'line-color': COLORS.region, 'line-width': 1, 'line-dasharray': [3, 2] },
      },
      {
        id: 'pp-borders',
        type: 'line',
        source: SRC.countries,
        paint: { 'line-color': COLORS.border, 'line-width': 1 },
      },
      {
        id: 'pp-posts',
        type: 'circle',
        source: SRC.posts,
        paint: {
          'circle-radius': 6,
          'circle-color': '#1c2733',
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      },
    ],
  };
}

export function PointPicker({
  value,
  onChange,
  onPlace,
  posts,
  initialCenter,
  country,
  disabled,
  invalid,
  hint,
}: Props) {
  const { regions } = useRegions(country ?? null);
  const id = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const markerRef = useRef<maplibregl.Marker | null>(null);
  const live = useRef({ onChange, disabled });
  live.current = { onChange, disabled };
  const [lat, setLat] = useState(value ? String(value.lat) : '');
  const [lon, setLon] = useState(value ? String(value.lon) : '');
  const [q, setQ] = useState('');
  const [places, setPlaces] = useState<Place[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once; later values move it.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const start = value ?? initialCenter;
    const instance = new maplibregl.Map({
      container,
      style: pickerStyle(),
      center: start ? [start.lon, start.lat] : [44.4, 33.2],
      zoom: value ? 9 : start ? 8 : 4,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
    });
    instance.touchZoomRotate.disableRotation();
    instance.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    instance.getCanvas().style.cursor = 'crosshair';
    instance.on('click', (e) => {
      if (live.current.disabled) return;
      live.current.onChange({ lat: round5(e.lngLat.lat), lon: round5(e.lngLat.lng) });
    });
    // Posts are named on hover (no glyphs for labels offline).
    const label = new maplibregl.Popup({
      closeButton: false,
      closeOnClick: false,
      className: 'map-hover-label',
      offset: 10,
    });
    instance.on('mousemove', 'pp-posts', (e) => {
      const name = e.features?.[0]?.properties?.name;
      if (typeof name === 'string') label.setLngLat(e.lngLat).setText(name).addTo(instance);
    });
    instance.on('mouseleave', 'pp-posts', () => label.remove());
    instance.on('load', () => setMap(instance));
    window.__wardenPickMap = instance;
    return () => {
      if (window.__wardenPickMap === instance) delete window.__wardenPickMap;
      markerRef.current?.remove();
      markerRef.current = null;
      instance.remove();
      setMap(null);
    };
  }, []);

  useEffect(() => {
    if (!map) return;
    let alive = true;
    fetchCountries().then(
      (data) => {
        if (alive) map.getSource<maplibregl.GeoJSONSource>(SRC.countries)?.setData(data);
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [map]);

  useEffect(() => {
    map?.getSource<maplibregl.GeoJSONSource>(SRC.regions)?.setData(regions ?? empty());
  }, [map, regions]);

  useEffect(() => {
    map?.getSource<maplibregl.GeoJSONSource>(SRC.posts)?.setData({
      type: 'FeatureCollection',
      features: posts.map((p) => ({
        type: 'Feature',
        properties: { id: p.id, name: p.name },
        geometry: { type: 'Point', coordinates: [p.location.lon, p.location.lat] },
      })),
    });
  }, [map, posts]);

  // The pin follows the value; dragging it sets the value.
  useEffect(() => {
    if (!map) return;
    if (!value) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    if (!markerRef.current) {
      const element = document.createElement('div');
      element.className = 'pick-pin';
      element.dataset.testid = 'pick-pin';
      const marker = new maplibregl.Marker({ element, anchor: 'bottom', draggable: !disabled })
        .setLngLat([value.lon, value.lat])
        .addTo(map);
      marker.on('dragend', () => {
        const p = marker.getLngLat();
        live.current.onChange({ lat: round5(p.lat), lon: round5(p.lng) });
      });
      markerRef.current = marker;
    }
    markerRef.current.setLngLat([value.lon, value.lat]);
    if (!map.getBounds().contains([value.lon, value.lat])) map.easeTo({ center: [value.lon, value.lat] });
  }, [map, value, disabled]);

  // Keep the typed coordinates in step with clicks and drags.
  useEffect(() => {
    if (!value) return;
    setLat(String(value.lat));
    setLon(String(value.lon));
  }, [value]);

  const typed = () => {
    const la = Number(lat);
    const lo = Number(lon);
    if (lat.trim() === '' || lon.trim() === '') return;
    if (!Number.isFinite(la) || !Number.isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) return;
    if (value && value.lat === la && value.lon === lo) return;
    onChange({ lat: la, lon: lo });
    map?.easeTo({ center: [lo, la], zoom: Math.max(map.getZoom(), 8) });
  };

  const search = async (event: SyntheticEvent) => {
    event.preventDefault();
    event.stopPropagation();
    if (!q.trim()) return;
    setSearchError(null);
    try {
      setPlaces(await searchPlaces(q.trim(), null));
    } catch (err) {
      setSearchError(err instanceof Error ? err.message : String(err));
    }
  };

  const choose = (place: Place) => {
    setPlaces(null);
    onChange({ lat: round5(place.lat), lon: round5(place.lon) });
    onPlace?.(place);
    map?.easeTo({ center: [place.lon, place.lat], zoom: 10 });
  };

  return (
    <div className="point-picker" data-testid="point-picker">
      <div className="point-picker-tools">
        {/* Not a nested <form>: the picker sits inside the incident form. */}
        <search className="point-picker-search">
          <label htmlFor={`${id}-q`} className="field-label">
            Find a place
          </label>
          <div className="country-search-row">
            <input
              id={`${id}-q`}
              type="search"
              value={q}
              placeholder="e.g. Basrah"
              onChange={(e) => setQ(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void search(e);
              }}
              data-testid="place-search"
            />
            <button type="button" className="button" onClick={search} disabled={disabled}>
              Find
            </button>
          </div>
          {searchError ? <p className="field-error">{searchError}</p> : null}
          {places ? (
            places.length === 0 ? (
              <p className="muted small">No place of that name.</p>
            ) : (
              <ul className="place-results" data-testid="place-results">
                {places.map((p) => (
                  <li key={p.id}>
                    <button type="button" className="link-button" onClick={() => choose(p)}>
                      {p.name}
                    </button>{' '}
                    <span className="muted small">
                      {p.region ?? ''} {p.country}
                    </span>
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </search>
        <div className="point-picker-coords">
          <TextField
            id={`${id}-lat`}
            label="Latitude"
            inputMode="decimal"
            value={lat}
            disabled={disabled}
            onChange={setLat}
            onBlur={typed}
            invalid={invalid || undefined}
            data-testid="incident-lat"
          />
          <TextField
            id={`${id}-lon`}
            label="Longitude"
            inputMode="decimal"
            value={lon}
            disabled={disabled}
            onChange={setLon}
            onBlur={typed}
            invalid={invalid || undefined}
            data-testid="incident-lon"
          />
        </div>
      </div>
      <div className={`point-picker-map${invalid ? ' invalid' : ''}`}>
        <div
          ref={containerRef}
          className="point-picker-canvas"
          data-testid="pick-map"
          data-ready={map ? 'true' : 'false'}
        />
      </div>
      <p className="field-hint">
        {hint ?? 'Click the map where it happened (drag the pin to adjust). Dark dots are posts.'}
      </p>
    </div>
  );
}
