// MapLibre's stylesheet first, so ours can override it.
import './maplibre.ts';
import './map.css';
import { useEffect, useRef, useState } from 'react';
import { isLevel, LEVEL_COLORS, LEVELS } from '../../../src/domain/advisories/levels.ts';
import { POSTURE_LABELS } from '../../../src/domain/posts/labels.ts';
import type { AdvisoryFeatureCollection } from '../advisories/client.ts';
import type { CountryCollection, RegionCollection } from '../geo/client.ts';
import type { Post } from '../posts/client.ts';
import { stateOf } from '../posts/postureClient.ts';
import { INCIDENT_LAYERS } from './incidentLayer.ts';
import { maplibregl } from './maplibre.ts';
import { codeFilter, hatchImage, hatchPattern, LAYERS, offlineStyle, SOURCES } from './style.ts';

declare global {
  interface Window {
    /** Test hook: lets browser tests project coordinates and query rendered features. */
    __wardenMap?: maplibregl.Map;
  }
}

const INITIAL_VIEW = { center: [44.4, 33.2] as [number, number], zoom: 4 };

/** One letter per posture, so the markers do not rely on colour alone. */
const POSTURE_GLYPH: Record<string, string> = {
  normal: '',
  authorized_departure: 'A',
  ordered_departure: 'O',
  suspended: 'S',
};

interface Props {
  countries: CountryCollection | null;
  regions: RegionCollection | null;
  advisories: AdvisoryFeatureCollection | null;
  posts: Post[] | null;
  selectedCountry: string | null;
  selectedRegion: string | null;
  selectedPost: string | null;
  onSelectCountry: (code: string | null) => void;
  onSelectPost: (id: string) => void;
  onMap: (map: maplibregl.Map | null) => void;
  /** Called once the style has loaded, when layers may be added. */
  onReady?: (map: maplibregl.Map | null) => void;
  /** Posts with a firing rising-threat signal: id -> the signal in words. */
  threats?: ReadonlyMap<string, string>;
}

/** Whether an incident (point or cluster) is under the pointer: it, not the country, gets the event. */
function onIncident(map: maplibregl.Map, point: maplibregl.PointLike, target: EventTarget | null): boolean {
  if (target instanceof Element && target.closest('.incident-cluster')) return true;
  if (!map.getLayer(INCIDENT_LAYERS.points)) return false;
  if (map.getLayoutProperty(INCIDENT_LAYERS.points, 'visibility') === 'none') return false;
  return map.queryRenderedFeatures(point, { layers: [INCIDENT_LAYERS.points] }).length > 0;
}

