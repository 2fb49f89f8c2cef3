import type * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { fetchAdvisory, fetchAdvisoryGeoJson } from '../advisories/client.ts';
import { onChange } from '../app/changes.ts';
import { navigate } from '../app/router.tsx';
import { isReadOnly, useUser } from '../app/session.tsx';
import { useResource } from '../app/useResource.ts';
import {
  type Bounds,
  fetchCountries,
  fetchRegions,
  findCountry,
  geometryBounds,
  type RegionFeature,
} from '../geo/client.ts';
import { fetchIncidents } from '../incidents/client.ts';
import { signalSentence } from '../incidents/TrendChart.tsx';
import { typeLabel } from '../incidents/taxonomy.ts';
import { endOfDay, fetchSignals, groupSignals, type SubjectSignals } from '../incidents/trendsClient.ts';
import { fetchPosts } from '../posts/client.ts';
import { useAlertLayer } from './alertLayer.ts';
import { CountryPanel } from './CountryPanel.tsx';
import { CountrySearch } from './CountrySearch.tsx';
import { EnrollmentControls, EnrollmentSummary } from './EnrollmentControls.tsx';
import { useEnrollmentLayer } from './enrollmentLayer.ts';
import { IncidentControls, timeWindow, type WindowDays } from './IncidentControls.tsx';
import { IncidentPanel } from './IncidentPanel.tsx';
import { useIncidentLayer } from './incidentLayer.ts';
import { Legend } from './Legend.tsx';
import { MapView } from './MapView.tsx';
import { PostPanel } from './PostPanel.tsx';

const loadCountries = (_key: string, signal: AbortSignal) => fetchCountries(signal);
const loadAdvisories = (_key: string, signal: AbortSignal) => fetchAdvisoryGeoJson(signal);
const loadPosts = (_key: string, signal: AbortSignal) => fetchPosts(signal);
const loadAdvisory = (key: string, signal: AbortSignal) => fetchAdvisory(key.split('#')[0] ?? key, signal);
// Keys: "<anchor day or empty>#<tick>". Signals as of the map's time window, so the 2018 demo
// shows its rings too. The map works without them (an error, an older server): never an error.
const loadSignals = (key: string, signal: AbortSignal) => {
  const day = key.split('#')[0];
  return fetchSignals({ kind: 'post', ...(day ? { at: endOfDay(day) } : {}) }, signal).then(
    (body) => groupSignals(body.signals),
    () => [],
  );
};

/** The value once it has stopped changing for `ms` (a slider being dragged). */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** How often the map refreshes advisories and postures while it is open. */
const REFRESH_MS = 60_000;

function fitTo(map: maplibregl.Map | null, bounds: Bounds | null): void {
  if (!map || !bounds) return;
  // Keep the fitted shape clear of the side panel, which only sits beside the map on wide screens.
  const wide = map.getContainer().clientWidth > 720;
  map.fitBounds(bounds, {
    padding: { top: 48, bottom: 48, left: 48, right: wide ? 380 : 48 },
    maxZoom: 8,
    duration: 600,
  });
}

/** '/?incident=<id>&lat=..&lon=..' (from an incident page): what to show first. */
function focusFromUrl(): { id: string; lat: number; lon: number } | null {
  const params = new URLSearchParams(window.location.search);
  const id = params.get('incident');
  const lat = Number(params.get('lat'));
  const lon = Number(params.get('lon'));
  if (!id || !Number.isFinite(lat) || !Number.isFinite(lon) || !params.has('lat')) return null;
  return { id, lat, lon };
}

type Selection =
  | { kind: 'country'; code: string }
  | { kind: 'post'; id: string }
  | { kind: 'incident'; id: string }
  | null;

