import { useMemo, useState } from 'react';
import { POSTURE_STATES } from '../../../src/domain/posts/types.ts';
import { Link } from '../app/router.tsx';
import { can, useUser } from '../app/session.tsx';
import { useResource } from '../app/useResource.ts';
import { useCountryNames } from '../geo/reference.ts';
import { PostureBadge } from '../ui/Badges.tsx';
import { formatDate, isPast } from '../ui/format.ts';
import { Loaded, Page } from '../ui/Page.tsx';
import { fetchPosts, type Post } from './client.ts';
import { POST_KIND_LABELS, SERVICE_LABELS, SERVICES } from './labels.ts';
import { activeDelegateId, stateOf } from './postureClient.ts';

const loadPosts = (_key: string, signal: AbortSignal) => fetchPosts(signal);

/** Most serious first, so a post in trouble is never below the fold. */
const SEVERITY = Object.fromEntries(POSTURE_STATES.map((p, i) => [p, POSTURE_STATES.length - i]));

export function ServicesSummary({ post }: { post: Post }) {
  const services = post.posture?.services;
  if (!services) return <span className="muted">—</span>;
  const open = SERVICES.filter((s) => services[s]);
  if (open.length === SERVICES.length) return <span>All services</span>;
  if (open.length === 0) return <span className="text-warn">No services</span>;
  return <span>{open.map((s) => SERVICE_LABELS[s]).join(', ')}</span>;
}

export default function PostsPage() {
  const user = useUser();
  const [posts, retry] = useResource('posts', loadPosts);
  const names = useCountryNames();
  const [filter, setFilter] = useState('');

  const byId = useMemo(
    () => new Map(posts.status === 'loaded' ? posts.data.map((p) => [p.id, p]) : []),
    [posts],
  );

  return (
    <Page
      title="Posts"
      testId="posts-page"
      meta={
        <p className="muted">
          Embassies, consulates and offices, their posture and who covers their district.
        </p>
      }
      actions={
        can.createPost(user) ? (
          <Link to="/posts/new" className="button button-primary" data-testid="new-post">
            New post
          </Link>
        ) : null
      }
    >
      <Loaded resource={posts} onRetry={retry} what="posts">
        {(list) => {
          const q = filter.trim().toLowerCase();
          const shown = list
            .filter(
              (p) =>
                !q ||
                p.name.toLowerCase().includes(q) ||
                p.city.toLowerCase().includes(q) ||
                p.country.toLowerCase() === q ||
                (names.get(p.country) ?? '').toLowerCase().includes(q),
            )
            .sort(
              (a, b) =>
                (SEVERITY[stateOf(b)] ?? 0) - (SEVERITY[stateOf(a)] ?? 0) ||
                a.country.localeCompare(b.country) ||
                a.name.localeCompare(b.name),
            );
          if (list.length === 0) {
            return (
              <div className="empty">
                <p>No posts yet.</p>
                {can.createPost(user) ? (
                  <Link to="/posts/new" className="button">
                    Create the first post
                  </Link>
                ) : null}
              </div>
            );
          }
          return (
            <>
              <div className="toolbar">
                <label className="toolbar-search">
                  <span className="visually-hidden">Filter posts</span>
                  <input
                    type="search"
                    placeholder="Filter by name, city or country"
                    value={filter}
                    onChange={(e) => setFilter(e.target.value)}
                  />
                </label>
                <span className="muted">
                  {shown.length} of {list.length}
                </span>
              </div>
              <div className="table-wrap">
                <table className="table" data-testid="posts-table">
                  <thead>
                    <tr>
                      <th scope="col">Post</th>
                      <th scope="col">Country</th>
                      <th scope="col">Posture</th>
                      <th scope="col">Services</th>
                      <th scope="col">Covered by</th>
                      <th scope="col">Review by</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((post) => {
                      const reviewBy = post.posture?.reviewBy;
                      const coverId = activeDelegateId(post);
                      const cover = coverId ? byId.get(coverId) : undefined;
                      return (
                        <tr key={post.id} data-testid={`post-row-${post.id}`}>
                          <td>
                            <Link to={`/posts/${post.id}`} className="strong-link">
                              {post.name}
                            </Link>
                            <div className="muted small">
                              {POST_KIND_LABELS[post.kind] ?? post.kind}
                              {post.city ? ` · ${post.city}` : ''}
                            </div>
                          </td>
                          <td>{names.get(post.country) ?? post.country}</td>
                          <td>
                            <PostureBadge posture={stateOf(post)} />
                            {post.pendingRequestId ? (
                              <Link to={`/approvals/${post.pendingRequestId}`} className="pending-link">
                                Change awaiting approval
                              </Link>
                            ) : null}
                          </td>
                          <td>
                            <ServicesSummary post={post} />
                          </td>
                          <td>
                            {cover ? (
                              <Link to={`/posts/${cover.id}`}>{cover.name}</Link>
                            ) : coverId ? (
                              <code>{coverId}</code>
                            ) : (
                              <span className="muted">—</span>
                            )}
                          </td>
                          <td className={isPast(reviewBy) ? 'text-overdue' : undefined}>
                            {reviewBy ? formatDate(reviewBy) : <span className="muted">—</span>}
                            {isPast(reviewBy) ? ' (overdue)' : ''}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}
