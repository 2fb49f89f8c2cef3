import { useEffect, useId, useState } from 'react';
import { announceChange } from '../app/changes.ts';
import { Link, useSearchParams } from '../app/router.tsx';
import { can, isReadOnly, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import type { Post } from '../posts/client.ts';
import type { Task } from '../tasks/client.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { formatDate } from '../ui/format.ts';
import { Loaded, Section } from '../ui/Page.tsx';
import { fetchIncidents } from './client.ts';
import { SignalSummary, TrendChart } from './TrendChart.tsx';
import { endOfDay, fetchPostTrend, openThreatReview } from './trendsClient.ts';

// Keys: "<postId>|<YYYY-MM-DD or empty>#<version>".
const parseKey = (key: string) => {
  const [id = '', date = ''] = (key.split('#')[0] ?? '').split('|');
  return { id, date };
};
const loadTrend = (key: string, signal: AbortSignal) => {
  const { id, date } = parseKey(key);
  return fetchPostTrend(id, date ? endOfDay(date) : null, signal);
};

/** The date of the newest incident near the post, when the past year has none (e.g. the 2018 demo). */
function useLatestNearby(postId: string, wanted: boolean): string | null {
  const [latest, setLatest] = useState<string | null>(null);
  useEffect(() => {
    if (!wanted) return;
    const controller = new AbortController();
    fetchIncidents({ postId, limit: 1 }, controller.signal).then(
      ({ incidents }) => setLatest(incidents[0]?.occurredAt.slice(0, 10) ?? null),
      () => undefined,
    );
    return () => controller.abort();
  }, [postId, wanted]);
  return wanted ? latest : null;
}

/** The post page's threat section: 52 weeks of nearby incidents, the rising-threat test, a review. */
export function PostThreat({ post }: { post: Post }) {
  const user = useUser();
  const id = useId();
  const [version, setVersion] = useState(0);
  // '?at=2018-09-28' (from the Threats page looking at a past date) opens the trend as of then.
  const params = useSearchParams();
  const [asOf, setAsOf] = useState(() =>
    /^\d{4}-\d{2}-\d{2}$/.test(params.get('at') ?? '') ? (params.get('at') ?? '') : '',
  );
  const [trend, retry] = useResource(`${post.id}|${asOf}#${version}`, loadTrend);
  const [opened, setOpened] = useState<{ task: Task; created: boolean } | null>(null);
  const review = useAction(openThreatReview);
  const canReview = can.changePosture(user, post);
  const loaded = trend.status === 'loaded' ? trend.data : null;
  const firing = !!loaded?.firing;
  const empty = !!loaded && !asOf && loaded.weeks.every((w) => w.total === 0);
  const latest = useLatestNearby(post.id, empty);

  return (
    <Section
      title="Threat trend"
      id="threat"
      testId="post-threat"
      actions={
        <>
          {!isReadOnly(user) ? (
            <Link to={`/incidents/new?near=${encodeURIComponent(post.id)}`} className="button button-small">
              Log incident nearby
            </Link>
          ) : null}
          <Link to={`/incidents?postId=${encodeURIComponent(post.id)}`} className="button button-small">
            Incidents nearby
          </Link>
          {canReview && !asOf ? (
            <button
              type="button"
              className={firing ? 'button button-small button-primary' : 'button button-small'}
              disabled={review.busy}
              onClick={async () => {
                const r = await review.run(post.id);
                if (r) {
                  setOpened(r);
                  announceChange();
                }
              }}
              data-testid="open-review"
            >
              Open review
            </button>
          ) : null}
        </>
      }
    >
      {opened ? (
        <div
          className="notice notice-good"
          role="status"
          data-testid="review-opened"
          data-created={opened.created}
        >
          <p>
            {opened.created ? 'Opened a threat review task: ' : 'A threat review is already open: '}
            <Link to="/tasks">{opened.task.title}</Link>
          </p>
        </div>
      ) : null}
      <ErrorNotice error={review.error} title="Review not opened" />
      <div className="as-of">
        <label htmlFor={`${id}-asof`}>As of</label>
        <input
          id={`${id}-asof`}
          type="date"
          value={asOf}
          max={new Date().toISOString().slice(0, 10)}
          onChange={(e) => setAsOf(e.target.value)}
          data-testid="trend-as-of"
        />
        {asOf ? (
          <button type="button" className="link-button small" onClick={() => setAsOf('')}>
            Back to now
          </button>
        ) : (
          <span className="muted small">now</span>
        )}
      </div>
      {latest ? (
        <p className="notice notice-info small" data-testid="trend-latest-hint">
          No incidents near this post in the past year. The latest was on {formatDate(latest)}.{' '}
          <button type="button" className="link-button" onClick={() => setAsOf(latest)}>
            Show the year up to then
          </button>
        </p>
      ) : null}
      <Loaded resource={trend} onRetry={retry} what="the threat trend">
        {(t) => (
          <>
            <SignalSummary trend={t} />
            <TrendChart
              trend={t}
              title={`Incidents within ${t.radiusKm ?? '—'} km of ${post.name}, per week${asOf ? ` up to ${formatDate(asOf)}` : ''}`}
              testId="post-trend-chart"
            />
            <p className="muted small">
              Counted: incidents within {t.radiusKm ?? '—'} km of the post, retracted ones left out.{' '}
              <button type="button" className="link-button" onClick={() => setVersion((v) => v + 1)}>
                Refresh
              </button>
            </p>
            {t.method ? (
              <details className="small">
                <summary>How the signal is computed</summary>
                <p>{t.method}</p>
              </details>
            ) : null}
          </>
        )}
      </Loaded>
    </Section>
  );
}
