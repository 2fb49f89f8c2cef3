import type { DepartureScope } from '../../../src/domain/posts/types.ts';
import { Link } from '../app/router.tsx';
import type { Post } from '../posts/client.ts';
import { DEPARTURE_LABELS, POST_KIND_LABELS } from '../posts/labels.ts';
import { ServiceList } from '../posts/PostureDetails.tsx';
import { activeDelegateId, stateOf } from '../posts/postureClient.ts';
import { PostureBadge } from '../ui/Badges.tsx';
import { formatDate, formatDateTime, isPast } from '../ui/format.ts';

interface Props {
  post: Post;
  postsById: Map<string, Post>;
  countryName: string;
  onSelectPost: (id: string) => void;
  onClose: () => void;
  /** The post's firing rising-threat signal, in words. */
  threat?: string;
}

/** What a duty officer needs at a glance when they click a post on the map. */
export function PostPanel({ post, postsById, countryName, onSelectPost, onClose, threat }: Props) {
  const state = stateOf(post);
  const p = post.posture;
  const activeId = activeDelegateId(post);
  const delegate = activeId ? postsById.get(activeId) : undefined;
  const standby = !activeId && post.coverageDelegateId ? postsById.get(post.coverageDelegateId) : undefined;
  const covering = [...postsById.values()].filter((o) => activeDelegateId(o) === post.id);
  return (
    <aside className="country-panel post-panel" aria-labelledby="post-panel-title" data-testid="post-panel">
      <div className="country-panel-header">
        <div>
          <h2 id="post-panel-title" className="country-panel-title" data-testid="post-panel-name">
            {post.name}
          </h2>
          <p className="muted small">
            {POST_KIND_LABELS[post.kind] ?? post.kind} · {post.city ? `${post.city}, ` : ''}
            {countryName}
          </p>
        </div>
        <button type="button" className="icon-button" onClick={onClose} aria-label={`Close ${post.name}`}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="country-panel-body">
        <section className="panel-section">
          <PostureBadge posture={state} testId="post-panel-posture" />
          {p ? (
            <p className="small">
              Since {formatDateTime(p.effectiveAt)}
              {p.reviewBy ? (
                <span className={isPast(p.reviewBy) ? 'text-overdue' : undefined}>
                  {' '}
                  · review by {formatDate(p.reviewBy)}
                </span>
              ) : null}
            </p>
          ) : null}
          {p && state !== 'normal' ? (
            <p className="small">
              Staff: {DEPARTURE_LABELS[p.departure.staff as DepartureScope] ?? p.departure.staff} · Family:{' '}
              {DEPARTURE_LABELS[p.departure.family as DepartureScope] ?? p.departure.family}
            </p>
          ) : null}
          {post.pendingRequestId ? (
            <p className="small text-warn">
              A posture change awaits approval.{' '}
              <Link to={`/approvals/${post.pendingRequestId}`}>Open it</Link>
            </p>
          ) : null}
        </section>
        {threat ? (
          <section className="panel-section">
            <p className="small signal-inline" data-testid="post-panel-threat">
              <span aria-hidden="true">▲ </span>
              {threat}
            </p>
            <Link to={`/posts/${post.id}#threat`} className="small">
              Threat trend
            </Link>
          </section>
        ) : null}
        <section className="panel-section">
          <h3 className="panel-heading">Services</h3>
          <ServiceList services={p?.services} />
        </section>
        <section className="panel-section" data-testid="post-panel-coverage">
          <h3 className="panel-heading">Coverage</h3>
          {delegate ? (
            <p className="small">
              Citizens in this district are served by{' '}
              <button type="button" className="link-button" onClick={() => onSelectPost(delegate.id)}>
                {delegate.name}
              </button>
              .
            </p>
          ) : (
            <p className="small muted">
              The post serves its own district.
              {standby ? ` If it cannot, ${standby.name} will.` : ''}
            </p>
          )}
          {covering.length > 0 ? (
            <p className="small">Also serving: {covering.map((c) => c.name).join(', ')}</p>
          ) : null}
        </section>
        {p?.statement?.text ? (
          <section className="panel-section">
            <h3 className="panel-heading">Public statement</h3>
            <blockquote className="statement">
              <p className="prewrap">{p.statement.text}</p>
              {p.statement.by ? <footer>— {p.statement.by}</footer> : null}
            </blockquote>
          </section>
        ) : null}
        {post.contact.phone ? (
          <p className="small">
            Phone: <a href={`tel:${post.contact.phone}`}>{post.contact.phone}</a>
          </p>
        ) : null}
        <Link to={`/posts/${post.id}`} className="button button-small" data-testid="post-panel-link">
          Open post page
        </Link>
      </div>
    </aside>
  );
}
