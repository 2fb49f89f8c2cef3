import { type FormEvent, lazy, Suspense, useId, useMemo, useState } from 'react';
import { POSTURE_LABELS } from '../../../src/domain/posts/labels.ts';
import { announceChange } from '../app/changes.ts';
import { usePeople } from '../app/people.ts';
import { Link } from '../app/router.tsx';
import { can, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { useCountryNames, useRegions } from '../geo/reference.ts';
import { PostThreat } from '../incidents/PostThreat.tsx';
import { TASK_KIND_LABELS } from '../tasks/labels.ts';
import { PostureBadge } from '../ui/Badges.tsx';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { SelectField, TextAreaField, TextField } from '../ui/Field.tsx';
import { formatDateTime, fromLocalInput } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import {
  type AreaGeometry,
  createRestriction,
  fetchPost,
  fetchPosts,
  fetchRestrictions,
  type Post,
  setCoverageDelegate,
} from './client.ts';
import { POST_KIND_LABELS } from './labels.ts';
import { CoverageLink, PostureFacts, PostureTimeline } from './PostureDetails.tsx';
import { PostureForm } from './PostureForm.tsx';
import { activeDelegateId, fetchPostureHistory, type PostureResult, stateOf } from './postureClient.ts';

// MapLibre only loads when someone draws a restriction.
const DistrictEditor = lazy(() =>
  import('./DistrictEditor.tsx').then((m) => ({ default: m.DistrictEditor })),
);

// Keys carry a version suffix ("<id>#3") so a change reloads everything that depends on it.
const idOf = (key: string) => key.split('#')[0] ?? key;
const loadPost = (key: string, signal: AbortSignal) => fetchPost(idOf(key), signal);
const loadPosts = (_key: string, signal: AbortSignal) => fetchPosts(signal);
const loadHistory = (key: string, signal: AbortSignal) => fetchPostureHistory(idOf(key), signal);
const loadRestrictions = (key: string, signal: AbortSignal) => fetchRestrictions(idOf(key), signal);

const NO_OTHERS = new Map<string, string[]>();
const NO_ISSUES = new Map<string, 'overlap' | 'gap'>();

function ResultNotice({ result, onClose }: { result: PostureResult; onClose: () => void }) {
  const tasks = result.tasks ?? [];
  if (result.change) {
    return (
      <div className="notice notice-good" role="status" data-testid="posture-applied">
        <p>
          <strong>Posture changed.</strong> The post is now on{' '}
          {POSTURE_LABELS[result.change.state] ?? result.change.state}.
        </p>
        {tasks.length > 0 ? (
          <p>
            Opened {tasks.length === 1 ? 'a task' : `${tasks.length} tasks`}:{' '}
            {tasks.map((t) => TASK_KIND_LABELS[t.kind] ?? t.kind).join(', ')}.{' '}
            <Link to="/tasks">Open tasks</Link>
          </p>
        ) : null}
        <button type="button" className="button button-small" onClick={onClose}>
          Dismiss
        </button>
      </div>
    );
  }
  if (!result.request) return null;
  return (
    <div className="notice notice-warn" role="status" data-testid="posture-requested">
      <p>
        <strong>Sent for approval.</strong> The change to{' '}
        {POSTURE_LABELS[result.request.content.state] ?? result.request.content.state} takes effect only after
        a second person approves it. You cannot approve your own request.
      </p>
      <p>
        <Link to={`/approvals/${result.request.id}`} data-testid="posture-request-link">
          Open the request
        </Link>
      </p>
      <button type="button" className="button button-small" onClick={onClose}>
        Dismiss
      </button>
    </div>
  );
}

function CoverageEditor({ post, posts, onSaved }: { post: Post; posts: Post[]; onSaved: () => void }) {
  const id = useId();
  const [value, setValue] = useState(post.coverageDelegateId ?? '');
  const action = useAction(setCoverageDelegate);
  const options = posts.filter((p) => p.id !== post.id).sort((a, b) => a.name.localeCompare(b.name));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(post.id, value || null);
    if (done) {
      announceChange();
      onSaved();
    }
  };
  return (
    <form className="form form-compact" onSubmit={submit}>
      <SelectField
        id={`${id}-delegate`}
        label="Delegate post"
        value={value}
        onChange={setValue}
        data-testid="coverage-select"
      >
        <option value="">None</option>
        {options.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
            {p.country !== post.country ? ` (${p.country})` : ''}
          </option>
        ))}
      </SelectField>
      <ErrorNotice error={action.error} title="Delegate not saved" />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-small"
          disabled={action.busy || value === (post.coverageDelegateId ?? '')}
        >
          Save delegate
        </button>
      </div>
    </form>
  );
}

