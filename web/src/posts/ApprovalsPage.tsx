import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { POSTURE_LABELS } from '../../../src/domain/posts/labels.ts';
import { announceChange } from '../app/changes.ts';
import { isMe, type PersonLabel, usePeople } from '../app/people.ts';
import { Link, setSearchParams, useSearchParams } from '../app/router.tsx';
import { can, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { TASK_KIND_LABELS } from '../tasks/labels.ts';
import { PostureBadge, StatusBadge } from '../ui/Badges.tsx';
import { ErrorNotice, errorCode } from '../ui/ErrorNotice.tsx';
import { TextAreaField } from '../ui/Field.tsx';
import { formatDateTime, formatRelative, isPast } from '../ui/format.ts';
import { Loaded, Page } from '../ui/Page.tsx';
import { fetchPosts, type Post } from './client.ts';
import { PostureFacts } from './PostureDetails.tsx';
import { PostureForm } from './PostureForm.tsx';
import {
  approvePostureRequest,
  fetchPostureRequest,
  fetchPostureRequests,
  hashContent,
  type PostureRequest,
  type PostureRequestStatus,
  prettyCanonical,
  rejectPostureRequest,
} from './postureClient.ts';

const STATUSES = ['pending', 'approved', 'rejected', 'expired', 'all'] as const;
type Filter = (typeof STATUSES)[number];

const loadRequests = (key: string, signal: AbortSignal) => {
  const status = (key.split('#')[0] ?? 'pending') as Filter;
  return fetchPostureRequests(status === 'all' ? {} : { status: status as PostureRequestStatus }, signal);
};
const loadPosts = (_key: string, signal: AbortSignal) => fetchPosts(signal);
const loadOne = (key: string, signal: AbortSignal) => fetchPostureRequest(key.split('#')[0] ?? key, signal);

function tone(status: string): 'good' | 'warn' | 'bad' | 'info' {
  if (status === 'approved') return 'good';
  if (status === 'pending') return 'warn';
  if (status === 'rejected' || status === 'expired') return 'bad';
  return 'info';
}

/** Recomputes the content hash in the browser: proof that the hash sent belongs to what is shown. */
function useHashCheck(request: PostureRequest): 'checking' | 'match' | 'mismatch' | 'unavailable' {
  const [state, setState] = useState<'checking' | 'match' | 'mismatch' | 'unavailable'>('checking');
  useEffect(() => {
    let live = true;
    hashContent(request.content).then(
      (hash) => {
        if (!live) return;
        setState(hash === null ? 'unavailable' : hash === request.contentHash ? 'match' : 'mismatch');
      },
      () => live && setState('unavailable'),
    );
    return () => {
      live = false;
    };
  }, [request.content, request.contentHash]);
  return state;
}

interface CardProps {
  request: PostureRequest;
  post: Post | undefined;
  postsById: Map<string, Post>;
  focused: boolean;
  person: PersonLabel;
  onDecided: (message: string) => void;
  onReload: () => void;
}

/** Refusals that mean "what you see is out of date": offer to load the latest version. */
const STALE_CODES = new Set(['approval_stale', 'conflict', 'request_expired', 'not_found']);

function RequestCard({ request, post, postsById, focused, person, onDecided, onReload }: CardProps) {
  const user = useUser();
  const id = useId();
  const ref = useRef<HTMLElement>(null);
  const [rejecting, setRejecting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState('');
  const approve = useAction(approvePostureRequest);
  const reject = useAction(rejectPostureRequest);
  const hashCheck = useHashCheck(request);

  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'start' });
  }, [focused]);

  const requester = isMe(user, request.requestedBy);
  const author = request.authors.some((a) => isMe(user, a));
  const pending = request.status === 'pending';
  const expired = pending && isPast(request.expiresAt);
  const status = expired ? 'expired' : request.status;
  const mayDecide = can.decidePosture(user, { id: request.postId, country: post?.country ?? null });
  const postName = post?.name ?? `Post ${request.postId}`;
  const target = POSTURE_LABELS[request.content.state] ?? request.content.state;
  const delegateUnchanged = !Object.hasOwn(request.content, 'coverageDelegateId');

  const doApprove = async () => {
    const result = await approve.run(request.id, request.contentHash);
    if (result) {
      const tasks = result.tasks ?? [];
      const opened = tasks.length
        ? ` Opened: ${tasks.map((t) => TASK_KIND_LABELS[t.kind] ?? t.kind).join(', ')}.`
        : '';
      announceChange();
      onDecided(`Approved: ${postName} is now on ${target}.${opened}`);
    }
  };
  const doReject = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    const result = await reject.run(request.id, reason.trim());
    if (result) {
      announceChange();
      onDecided(
        requester ? `Request for ${postName} withdrawn.` : `Rejected: ${postName} keeps its posture.`,
      );
    }
  };

  return (
    <article
      ref={ref}
      className={`card request-card${focused ? ' request-focused' : ''}`}
      data-testid={`request-${request.id}`}
      data-status={status}
      aria-labelledby={`${id}-title`}
    >
      <header className="request-header">
        <div>
          <h2 className="card-title" id={`${id}-title`}>
            <Link to={`/posts/${request.postId}`}>{postName}</Link>
          </h2>
          <p className="request-change">
            <PostureBadge posture={request.content.fromState} />
            <span aria-hidden="true" className="arrow">
              →
            </span>
            <span className="visually-hidden">to</span>
            <PostureBadge posture={request.content.state} testId="request-posture" />
          </p>
        </div>
        <StatusBadge status={status} tone={tone(status)} />
      </header>

      <p className="request-who">
        Requested by <strong data-testid="request-requester">{person(request.requestedBy)}</strong>,{' '}
        {formatDateTime(request.requestedAt)}
        {request.authors.length > 1 ? (
          <span className="muted">
            {' '}
            · edited by{' '}
            {request.authors
              .filter((a) => a !== request.requestedBy)
              .map(person)
              .join(', ')}
          </span>
        ) : null}
        {pending ? (
          <span className={expired ? 'text-overdue' : 'muted'}>
            {' '}
            · {expired ? 'expired' : 'expires'} {formatRelative(request.expiresAt)} (
            {formatDateTime(request.expiresAt)})
          </span>
        ) : null}
      </p>
      {request.decidedAt ? (
        <p className="small">
          {request.status === 'approved'
            ? 'Approved'
            : request.status === 'rejected'
              ? 'Rejected'
              : 'Decided'}{' '}
          {formatDateTime(request.decidedAt)}
          {request.decidedBy ? ` by ${person(request.decidedBy)}` : ''}
          {request.decisionNote ? `: ${request.decisionNote}` : ''}
        </p>
      ) : null}

      <PostureFacts content={request.content} postsById={postsById} delegateUnchanged={delegateUnchanged} />

      <details className="exact-content" open={pending && !author}>
        <summary>Exact content{pending && !author ? ' you are approving' : ''}</summary>
        <pre className="code-block" data-testid="request-content">
          {prettyCanonical(request.content)}
        </pre>
        <p className="hash-line">
          SHA-256 <code data-testid="request-hash">{request.contentHash}</code>
        </p>
        <p className="small" data-testid="hash-check" data-state={hashCheck}>
          {hashCheck === 'match' ? (
            <span className="text-good">
              ✓ Checked in your browser: this hash is of the content shown above.
            </span>
          ) : hashCheck === 'mismatch' ? (
            <span className="text-overdue">
              ✕ The hash does not match the content shown. Do not approve; reload the page.
            </span>
          ) : hashCheck === 'unavailable' ? (
            <span className="muted">This browser cannot recompute the hash here (needs https).</span>
          ) : (
            <span className="muted">Checking the hash…</span>
          )}
        </p>
        <p className="muted small">
          Your approval carries this hash. If anyone edits the request after you read it, the server refuses
          the approval and asks you to read it again.
        </p>
      </details>

      <ErrorNotice error={approve.error} title="Not approved" testId="approve-error" />
      <ErrorNotice error={reject.error} title="Not rejected" testId="reject-error" />
      {[approve.error, reject.error].some((e) => STALE_CODES.has(errorCode(e) ?? '')) ? (
        <div className="form-actions">
          <button type="button" className="button" onClick={onReload} data-testid="reload-requests">
            Load the latest version
          </button>
        </div>
      ) : null}

      {pending && author ? (
        <p className="notice notice-info" data-testid="own-request-notice">
          <strong>{requester ? 'You requested this change.' : 'You edited this request.'}</strong> The
          two-person rule means someone else must approve it: you cannot approve it yourself.
          {requester ? ' You can still withdraw it.' : ''}
        </p>
      ) : null}

      {pending && mayDecide && editing && post ? (
        <PostureForm
          post={post}
          posts={[...postsById.values()]}
          request={request}
          onCancel={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            announceChange();
            onDecided(
              `Request for ${postName} changed. It needs a fresh review by someone who did not write it.`,
            );
          }}
        />
      ) : null}

      {pending && mayDecide && !editing ? (
        rejecting ? (
          <form className="form reject-form" onSubmit={doReject}>
            <TextAreaField
              id={`${id}-reason`}
              label={requester ? 'Why withdraw it?' : 'Why reject it?'}
              rows={2}
              value={reason}
              onChange={setReason}
              data-testid="reject-reason"
            />
            <div className="form-actions">
              <button
                type="submit"
                className="button button-danger"
                disabled={reject.busy || !reason.trim()}
                data-testid="reject-confirm"
              >
                {requester ? 'Withdraw request' : 'Reject request'}
              </button>
              <button type="button" className="button" onClick={() => setRejecting(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <div className="form-actions">
            {author ? null : (
              <button
                type="button"
                className="button button-primary"
                onClick={doApprove}
                disabled={expired || approve.busy || hashCheck === 'mismatch'}
                data-testid="approve"
              >
                {approve.busy ? 'Approving…' : `Approve: ${target}`}
              </button>
            )}
            {post ? (
              <button
                type="button"
                className="button"
                onClick={() => setEditing(true)}
                data-testid="edit-request"
              >
                Edit…
              </button>
            ) : null}
            <button type="button" className="button" onClick={() => setRejecting(true)} data-testid="reject">
              {requester ? 'Withdraw…' : 'Reject…'}
            </button>
          </div>
        )
      ) : null}
    </article>
  );
}