export default function MapPage() {
  const [countries, retryCountries] = useResource('all', loadCountries);
  const [tick, setTick] = useState(0);
  const [advisories, retryAdvisories] = useResource(`advisories#${tick}`, loadAdvisories);
  const [posts] = useResource(`posts#${tick}`, loadPosts);
  const [focus] = useState(focusFromUrl);
  const [selection, setSelection] = useState<Selection>(focus ? { kind: 'incident', id: focus.id } : null);
  const selected = selection?.kind === 'country' ? selection.code : null;
  const [regions, retryRegions] = useResource(selected, fetchRegions);
  const [freshAdvisory] = useResource(selected ? `${selected}#${tick}` : null, loadAdvisory);
  // While the periodic refresh reloads the selected country's advisory, keep showing the last one.
  const [shownAdvisory, setShownAdvisory] = useState<{ code: string; resource: typeof freshAdvisory } | null>(
    null,
  );
  useEffect(() => {
    if (selected && freshAdvisory.status !== 'loading')
      setShownAdvisory({ code: selected, resource: freshAdvisory });
  }, [selected, freshAdvisory]);
  const advisory =
    freshAdvisory.status === 'loading' && shownAdvisory && shownAdvisory.code === selected
      ? shownAdvisory.resource
      : freshAdvisory;
  const [selectedRegion, setSelectedRegion] = useState<string | null>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [readyMap, setReadyMap] = useState<maplibregl.Map | null>(null);
  const user = useUser();
  const [incidentsVisible, setIncidentsVisible] = useState(true);
  const [days, setDays] = useState<WindowDays>(focus ? 365 : 30);
  const [offset, setOffset] = useState(0);
  const [anchor, setAnchor] = useState<string | null>(null);
  const range = useMemo(
    () => timeWindow(days, offset, anchor ? Date.parse(`${anchor}T12:00:00Z`) : Date.now()),
    [days, offset, anchor],
  );
  const selectIncident = useCallback((id: string) => {
    setSelection({ kind: 'incident', id });
    setSelectedRegion(null);
  }, []);
  useAlertLayer(readyMap);
  const incidentLayer = useIncidentLayer(readyMap, {
    visible: incidentsVisible,
    from: range.from,
    to: range.to,
    version: tick,
    selectedId: selection?.kind === 'incident' ? selection.id : null,
    onSelect: selectIncident,
  });
  const [enrolledVisible, setEnrolledVisible] = useState(false);
  const enrollmentLayer = useEnrollmentLayer(readyMap, {
    visible: enrolledVisible,
    version: tick,
    countries: countries.status === 'loaded' ? countries.data : null,
  });
  // An empty period: find the newest incident in view, so the map can offer to go there.
  const [latest, setLatest] = useState<string | null>(null);
  useEffect(() => {
    setLatest(null);
    if (incidentLayer.status !== 'loaded' || incidentLayer.count > 0 || !incidentLayer.bbox) return;
    const controller = new AbortController();
    fetchIncidents({ bbox: incidentLayer.bbox, limit: 1 }, controller.signal).then(
      ({ incidents }) => {
        const day = incidents[0]?.occurredAt.slice(0, 10);
        if (day && day < range.from) setLatest(day);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [incidentLayer.status, incidentLayer.count, incidentLayer.bbox, range.from]);
  // Rings show the signals as of the end of the time window (now, unless moved back).
  const signalDay = useDebounced(anchor || offset ? range.to : '', 400);
  const [signals] = useResource(`${signalDay}#${tick}`, loadSignals);
  const [signalList, setSignalList] = useState<SubjectSignals[]>([]);
  useEffect(() => {
    if (signals.status === 'loaded') setSignalList(signals.data);
  }, [signals]);
  const threats = useMemo(() => {
    const out = new Map<string, string>();
    for (const entry of signalList) {
      if (entry.subject.kind !== 'post') continue;
      const s = entry.signals[0];
      if (!s) continue;
      out.set(
        entry.subject.id,
        signalSentence(s, s.type === 'all' ? 'incidents' : `“${typeLabel(s.type)}” incidents`),
      );
    }
    return out;
  }, [signalList]);

  useEffect(() => {
    document.title = 'Map · Warden';
  }, []);

  useEffect(() => {
    if (readyMap && focus) readyMap.jumpTo({ center: [focus.lon, focus.lat], zoom: 12 });
  }, [readyMap, focus]);

  // Keep the picture current: on a timer and whenever the console changes something.
  useEffect(() => {
    const timer = window.setInterval(() => setTick((t) => t + 1), REFRESH_MS);
    const stop = onChange(() => setTick((t) => t + 1));
    return () => {
      window.clearInterval(timer);
      stop();
    };
  }, []);

  // Keep the last good data on screen while a refresh is in flight.
  const [advisoryData, setAdvisoryData] = useState<Awaited<ReturnType<typeof fetchAdvisoryGeoJson>> | null>(
    null,
  );
  useEffect(() => {
    if (advisories.status === 'loaded') setAdvisoryData(advisories.data);
  }, [advisories]);
  const [postList, setPostList] = useState<Awaited<ReturnType<typeof fetchPosts>> | null>(null);
  useEffect(() => {
    if (posts.status === 'loaded') setPostList(posts.data);
  }, [posts]);

  const countryData = countries.status === 'loaded' ? countries.data : null;
  const country = useMemo(
    () => (countryData && selected ? findCountry(countryData, selected) : undefined),
    [countryData, selected],
  );
  const postsById = useMemo(() => new Map((postList ?? []).map((p) => [p.id, p])), [postList]);
  const selectedPost = selection?.kind === 'post' ? postsById.get(selection.id) : undefined;
  const countryNames = useMemo(
    () => new Map((countryData?.features ?? []).map((f) => [f.properties.code, f.properties.name])),
    [countryData],
  );

  const selectCountry = useCallback((code: string | null) => {
    setSelection(code ? { kind: 'country', code } : null);
    setSelectedRegion(null);
  }, []);
  const selectPost = useCallback((id: string) => {
    setSelection({ kind: 'post', id });
    setSelectedRegion(null);
  }, []);

  useEffect(() => {
    if (!selection) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setSelection(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selection]);

  const regionNames = useMemo(
    () =>
      new Map(
        (regions.status === 'loaded' ? regions.data.features : []).map((f) => [
          f.properties.code,
          f.properties.name,
        ]),
      ),
    [regions],
  );

  const selectRegion = (region: RegionFeature) => {
    setSelectedRegion(region.properties.code);
    fitTo(map, geometryBounds(region.geometry));
  };

  return (
    <div className="map-page">
      <h1 className="visually-hidden">Map</h1>
      <MapView
        countries={countryData}
        regions={regions.status === 'loaded' ? regions.data : null}
        advisories={advisoryData}
        posts={postList}
        selectedCountry={selected}
        selectedRegion={selectedRegion}
        selectedPost={selectedPost?.id ?? null}
        onSelectCountry={selectCountry}
        onSelectPost={selectPost}
        onMap={setMap}
        onReady={setReadyMap}
        threats={threats}
      />
      <div className="map-overlay map-overlay-top-left">
        {countryData ? (
          <CountrySearch
            countries={countryData.features}
            onSelect={(code) => {
              selectCountry(code);
              const feature = findCountry(countryData, code);
              if (feature) fitTo(map, geometryBounds(feature.geometry));
            }}
          />
        ) : null}
        {countries.status === 'loading' ? (
          <p className="map-status" role="status">
            Loading country boundaries…
          </p>
        ) : null}
        {countries.status === 'error' ? (
          <div className="map-status map-status-error" role="alert">
            <p>Could not load country boundaries: {countries.message}</p>
            <button type="button" className="button button-small" onClick={retryCountries}>
              Retry
            </button>
          </div>
        ) : null}
        {advisories.status === 'error' && !advisoryData ? (
          <div className="map-status map-status-error" role="alert">
            <p>Could not load travel advisories: {advisories.message}</p>
            <button type="button" className="button button-small" onClick={retryAdvisories}>
              Retry
            </button>
          </div>
        ) : null}
        <IncidentControls
          visible={incidentsVisible}
          onVisibleChange={setIncidentsVisible}
          days={days}
          onDaysChange={setDays}
          offset={offset}
          onOffsetChange={setOffset}
          window={range}
          anchor={anchor}
          onAnchorChange={setAnchor}
          latest={latest}
          layer={incidentLayer}
          onNewIncident={isReadOnly(user) ? undefined : () => navigate('/incidents/new')}
        />
        <EnrollmentControls
          visible={enrolledVisible}
          onVisibleChange={setEnrolledVisible}
          layer={enrollmentLayer}
          countryNames={countryNames}
          onSelectCountry={(code) => {
            selectCountry(code);
            const feature = countryData && findCountry(countryData, code);
            if (feature) fitTo(map, geometryBounds(feature.geometry));
          }}
        />
        {posts.status === 'error' && !postList ? (
          <div className="map-status map-status-error" role="alert">
            <p>Could not load posts: {posts.message}</p>
          </div>
        ) : null}
      </div>
      <Legend incidents={incidentsVisible} enrollment={enrolledVisible} />
      <p className="visually-hidden" aria-live="polite">
        {country
          ? `Selected ${country.properties.name}`
          : selectedPost
            ? `Selected ${selectedPost.name}`
            : ''}
      </p>
      {country ? (
        <CountryPanel
          country={country.properties}
          advisory={advisory}
          posts={postList ?? []}
          regions={regions}
          selectedRegion={selectedRegion}
          onSelectRegion={selectRegion}
          onSelectPost={(id) => {
            selectPost(id);
            const p = postsById.get(id);
            if (p && map) map.easeTo({ center: [p.location.lon, p.location.lat], duration: 400 });
          }}
          onRetryRegions={retryRegions}
          onZoom={() => fitTo(map, geometryBounds(country.geometry))}
          onClose={() => selectCountry(null)}
          extra={
            enrolledVisible ? (
              <EnrollmentSummary
                entry={enrollmentLayer.stats?.countries.find((c) => c.country === country.properties.code)}
                regionNames={regionNames}
                status={enrollmentLayer.status}
              />
            ) : null
          }
        />
      ) : null}
      {selectedPost ? (
        <PostPanel
          post={selectedPost}
          postsById={postsById}
          countryName={countryNames.get(selectedPost.country) ?? selectedPost.country}
          onSelectPost={selectPost}
          onClose={() => setSelection(null)}
          threat={threats.get(selectedPost.id)}
        />
      ) : null}
      {selection?.kind === 'incident' ? (
        <IncidentPanel
          key={selection.id}
          id={selection.id}
          postsById={postsById}
          countryNames={countryNames}
          onSelectPost={selectPost}
          onClose={() => setSelection(null)}
        />
      ) : null}
    </div>
  );
}
