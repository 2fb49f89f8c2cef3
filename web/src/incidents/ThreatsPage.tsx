import { useEffect, useId, useState } from 'react';
import { announceChange } from '../app/changes.ts';
import { Link, setSearchParams, useSearchParams } from '../app/router.tsx';
import { inScope, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { type CountryInfo, loadCountries, useRegions } from '../geo/reference.ts';
import type { Task } from '../tasks/client.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { SelectField } from '../ui/Field.tsx';
import { formatDate, formatDateTime } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import { fetchIncidents } from './client.ts';
import { SignalSummary, signalSentence, TrendChart } from './TrendChart.tsx';
import { typeColor, typeLabel } from './taxonomy.ts';
import {
  endOfDay,
  fetchRegionTrend,
  fetchSignals,
  groupSignals,
  openThreatReview,
  type SubjectSignals,
} from './trendsClient.ts';

// Keys carry the "as of" date: "<date or empty>" and "<region>|<date or empty>".
const loadSignals = async (key: string, signal: AbortSignal) => {
  const body = await fetchSignals(key ? { at: endOfDay(key) } : {}, signal);
  return { at: body.at, groups: groupSignals(body.signals), method: body.method };
};
const loadRegionTrend = (key: string, signal: AbortSignal) => {
  const [code = '', date = ''] = key.split('|');
  return fetchRegionTrend(code, date ? endOfDay(date) : null, signal);
};

const what = (type: string) => (type === 'all' ? 'incidents' : `“${typeLabel(type)}” incidents`);

function SignalCard({
  group,
  countryName,
  onShowRegion,
  live,
  asOf,
}: {
  group: SubjectSignals;
  countryName: string;
  onShowRegion: (code: string) => void;
  /** Signals as of now (a review is opened now, so not for a past date). */
  live: boolean;
  /** The "as of" day, carried to the post page. */
  asOf: string;
}) {
  const user = useUser();
  const s = group.subject;
  const review = useAction(openThreatReview);
  const [opened, setOpened] = useState<{ task: Task; created: boolean } | null>(null);
  const canReview = live && s.kind === 'post' && inScope(user, { postId: s.id, country: s.country });
  // A type whose counts are the same as all incidents' says nothing more.
  const all = group.signals.find((x) => x.type === 'all');
  const shown = group.signals.filter(
    (x) => x === all || !all || x.recent !== all.recent || x.baseline !== all.baseline,
  );
  return (
    <li className="card signal-card" data-testid={`signal-${group.key}`} data-kind={s.kind}>
      <div className="signal-card-head">
        <div>
          <span className="badge">{s.kind === 'post' ? 'Post' : 'Region'}</span>{' '}
          {s.kind === 'post' ? (
            <Link to={`/posts/${s.id}${asOf ? `?at=${asOf}` : ''}#threat`} className="strong-link">
              {s.name}
            </Link>
          ) : (
            <button type="button" className="link-button strong-link" onClick={() => onShowRegion(s.code)}>
              {s.name}
            </button>
          )}{' '}
          <span className="muted small">{countryName}</span>
        </div>
        {canReview ? (
          <button
            type="button"
            className="button button-small"
            disabled={review.busy}
            onClick={async () => {
              const r = await review.run(s.id);
              if (r) {
                setOpened(r);
                announceChange();
              }
            }}
            data-testid="signal-open-review"
          >
            Open review
          </button>
        ) : null}
      </div>
      <ul className="signal-types">
        {shown.map((sig) => (
          <li key={sig.type}>
            <span
              className="swatch"
              style={{ background: sig.type === 'all' ? '#1c2733' : typeColor(sig.type) }}
              aria-hidden="true"
            />
            {signalSentence(sig, what(sig.type))}
          </li>
        ))}
      </ul>
      {opened ? (
        <p className="small text-good" role="status">
          {opened.created ? 'Review task opened: ' : 'A review is already open: '}
          <Link to="/tasks">{opened.task.title}</Link>
        </p>
      ) : null}
      <ErrorNotice error={review.error} title="Review not opened" />
    </li>
  );
}

/** The newest incident's day when it is older than the test's 16 weeks (e.g. the 2018 demo). */
function useStaleLatest(wanted: boolean): string | null {
  const [latest, setLatest] = useState<string | null>(null);
  useEffect(() => {
    if (!wanted) return;
    const controller = new AbortController();
    fetchIncidents({ limit: 1 }, controller.signal).then(
      ({ incidents }) => {
        const at = incidents[0]?.occurredAt;
        if (at && Date.now() - Date.parse(at) > 16 * 7 * 86_400_000) setLatest(at.slice(0, 10));
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [wanted]);
  return wanted ? latest : null;
}

function RegionExplorer({ region, asOf }: { region: string | null; asOf: string }) {
  const id = useId();
  const [countries, setCountries] = useState<CountryInfo[]>([]);
  const [country, setCountry] = useState(region?.slice(0, 2) ?? 'IQ');
  const { regions, names } = useRegions(country);
  const [trend, retry] = useResource(region ? `${region}|${asOf}` : null, loadRegionTrend);
  useEffect(() => {
    loadCountries().then(setCountries, () => undefined);
  }, []);
  useEffect(() => {
    if (region) setCountry(region.slice(0, 2));
  }, [region]);
  return (
    <Section title="Trend of a region" testId="region-trend">
      <div className="form-row">
        <SelectField id={`${id}-country`} label="Country" value={country} onChange={setCountry}>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          id={`${id}-region`}
          label="Region"
          value={region ?? ''}
          onChange={(v) => setSearchParams({ region: v || null })}
          data-testid="region-select"
        >
          <option value="">Choose a region</option>
          {(regions?.features ?? []).map((f) => (
            <option key={f.properties.code} value={f.properties.code}>
              {f.properties.name}
            </option>
          ))}
        </SelectField>
      </div>
      {region ? (
        <Loaded resource={trend} onRetry={retry} what="the region's trend">
          {(t) => (
            <>
              <SignalSummary trend={t} testId="region-signal" />
              <TrendChart
                trend={t}
                title={`Incidents in ${names.get(region) ?? t.subject?.name ?? region}, per week`}
                testId="region-trend-chart"
              />
            </>
          )}
        </Loaded>
      ) : (
        <p className="muted small">Weekly incidents in a governorate or province over the past year.</p>
      )}
    </Section>
  );
}

export default function ThreatsPage() {
  const params = useSearchParams();
  const region = params.get('region');
  const asOf = params.get('at') ?? '';
  const [signals, retry] = useResource(asOf, loadSignals);
  const quiet = !asOf && signals.status === 'loaded' && signals.data.groups.length === 0;
  const stale = useStaleLatest(quiet);
  const [countryNames, setCountryNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    loadCountries().then(
      (list) => setCountryNames(new Map(list.map((c) => [c.code, c.name]))),
      () => undefined,
    );
  }, []);

  return (
    <Page
      title="Threats"
      testId="threats-page"
      wide
      meta={
        <p className="muted">
          Where incidents are rising: the last 4 weeks against the 12 before, near each post and in each
          region.
        </p>
      }
    >
      <div className="as-of">
        <label htmlFor="threats-as-of">As of</label>
        <input
          id="threats-as-of"
          type="date"
          value={asOf}
          max={new Date().toISOString().slice(0, 10)}
          onChange={(e) => setSearchParams({ at: e.target.value || null })}
          data-testid="threats-as-of"
        />
        {asOf ? (
          <button type="button" className="link-button small" onClick={() => setSearchParams({ at: null })}>
            Back to now
          </button>
        ) : (
          <span className="muted small">now — pick a past date to see the signals as they stood then</span>
        )}
      </div>
      <Section title="Rising-threat signals" testId="signals">
        <Loaded resource={signals} onRetry={retry} what="signals">
          {({ at, groups, method }) => (
            <>
              {groups.length === 0 ? (
                <>
                  <p className="muted" data-testid="no-signals">
                    No rising threat anywhere as of {formatDateTime(at)}.
                  </p>
                  {stale ? (
                    <p className="notice notice-info small" data-testid="signals-stale-hint">
                      The newest incident on record is from {formatDate(stale)}.{' '}
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => setSearchParams({ at: stale })}
                      >
                        See the signals as they stood then
                      </button>
                    </p>
                  ) : null}
                </>
              ) : (
                <ul className="plain-list signal-list" data-testid="signal-list">
                  {groups.map((g) => (
                    <SignalCard
                      key={g.key}
                      group={g}
                      countryName={countryNames.get(g.subject.country) ?? g.subject.country}
                      onShowRegion={(code) => setSearchParams({ region: code })}
                      live={!asOf}
                      asOf={asOf}
                    />
                  ))}
                </ul>
              )}
              {method ? (
                <details className="small">
                  <summary>How signals are computed</summary>
                  <p>{method}</p>
                  <p>
                    Each type is tested on its own as well as all together, without correction for testing
                    several: read a signal as a prompt for review, not as proof.
                  </p>
                </details>
              ) : null}
            </>
          )}
        </Loaded>
      </Section>
      <RegionExplorer key={region ?? ''} region={region} asOf={asOf} />
    </Page>
  );
}