export default function ApprovalsPage({ focus }: { focus: string | null }) {
  const user = useUser();
  const person = usePeople(user);
  const params = useSearchParams();
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as Filter)
    : 'pending';
  const [version, setVersion] = useState(0);
  const [requests, retry] = useResource(`${status}#${version}`, loadRequests);
  const [posts] = useResource(`posts#${version}`, loadPosts);
  const postsById = useMemo(
    () => new Map(posts.status === 'loaded' ? posts.data.map((p) => [p.id, p]) : []),
    [posts],
  );
  const listed = requests.status === 'loaded' && focus ? requests.data.some((r) => r.id === focus) : true;
  // The focused request may be decided already, so not in this list: load it by itself.
  const [single] = useResource(listed || !focus ? null : `${focus}#${version}`, loadOne);
  const [flash, setFlash] = useState<string | null>(null);

  const reload = (message: string) => {
    setFlash(message);
    setVersion((v) => v + 1);
  };
  const refresh = () => {
    setFlash(null);
    setVersion((v) => v + 1);
  };

  return (
    <Page
      title={status === 'pending' ? 'Pending approvals' : 'Approvals'}
      docTitle="Approvals"
      testId="approvals-page"
      meta={
        <p className="muted">
          Every change into or out of ordered departure or suspension needs a second person: someone who did
          not write the request.
        </p>
      }
      actions={
        <fieldset className="segmented">
          <legend className="visually-hidden">Show requests</legend>
          {STATUSES.map((value) => (
            <button
              key={value}
              type="button"
              className="segmented-button"
              aria-pressed={status === value}
              onClick={() => setSearchParams({ status: value === 'pending' ? null : value })}
            >
              {value.charAt(0).toUpperCase() + value.slice(1)}
            </button>
          ))}
        </fieldset>
      }
    >
      {flash ? (
        <div className="notice notice-good" role="status" data-testid="approvals-flash">
          <p>{flash}</p>
          <button type="button" className="button button-small" onClick={() => setFlash(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      {single.status === 'loaded' ? (
        <RequestCard
          request={single.data}
          post={postsById.get(single.data.postId)}
          postsById={postsById}
          person={person}
          focused
          onDecided={reload}
          onReload={refresh}
        />
      ) : null}
      <Loaded resource={requests} onRetry={retry} what="requests">
        {(list) => {
          const sorted = [...list].sort((a, b) => {
            if (a.id === focus) return -1;
            if (b.id === focus) return 1;
            return b.requestedAt.localeCompare(a.requestedAt);
          });
          if (sorted.length === 0 && single.status !== 'loaded') {
            return (
              <div className="empty" data-testid="no-requests">
                <p>{status === 'pending' ? 'Nothing is waiting for approval.' : 'No requests to show.'}</p>
              </div>
            );
          }
          return (
            <div className="stack">
              {sorted.map((r) => (
                <RequestCard
                  key={`${r.id}-${r.contentHash}`}
                  request={r}
                  post={postsById.get(r.postId)}
                  postsById={postsById}
                  person={person}
                  focused={r.id === focus}
                  onDecided={reload}
                  onReload={refresh}
                />
              ))}
            </div>
          );
        }}
      </Loaded>
    </Page>
  );
}
