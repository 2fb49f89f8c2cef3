import { useMemo } from 'react';
import type { Resource } from '../useResource.ts';
import type { CountryProperties, RegionCollection, RegionFeature } from './geo.ts';

interface Props {
  country: CountryProperties;
  regions: Resource<RegionCollection>;
  selectedRegion: string | null;
  onSelectRegion: (region: RegionFeature) => void;
  onRetryRegions: () => void;
  onZoom: () => void;
  onClose: () => void;
}

function typeLabel(type: string): string {
  const words = type.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function CountryPanel(props: Props) {
  const { country, regions, selectedRegion, onSelectRegion, onRetryRegions, onZoom, onClose } = props;
  const sorted = useMemo(
    () =>
      regions.status === 'loaded'
        ? [...regions.data.features].sort((a, b) => a.properties.name.localeCompare(b.properties.name))
        : [],
    [regions],
  );

  return (
    <aside className="country-panel" aria-labelledby="country-panel-title" data-testid="country-panel">
      <div className="country-panel-header">
        <div>
          <h2 id="country-panel-title" className="country-panel-title" data-testid="country-name">
            {country.name}
          </h2>
          <p className="country-panel-codes" data-testid="country-code">
            <abbr title="ISO 3166-1 alpha-2">{country.code}</abbr>
            {country.alpha3 ? (
              <>
                {' · '}
                <abbr title="ISO 3166-1 alpha-3">{country.alpha3}</abbr>
              </>
            ) : null}
          </p>
        </div>
        <button type="button" className="icon-button" onClick={onClose} aria-label={`Close ${country.name}`}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <button type="button" className="button button-small" onClick={onZoom}>
        Zoom to country
      </button>

      <section className="country-panel-regions" aria-labelledby="country-panel-regions-title">
        <h3 id="country-panel-regions-title">
          Regions{regions.status === 'loaded' ? ` (${sorted.length})` : ''}
        </h3>
        {regions.status === 'loading' ? (
          <p role="status" className="muted">
            Loading regions…
          </p>
        ) : null}
        {regions.status === 'error' ? (
          <div role="alert" className="inline-error">
            <p>Could not load regions: {regions.message}</p>
            <button type="button" className="button button-small" onClick={onRetryRegions}>
              Retry
            </button>
          </div>
        ) : null}
        {regions.status === 'loaded' && sorted.length === 0 ? (
          <p className="muted">No regions are recorded for this country.</p>
        ) : null}
        {sorted.length > 0 ? (
          <ul className="region-list" data-testid="region-list">
            {sorted.map((region) => (
              <li key={region.properties.code}>
                <button
                  type="button"
                  className="region-item"
                  aria-pressed={selectedRegion === region.properties.code}
                  onClick={() => onSelectRegion(region)}
                >
                  <span className="region-name">{region.properties.name}</span>
                  {region.properties.type ? (
                    <span className="region-type">{typeLabel(region.properties.type)}</span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </aside>
  );
}
