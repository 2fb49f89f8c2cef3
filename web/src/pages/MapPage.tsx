import type * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { CountryPanel } from '../map/CountryPanel.tsx';
import { CountrySearch } from '../map/CountrySearch.tsx';
import {
  type Bounds,
  fetchCountries,
  fetchRegions,
  findCountry,
  geometryBounds,
  type RegionFeature,
} from '../map/geo.ts';
import { MapView } from '../map/MapView.tsx';
import { useResource } from '../useResource.ts';

const loadCountries = (_key: string, signal: AbortSignal) => fetchCountries(signal);

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

export default function MapPage() {
  const [countries, retryCountries] = useResource('all', loadCountries);
  const [selected, setSelected] = useState<string | null>(null);
  const [regions, retryRegions] = useResource(selected, fetchRegions);
  const [selectedRegion, setSelectedRegion] = useState<string | null>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);

  useEffect(() => {
    document.title = 'Map · Warden';
  }, []);

  const countryData = countries.status === 'loaded' ? countries.data : null;
  const country = useMemo(
    () => (countryData && selected ? findCountry(countryData, selected) : undefined),
    [countryData, selected],
  );

  const selectCountry = useCallback((code: string | null) => {
    setSelected(code);
    setSelectedRegion(null);
  }, []);

  useEffect(() => {
    if (!selected) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') selectCountry(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selected, selectCountry]);

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
        selectedCountry={selected}
        selectedRegion={selectedRegion}
        onSelectCountry={selectCountry}
        onMap={setMap}
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
      </div>
      <p className="visually-hidden" aria-live="polite">
        {country ? `Selected ${country.properties.name}` : ''}
      </p>
      {country ? (
        <CountryPanel
          country={country.properties}
          regions={regions}
          selectedRegion={selectedRegion}
          onSelectRegion={selectRegion}
          onRetryRegions={retryRegions}
          onZoom={() => fitTo(map, geometryBounds(country.geometry))}
          onClose={() => selectCountry(null)}
        />
      ) : null}
    </div>
  );
}
