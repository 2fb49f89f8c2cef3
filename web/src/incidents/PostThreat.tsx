import { useState } from 'react';
import { announceChange } from '../client/changes.ts';
import type { Post } from '../client/posts.ts';
import type { Task } from '../client/tasks.ts';
import { fetchPostTrend, openThreatReview } from '../client/trends.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Loaded, Section } from '../components/Page.tsx';
import { Link } from '../router.tsx';
import { can, isReadOnly, useUser } from '../session.tsx';
import { useAction } from '../useAction.ts';
import { useResource } from '../useResource.ts';
import { SignalSummary, TrendChart } from './TrendChart.tsx';

const loadTrend = (key: string, signal: AbortSignal) => fetchPostTrend(key.split('#')[0] ?? key, signal);

/** The post page's threat section: 52 weeks of nearby incidents, the rising-threat test, a review. */
export function PostThreat({ post }: { post: Post }) {
  const user = useUser();
  const [version, setVersion] = useState(0);
  const [trend, retry] = useResource(`${post.id}#${version}`, loadTrend);
  const [opened, setOpened] = useState<{ task: Task; created: boolean } | null>(null);
  const review = useAction(openThreatReview);
  const canReview = can.changePosture(user, post);
  const firing = trend.status === 'loaded' && trend.data.firing;

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
          {canReview ? (
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
      <Loaded resource={trend} onRetry={retry} what="the threat trend">
        {(t) => (
          <>
            <SignalSummary trend={t} />
            <TrendChart
              trend={t}
              title={`Incidents within ${t.radiusKm ?? '—'} km of ${post.name}, per week`}
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
