import type { DepartureScope } from '../../../src/domain/posts/types.ts';
import type { PersonLabel } from '../app/people.ts';
import { Link } from '../app/router.tsx';
import { PostureBadge } from '../ui/Badges.tsx';
import { formatDate, formatDateTime, formatRelative, isPast } from '../ui/format.ts';
import type { Post } from './client.ts';
import { DEPARTURE_LABELS, SERVICE_LABELS, SERVICES } from './labels.ts';
import type { PostureChange, PostureFactsLike } from './postureClient.ts';

function departure(value: string | undefined | null): string {
  if (!value) return '—';
  return DEPARTURE_LABELS[value as DepartureScope] ?? value;
}

export function ServiceList({ services }: { services: PostureFactsLike['services'] | undefined }) {
  if (!services) return <span className="muted">Not recorded</span>;
  return (
    <ul className="service-list">
      {SERVICES.map((s) => (
        <li
          key={s}
          className={services[s] ? 'service-on' : 'service-off'}
          data-service={s}
          data-open={services[s] ? 'true' : 'false'}
        >
          <span aria-hidden="true">{services[s] ? '✓' : '✕'}</span> {SERVICE_LABELS[s]}
          <span className="visually-hidden">{services[s] ? ' continues' : ' stopped'}</span>
        </li>
      ))}
    </ul>
  );
}

export function CoverageLink({
  id,
  postsById,
}: {
  id: string | null | undefined;
  postsById?: Map<string, Post>;
}) {
  if (!id) return <span className="muted">No delegate</span>;
  const post = postsById?.get(id);
  return post ? <Link to={`/posts/${post.id}`}>{post.name}</Link> : <code>{id}</code>;
}

/** The full content of a posture (current, historical or requested) as a definition list. */
export function PostureFacts({
  content,
  postsById,
  compact = false,
  /** For a request: whether it changes the delegate at all (absent means "unchanged"). */
  delegateUnchanged = false,
}: {
  content: PostureFactsLike;
  postsById?: Map<string, Post>;
  compact?: boolean;
  delegateUnchanged?: boolean;
}) {
  return (
    <dl className={compact ? 'facts facts-compact' : 'facts'}>
      <dt>Posture</dt>
      <dd>
        <PostureBadge posture={content.state} />
      </dd>
      <dt>Staff departure</dt>
      <dd>{departure(content.departure?.staff)}</dd>
      <dt>Family members</dt>
      <dd>{departure(content.departure?.family)}</dd>
      <dt>Services</dt>
      <dd>
        <ServiceList services={content.services} />
      </dd>
      <dt>Effective</dt>
      <dd>{content.effectiveAt ? formatDateTime(content.effectiveAt) : 'On approval'}</dd>
      <dt>Review by</dt>
      <dd className={isPast(content.reviewBy) ? 'text-overdue' : undefined}>
        {formatDate(content.reviewBy)}
        {isPast(content.reviewBy) ? ' (overdue)' : ''}
      </dd>
      <dt>Covered by</dt>
      <dd>
        {delegateUnchanged ? (
          <span className="muted">Unchanged</span>
        ) : (
          <CoverageLink id={content.coverageDelegateId} postsById={postsById} />
        )}
      </dd>
      {!compact ? (
        <>
          <dt>Reason</dt>
          <dd className="prewrap">{content.reason || <span className="muted">—</span>}</dd>
        </>
      ) : null}
      {content.statement?.text ? (
        <>
          <dt>Statement</dt>
          <dd>
            <blockquote className="statement">
              <p className="prewrap">{content.statement.text}</p>
              {content.statement.by ? <footer>— {content.statement.by}</footer> : null}
            </blockquote>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** Newest first; each entry says what changed, when, why and who. */
export function PostureTimeline({
  history,
  postsById,
  person,
}: {
  history: PostureChange[];
  postsById: Map<string, Post>;
  person: PersonLabel;
}) {
  if (history.length === 0) return <p className="muted">No posture changes recorded yet.</p>;
  const sorted = [...history].sort(
    (a, b) => b.effectiveAt.localeCompare(a.effectiveAt) || b.createdAt.localeCompare(a.createdAt),
  );
  return (
    <ol className="timeline" data-testid="posture-timeline">
      {sorted.map((change, i) => (
        <li key={change.id} className={`timeline-item posture-${change.state}`} data-state={change.state}>
          <div className="timeline-marker" aria-hidden="true" />
          <div className="timeline-body">
            <div className="timeline-head">
              <PostureBadge posture={change.state} />
              {change.previousState && change.previousState !== change.state ? (
                <span className="muted small">from {change.previousState.replace(/_/g, ' ')}</span>
              ) : null}
              <span className="timeline-when">
                {formatDateTime(change.effectiveAt)}{' '}
                <span className="muted">({formatRelative(change.effectiveAt)})</span>
              </span>
              {i === 0 ? <span className="badge tone-info">Current</span> : null}
            </div>
            {change.reason ? <p className="timeline-reason prewrap">{change.reason}</p> : null}
            <p className="muted small">
              By {person(change.createdBy)}
              {change.approvedBy ? ` · approved by ${person(change.approvedBy)}` : ''}
            </p>
            <details className="timeline-details">
              <summary>Details</summary>
              <PostureFacts content={change} postsById={postsById} compact />
            </details>
          </div>
        </li>
      ))}
    </ol>
  );
}
