import { type ReactNode, useMemo } from 'react';
import type { AdvisoryDetail } from '../advisories/client.ts';
import { Link } from '../app/router.tsx';
import type { Resource } from '../app/useResource.ts';
import type { CountryProperties, RegionCollection, RegionFeature } from '../geo/client.ts';
import type { Post } from '../posts/client.ts';
import { stateOf } from '../posts/postureClient.ts';
import { Indicators, LevelBadge, PostureBadge } from '../ui/Badges.tsx';
import { formatDate, isPast } from '../ui/format.ts';

interface Props {
  country: CountryProperties;
  advisory: Resource<AdvisoryDetail>;
  posts: Post[];
  regions: Resource<RegionCollection>;
  selectedRegion: string | null;
  onSelectRegion: (region: RegionFeature) => void;
  onSelectPost: (id: string) => void;
  onRetryRegions: () => void;
  onZoom: () => void;
  onClose: () => void;
  /** More sections under the advisory (e.g. enrollment counts). */
  extra?: ReactNode;
}

function typeLabel(type: string): string {
  const words = type.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function AdvisorySection({ advisory, code }: { advisory: Resource<AdvisoryDetail>; code: string }) {
  if (advisory.status === 'loading') return <p className="muted small">Loading advisory…</p>;
  if (advisory.status === 'error')
    return <p className="field-error">Could not load the advisory: {advisory.message}</p>;
  if (advisory.status !== 'loaded') return null;
  const current = advisory.data.current;
  if (!current) {
    return (
      <section className="panel-section" data-testid="panel-advisory">
        <p className="muted">No travel advisory is published.</p>
        <Link to={`/advisories/${code}`} className="panel-link">
          Advisory page →
        </Link>
      </section>
    );
  }
  const e = current.edition;
  const late = current.overdue || isPast(current.nextReviewDue);
  return (
    <section className="panel-section" data-testid="panel-advisory" data-level={e.level}>
      <LevelBadge level={e.level} long testId="panel-advisory-level" />
      <Indicators codes={e.indicators} long />
      {e.summary ? <p className="panel-summary">{e.summary}</p> : null}
      {e.zones.length > 0 ? (
        <>
          <h3 className="panel-heading">Regional levels</h3>
          <ul className="panel-zones">
            {e.zones.map((z, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: zones are identified by their position.
              <li key={i}>
                <LevelBadge level={z.level} /> {z.name}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="muted small">
        Edition {e.number} · published {formatDate(e.publishedAt)}
        {late ? <span className="text-overdue"> · review overdue</span> : null}
      </p>
      <Link to={`/advisories/${code}`} className="panel-link" data-testid="panel-advisory-link">
        Open the advisory →
      </Link>
    </section>
  );
}

export function CountryPanel(props: Props) {
  const { country, advisory, posts, regions, selectedRegion } = props;
  const sorted = useMemo(
    () =>
      regions.status === 'loaded'
        ? [...regions.data.features].sort((a, b) => a.properties.name.localeCompare(b.properties.name))
        : [],
    [regions],
  );
  const countryPosts = posts
    .filter((p) => p.country === country.code)
    .sort((a, b) => a.name.localeCompare(b.name));

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
        <button
          type="button"
          className="icon-button"
          onClick={props.onClose}
          aria-label={`Close ${country.name}`}
        >
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="country-panel-body">
        <AdvisorySection advisory={advisory} code={country.code} />
        {props.extra}

        {countryPosts.length > 0 ? (
          <section className="panel-section">
            <h3 className="panel-heading">Posts</h3>
            <ul className="panel-posts">
              {countryPosts.map((p) => (
                <li key={p.id}>
                  <button type="button" className="region-item" onClick={() => props.onSelectPost(p.id)}>
                    <span className="region-name">{p.name}</span>
                    <PostureBadge posture={stateOf(p)} />
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        <section
          className="panel-section country-panel-regions"
          aria-labelledby="country-panel-regions-title"
        >
          <h3 id="country-panel-regions-title" className="panel-heading">
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
              <button type="button" className="button button-small" onClick={props.onRetryRegions}>
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
                    onClick={() => props.onSelectRegion(region)}
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
        <button type="button" className="button button-small" onClick={props.onZoom}>
          Zoom to country
        </button>
      </div>
    </aside>
  );
}