function RestrictionForm({
  post,
  onSaved,
  onCancel,
}: {
  post: Post;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [regions, setRegions] = useState<string[]>([]);
  const [geometry, setGeometry] = useState<AreaGeometry | null>(null);
  const [until, setUntil] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction(createRestriction);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!reason.trim()) return setProblem('Say what staff must avoid and why.');
    if (regions.length === 0 && !geometry)
      return setProblem('Pick regions or draw the area staff must avoid.');
    const done = await action.run(post.id, {
      reason: reason.trim(),
      regions,
      geometry,
      validUntil: until ? fromLocalInput(until) : null,
    });
    if (done) {
      announceChange();
      onSaved();
    }
  };

  return (
    <form className="form" onSubmit={submit} data-testid="restriction-form">
      <TextAreaField
        id={`${id}-reason`}
        label="What staff are told"
        rows={2}
        value={reason}
        onChange={setReason}
        placeholder="e.g. Avoid demonstration areas, including the Basrah central business district."
      />
      <Suspense fallback={<p className="muted">Loading map…</p>}>
        <DistrictEditor
          country={post.country}
          regions={regions}
          polygon={geometry}
          location={post.location}
          others={NO_OTHERS}
          issues={NO_ISSUES}
          tools={['draw', 'regions']}
          listLabel="Regions to avoid"
          showLegend={false}
          onRegionsChange={setRegions}
          onPolygonChange={setGeometry}
        />
      </Suspense>
      <TextField
        id={`${id}-until`}
        label="Valid until (optional)"
        fieldClass="field-narrow"
        type="datetime-local"
        value={until}
        onChange={setUntil}
      />
      <p className="field-hint">
        Telling staff to avoid an area the public is not warned about opens a public-notice task.
      </p>
      {problem ? (
        <div className="form-error" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      <ErrorNotice error={action.error} title="Restriction not saved" />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={action.busy}>
          Save restriction
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Restrictions({ post, canWrite }: { post: Post; canWrite: boolean }) {
  const [version, setVersion] = useState(0);
  const [list, retry] = useResource(`${post.id}#${version}`, loadRestrictions);
  const [open, setOpen] = useState(false);
  const { names } = useRegions(post.country);

  return (
    <Section
      title="Staff movement restrictions"
      testId="restrictions"
      actions={
        canWrite && !open ? (
          <button type="button" className="button button-small" onClick={() => setOpen(true)}>
            Add restriction
          </button>
        ) : null
      }
    >
      {open ? (
        <RestrictionForm
          post={post}
          onCancel={() => setOpen(false)}
          onSaved={() => {
            setOpen(false);
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      <Loaded resource={list} onRetry={retry} what="restrictions">
        {(items) =>
          items.length === 0 ? (
            <p className="muted">None recorded.</p>
          ) : (
            <ul className="plain-list restriction-list">
              {items.map((r) => (
                <li key={r.id} className={r.active ? undefined : 'inactive'}>
                  <p className="prewrap">
                    {r.active ? null : <span className="badge">Ended</span>} {r.reason}
                  </p>
                  <p className="muted small">
                    {r.regions.length > 0 ? `${r.regions.map((c) => names.get(c) ?? c).join(', ')}` : ''}
                    {r.regions.length > 0 && r.geometry ? ' and ' : ''}
                    {r.geometry ? 'a drawn area' : ''}
                    {' · '}from {formatDateTime(r.validFrom)}
                    {r.validUntil ? ` until ${formatDateTime(r.validUntil)}` : ''}
                    {r.taskId ? (
                      <>
                        {' · '}
                        <Link to="/tasks">public-notice task</Link>
                        {' · '}
                        <Link
                          to={`/alerts/new?from=restriction&id=${r.id}`}
                          data-testid="restriction-draft-alert"
                        >
                          Draft the public alert
                        </Link>
                      </>
                    ) : null}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </Section>
  );
}

export default function PostPage({ id }: { id: string }) {
  const user = useUser();
  const person = usePeople(user);
  const [version, setVersion] = useState(0);
  const key = `${id}#${version}`;
  const [post, retryPost] = useResource(key, loadPost);
  const [posts] = useResource(`all#${version}`, loadPosts);
  const [history, retryHistory] = useResource(key, loadHistory);
  const [changing, setChanging] = useState(false);
  const [result, setResult] = useState<PostureResult | null>(null);
  const countryNames = useCountryNames();
  const country = post.status === 'loaded' ? post.data.country : null;
  const { names: regionNames } = useRegions(country);

  const allPosts = posts.status === 'loaded' ? posts.data : [];
  const postsById = useMemo(() => new Map(allPosts.map((p) => [p.id, p])), [allPosts]);

  if (post.status !== 'loaded') {
    return (
      <Page title="Post" eyebrow={<Link to="/posts">← Posts</Link>}>
        <Loaded resource={post} onRetry={retryPost} what="the post">
          {() => null}
        </Loaded>
      </Page>
    );
  }
  const p: Post = post.data;
  const state = stateOf(p);
  const writable = can.changePosture(user, p);
  const covering = allPosts.filter((other) => activeDelegateId(other) === p.id);
  const reload = () => setVersion((v) => v + 1);

  return (
    <Page
      title={p.name}
      testId="post-page"
      eyebrow={<Link to="/posts">← Posts</Link>}
      meta={
        <div className="meta-row">
          <PostureBadge posture={state} testId="post-posture" />
          <span>{POST_KIND_LABELS[p.kind] ?? p.kind}</span>
          <span>
            {p.city ? `${p.city}, ` : ''}
            {countryNames.get(p.country) ?? p.country}
          </span>
        </div>
      }
      actions={
        <>
          <Link to={`/posts/${p.id}/drawdown`} className="button" data-testid="drawdown-link">
            Roster and drawdown board
          </Link>
          {can.editPost(user, p) ? (
            <Link to={`/posts/${p.id}/edit`} className="button" data-testid="edit-post">
              Edit post and district
            </Link>
          ) : null}
        </>
      }
      wide
    >
      {result ? <ResultNotice result={result} onClose={() => setResult(null)} /> : null}
      {p.pendingRequestId && !result?.request ? (
        <div className="notice notice-warn" data-testid="post-pending-request">
          <p>
            <strong>A posture change for this post is waiting for a second person’s approval.</strong>{' '}
            <Link to={`/approvals/${p.pendingRequestId}`}>Open the request</Link>
          </p>
        </div>
      ) : null}

      <div className="columns">
        <div className="column-main">
          <Section
            title="Current posture"
            testId="current-posture"
            actions={
              writable && !changing ? (
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => {
                    setResult(null);
                    setChanging(true);
                  }}
                  disabled={!!p.pendingRequestId}
                  title={p.pendingRequestId ? 'Decide the pending request first' : undefined}
                  data-testid="change-posture"
                >
                  Change posture
                </button>
              ) : null
            }
          >
            {changing ? (
              <PostureForm
                post={p}
                posts={allPosts}
                onCancel={() => setChanging(false)}
                onDone={(r) => {
                  setResult(r);
                  setChanging(false);
                  reload();
                }}
              />
            ) : p.posture ? (
              <PostureFacts content={p.posture} postsById={postsById} />
            ) : (
              <p>
                <PostureBadge posture={state} /> <span className="muted">No change has been recorded.</span>
              </p>
            )}
          </Section>

          <PostThreat post={p} />

          <Section title="Posture history" testId="posture-history">
            <Loaded resource={history} onRetry={retryHistory} what="the posture history">
              {(list) => <PostureTimeline history={list} postsById={postsById} person={person} />}
            </Loaded>
          </Section>
        </div>

        <div className="column-side">
          <Section title="Coverage" testId="post-coverage">
            <p className="small" data-testid="post-coverage-now">
              {activeDelegateId(p) ? (
                <>
                  Citizens of this district are served by{' '}
                  <CoverageLink id={p.coverageDelegateId} postsById={postsById} /> now.
                </>
              ) : (
                <>
                  The post serves its own district. Delegate if it cannot:{' '}
                  <CoverageLink id={p.coverageDelegateId} postsById={postsById} />
                </>
              )}
            </p>
            {covering.length > 0 ? (
              <p className="small" data-testid="covering-for">
                Delegate for:{' '}
                {covering.map((o, i) => (
                  <span key={o.id}>
                    {i > 0 ? ', ' : ''}
                    <Link to={`/posts/${o.id}`}>{o.name}</Link>
                  </span>
                ))}
              </p>
            ) : null}
            {writable ? (
              <CoverageEditor key={p.coverageDelegateId ?? ''} post={p} posts={allPosts} onSaved={reload} />
            ) : null}
          </Section>

          <Section title="Contact">
            <dl className="facts facts-compact">
              <dt>Phone</dt>
              <dd>{p.contact.phone ? <a href={`tel:${p.contact.phone}`}>{p.contact.phone}</a> : '—'}</dd>
              <dt>Email</dt>
              <dd>{p.contact.email ? <a href={`mailto:${p.contact.email}`}>{p.contact.email}</a> : '—'}</dd>
              <dt>Address</dt>
              <dd className="prewrap">{p.contact.address || '—'}</dd>
              <dt>Hours</dt>
              <dd>{p.contact.hours || '—'}</dd>
              <dt>Location</dt>
              <dd>
                <code>
                  {p.location.lat.toFixed(4)}, {p.location.lon.toFixed(4)}
                </code>
              </dd>
            </dl>
          </Section>

          <Section title="Consular district" testId="post-district">
            {p.district.regions.length === 0 && !p.district.geometry ? (
              <p className="muted">No district defined.</p>
            ) : null}
            {p.district.regions.length > 0 ? (
              <ul className="tag-list">
                {p.district.regions.map((code) => (
                  <li key={code} className="tag" title={code}>
                    {regionNames.get(code) ?? code}
                  </li>
                ))}
              </ul>
            ) : null}
            {p.district.geometry ? <p className="small">Plus a drawn area.</p> : null}
          </Section>
        </div>
      </div>
      <Restrictions post={p} canWrite={writable} />
    </Page>
  );
}