export function MapView({
  countries,
  regions,
  advisories,
  posts,
  selectedCountry,
  selectedRegion,
  selectedPost,
  onSelectCountry,
  onSelectPost,
  onMap,
  onReady,
  threats,
}: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);
  const [advisoryCount, setAdvisoryCount] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  // Cleanups of later effects run after the map is removed on unmount; they must not touch it.
  const liveMapRef = useRef<maplibregl.Map | null>(null);
  // Map event handlers are bound once; read the latest callbacks through refs.
  const onSelectRef = useRef(onSelectCountry);
  onSelectRef.current = onSelectCountry;
  const onSelectPostRef = useRef(onSelectPost);
  onSelectPostRef.current = onSelectPost;
  const onMapRef = useRef(onMap);
  onMapRef.current = onMap;
  const onReadyRef = useRef(onReady);
  onReadyRef.current = onReady;
  const markersRef = useRef(new Map<string, { marker: maplibregl.Marker; element: HTMLButtonElement }>());

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
    // Bottom-left: the side panel occupies the right-hand side, the legend the bottom right.
    instance.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-left');
    instance.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');

    // Hatch patterns for regional zones: generated, since the offline style has no sprite.
    const addHatches = () => {
      for (const level of LEVELS) {
        const name = hatchImage(level);
        if (!instance.hasImage(name))
          instance.addImage(name, hatchPattern(LEVEL_COLORS[level]), { pixelRatio: 2 });
      }
    };
    instance.on('styleimagemissing', (e) => {
      if (e.id.startsWith('hatch-')) addHatches();
    });

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
      if (onIncident(instance, e.point, e.originalEvent.target)) {
        hoverLabel.remove();
        return;
      }
      const feature = e.features?.[0];
      setHover(feature?.id);
      const name = feature?.properties.name;
      const level =
        feature?.id !== undefined
          ? instance.getFeatureState({ source: SOURCES.countries, id: feature.id }).level
          : undefined;
      if (typeof name === 'string') {
        hoverLabel
          .setLngLat(e.lngLat)
          .setText(isLevel(level) ? `${name} · Level ${level}` : name)
          .addTo(instance);
      }
      instance.getCanvas().style.cursor = 'pointer';
    });
    instance.on('mouseleave', LAYERS.countriesFill, () => {
      setHover(undefined);
      hoverLabel.remove();
      instance.getCanvas().style.cursor = '';
    });
    instance.on('click', (e) => {
      // A click on a post marker is the marker's, not the country's under it.
      const target = e.originalEvent.target;
      if (target instanceof Element && target.closest('.post-marker')) return;
      if (onIncident(instance, e.point, target)) return;
      const [feature] = instance.queryRenderedFeatures(e.point, { layers: [LAYERS.countriesFill] });
      const code = feature?.properties.code;
      onSelectRef.current(typeof code === 'string' ? code : null);
    });
    instance.on('load', () => {
      addHatches();
      setMap(instance);
      onReadyRef.current?.(instance);
    });

    liveMapRef.current = instance;
    window.__wardenMap = instance;
    onMapRef.current(instance);
    const markers = markersRef.current;
    return () => {
      liveMapRef.current = null;
      onMapRef.current(null);
      onReadyRef.current?.(null);
      if (window.__wardenMap === instance) delete window.__wardenMap;
      for (const { marker } of markers.values()) marker.remove();
      markers.clear();
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

  // National levels as feature state of the basemap's countries; zones as their own source.
  useEffect(() => {
    if (!map || !countries) return;
    const levels = new Map<string, number>();
    const zones: AdvisoryFeatureCollection = { type: 'FeatureCollection', features: [] };
    for (const f of advisories?.features ?? []) {
      if (f.properties.kind === 'zone') zones.features.push(f);
      else if (isLevel(f.properties.level)) levels.set(f.properties.country, f.properties.level);
    }
    for (const f of countries.features) {
      const code = f.properties.code;
      map.setFeatureState({ source: SOURCES.countries, id: code }, { level: levels.get(code) ?? 0 });
    }
    map.getSource<maplibregl.GeoJSONSource>(SOURCES.zones)?.setData(zones);
    setAdvisoryCount(levels.size);
  }, [map, countries, advisories]);

  useEffect(() => {
    if (!map) return;
    const source = map.getSource<maplibregl.GeoJSONSource>(SOURCES.regions);
    source?.setData(regions ?? { type: 'FeatureCollection', features: [] });
  }, [map, regions]);

  // Posts as HTML markers: real buttons, so they are reachable by keyboard and screen reader.
  useEffect(() => {
    if (!map) return;
    const markers = markersRef.current;
    const seen = new Set<string>();
    for (const post of posts ?? []) {
      seen.add(post.id);
      const state = stateOf(post);
      let entry = markers.get(post.id);
      if (!entry) {
        const element = document.createElement('button');
        element.type = 'button';
        element.addEventListener('click', (event) => {
          event.stopPropagation();
          onSelectPostRef.current(post.id);
        });
        // A pin: the round head stands above the post's spot on a short stem, so the incident
        // cluster centred on the same city stays readable and clickable beside it.
        const marker = new maplibregl.Marker({ element, anchor: 'bottom', offset: [0, -20] })
          .setLngLat([post.location.lon, post.location.lat])
          .addTo(map);
        entry = { marker, element };
        markers.set(post.id, entry);
      }
      entry.marker.setLngLat([post.location.lon, post.location.lat]);
      const { element } = entry;
      // Toggle classes, never assign className: MapLibre's own ('maplibregl-marker', the anchor)
      // position the marker, and without them every marker after the first is pushed down.
      for (const c of [...element.classList]) if (c.startsWith('posture-')) element.classList.remove(c);
      element.classList.add('post-marker', `posture-${state}`);
      element.dataset.testid = `post-marker-${post.id}`;
      element.dataset.posture = state;
      element.textContent = POSTURE_GLYPH[state] ?? '';
      const threat = threats?.get(post.id);
      element.classList.toggle('threat-rising', !!threat);
      if (threat) element.dataset.threat = 'rising';
      else delete element.dataset.threat;
      element.title = `${post.name}: ${POSTURE_LABELS[state] ?? state}${threat ? `\n${threat}` : ''}`;
      element.setAttribute(
        'aria-label',
        `${post.name}, ${POSTURE_LABELS[state] ?? state}${threat ? `. ${threat}` : ''}`,
      );
    }
    for (const [id, { marker }] of markers) {
      if (!seen.has(id)) {
        marker.remove();
        markers.delete(id);
      }
    }
  }, [map, posts, threats]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: markers are (re)created when posts or the map change.
  useEffect(() => {
    for (const [id, { element }] of markersRef.current) {
      element.classList.toggle('selected', id === selectedPost);
      element.setAttribute('aria-pressed', id === selectedPost ? 'true' : 'false');
    }
  }, [selectedPost, posts, map, threats]);

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
      data-advisory-count={advisoryCount}
      data-post-count={posts?.length ?? 0}
    >
      {/* MapLibre owns this element's children, so React must not render into it. */}
      <div ref={containerRef} className="map-canvas" />
      {!ready && !failure ? (
        // Until the countries are drawn (WebGL start-up, the worker tiling the boundaries: seconds
        // on a slow machine), say so rather than show an empty sea (issue 16).
        <div className="map-loading" role="status" data-testid="map-loading">
          <span className="map-loading-spinner" aria-hidden="true" />
          Drawing the map…
        </div>
      ) : null}
      {failure ? (
        <div className="map-failure" role="alert">
          <p>The map could not start in this browser.</p>
          <p className="map-failure-detail">{failure}</p>
        </div>
      ) : null}
    </div>
  );
}
