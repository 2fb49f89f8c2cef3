import 'maplibre-gl/dist/maplibre-gl.css';
import './map.css';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import type { CountryCollection, RegionCollection } from './geo.ts';
import { codeFilter, LAYERS, offlineStyle, SOURCES } from './style.ts';

// Bundlers rewrite import.meta.url, so MapLibre cannot find its worker next to itself; point it
// at the copy Vite emits.
maplibregl.setWorkerUrl(workerUrl);

declare global {
  interface Window {
    /** Test hook: lets browser tests project coordinates and query rendered features. */
    __wardenMap?: maplibregl.Map;
  }
}

const INITIAL_VIEW = { center: [44.4, 33.2] as [number, number], zoom: 4 };

interface Props {
  countries: CountryCollection | null;
  regions: RegionCollection | null;
  selectedCountry: string | null;
  selectedRegion: string | null;
  onSelectCountry: (code: string | null) => void;
  onMap: (map: maplibregl.Map | null) => void;
}

export function MapView({
  countries,
  regions,
  selectedCountry,
  selectedRegion,
  onSelectCountry,
  onMap,
}: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // Cleanups of later effects run after the map is removed on unmount; they must not touch it.
  const liveMapRef = useRef<maplibregl.Map | null>(null);
  // Map event handlers are bound once; read the latest callbacks through refs.
  const onSelectRef = useRef(onSelectCountry);
  onSelectRef.current = onSelectCountry;
  const onMapRef = useRef(onMap);
  onMapRef.current = onMap;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let instance: maplibregl.Map;
    try {
      instance = new maplibregl.Map({
        container,
        style: offlineStyle(),
        ...INITIAL_VIEW,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
      });
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
      return;
    }
    instance.touchZoomRotate.disableRotation();
    instance.keyboard.disableRotation();
    // Bottom-left: the country panel occupies the right-hand side.
    instance.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-left');
    instance.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');

    const hoverLabel = new maplibregl.Popup({
      closeButton: false,
      closeOnClick: false,
      className: 'map-hover-label',
      offset: 14,
    });
    let hovered: string | number | undefined;
    const setHover = (id: string | number | undefined) => {
      if (hovered === id) return;
      if (hovered !== undefined)
        instance.setFeatureState({ source: SOURCES.countries, id: hovered }, { hover: false });
      hovered = id;
      if (id !== undefined) instance.setFeatureState({ source: SOURCES.countries, id }, { hover: true });
    };

    instance.on('mousemove', LAYERS.countriesFill, (e) => {
      const feature = e.features?.[0];
      setHover(feature?.id);
      const name = feature?.properties.name;
      if (typeof name === 'string') hoverLabel.setLngLat(e.lngLat).setText(name).addTo(instance);
      instance.getCanvas().style.cursor = 'pointer';
    });
    instance.on('mouseleave', LAYERS.countriesFill, () => {
      setHover(undefined);
      hoverLabel.remove();
      instance.getCanvas().style.cursor = '';
    });
    instance.on('click', (e) => {
      const [feature] = instance.queryRenderedFeatures(e.point, { layers: [LAYERS.countriesFill] });
      const code = feature?.properties.code;
      onSelectRef.current(typeof code === 'string' ? code : null);
    });
    instance.on('load', () => setMap(instance));

    liveMapRef.current = instance;
    window.__wardenMap = instance;
    onMapRef.current(instance);
    return () => {
      liveMapRef.current = null;
      onMapRef.current(null);
      if (window.__wardenMap === instance) delete window.__wardenMap;
      hoverLabel.remove();
      instance.remove();
      setMap(null);
      setReady(false);
    };
  }, []);

  useEffect(() => {
    if (!map || !countries) return;
    const source = map.getSource<maplibregl.GeoJSONSource>(SOURCES.countries);
    if (!source) return;
    let cancelled = false;
    // 'idle' only fires once the worker has tiled the new data and the frame is drawn, which is
    // the moment the map is genuinely showing countries.
    source.setData(countries);
    map.once('idle', () => {
      if (!cancelled) setReady(true);
    });
    return () => {
      cancelled = true;
    };
  }, [map, countries]);

  useEffect(() => {
    if (!map) return;
    const source = map.getSource<maplibregl.GeoJSONSource>(SOURCES.regions);
    source?.setData(regions ?? { type: 'FeatureCollection', features: [] });
  }, [map, regions]);

  useEffect(() => {
    if (!map || !selectedCountry) return;
    map.setFilter(LAYERS.countrySelected, codeFilter(selectedCountry));
    map.setFeatureState({ source: SOURCES.countries, id: selectedCountry }, { selected: true });
    return () => {
      if (liveMapRef.current !== map) return;
      map.setFilter(LAYERS.countrySelected, codeFilter(null));
      map.setFeatureState({ source: SOURCES.countries, id: selectedCountry }, { selected: false });
    };
  }, [map, selectedCountry]);

  useEffect(() => {
    if (!map) return;
    map.setFilter(LAYERS.regionSelected, codeFilter(selectedRegion));
  }, [map, selectedRegion]);

  return (
    <div
      className="map"
      data-testid="map"
      data-ready={ready ? 'true' : 'false'}
      data-country-count={countries?.features.length ?? 0}
    >
      {/* MapLibre owns this element's children, so React must not render into it. */}
      <div ref={containerRef} className="map-canvas" />
      {failure ? (
        <div className="map-failure" role="alert">
          <p>The map could not start in this browser.</p>
          <p className="map-failure-detail">{failure}</p>
        </div>
      ) : null}
    </div>
  );
}
