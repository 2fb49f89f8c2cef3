import { type FormEvent, useId, useMemo, useState } from 'react';
import type { TaskKind } from '../../../src/domain/tasks/types.ts';
import { announceChange } from '../app/changes.ts';
import { Link, setSearchParams, useSearchParams } from '../app/router.tsx';
import { can, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { isRecord } from '../app/util.ts';
import { useCountryNames } from '../geo/reference.ts';
import { fetchPosts } from '../posts/client.ts';
import { StatusBadge } from '../ui/Badges.tsx';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { TextAreaField } from '../ui/Field.tsx';
import { formatDateTime, formatRelative, humanize } from '../ui/format.ts';
import { Loaded, Page } from '../ui/Page.tsx';
import { fetchTasks, resolveTask, type Task, type TaskFilter } from './client.ts';
import { TASK_KIND_LABELS } from './labels.ts';

const loadTasks = (key: string, signal: AbortSignal) => {
  const status = key.split('#')[0];
  // A status typed into the URL that the API does not know is the API's to refuse.
  return fetchTasks(status === 'all' ? {} : { status: status as TaskFilter['status'] }, signal);
};
const loadPosts = (_key: string, signal: AbortSignal) => fetchPosts(signal);

/** What the task asks for, in one line the duty officer can act on. */
const KIND_HINT: Readonly<Record<TaskKind, string>> = {
  advisory_review:
    'A posture change or event prompts a review of this country’s advisory. Publish a new edition or confirm the review — or resolve with a reason.',
  public_notice:
    'Staff were told something the public was not. Publish an alert or advisory update — or record why not.',
  threat_review: 'The threat trend near a post is rising. Review the post’s posture.',
};

function describeResolution(resolution: Record<string, unknown> | null): string {
  if (!resolution) return '';
  if (typeof resolution.reason === 'string') return resolution.reason;
  if (isRecord(resolution.link))
    return `Linked ${humanize(String(resolution.link.kind ?? ''))} ${String(resolution.link.id ?? '')}`;
  return Object.entries(resolution)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
}

function TaskCard({
  task,
  postName,
  countryName,
  onResolved,
}: {
  task: Task;
  postName: string | null;
  countryName: string | null;
  onResolved: (message: string) => void;
}) {
  const user = useUser();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction(resolveTask);
  const writable = task.status === 'open' && can.resolveTask(user, task);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    const done = await action.run(task.id, { reason: reason.trim() });
    if (done !== undefined) {
      announceChange();
      onResolved(`Resolved: ${task.title}`);
    }
  };

  return (
    <article
      className="card task-card"
      data-testid={`task-${task.id}`}
      data-kind={task.kind}
      aria-labelledby={`${id}-t`}
    >
      <header className="task-header">
        <span className={`badge task-kind task-kind-${task.kind}`}>
          {TASK_KIND_LABELS[task.kind] ?? humanize(task.kind)}
        </span>
        <StatusBadge status={task.status} tone={task.status === 'open' ? 'warn' : 'good'} />
      </header>
      <h2 className="card-title" id={`${id}-t`}>
        {task.title}
      </h2>
      <p className="task-links">
        {task.country ? (
          <Link to={`/advisories/${task.country}`} data-testid="task-country-link">
            {countryName ?? task.country} advisory
          </Link>
        ) : null}
        {task.postId ? <Link to={`/posts/${task.postId}`}>{postName ?? 'Post'}</Link> : null}
      </p>
      {KIND_HINT[task.kind] && task.status === 'open' ? (
        <p className="muted small">{KIND_HINT[task.kind]}</p>
      ) : null}
      <p className="muted small">
        Opened {formatDateTime(task.createdAt)} ({formatRelative(task.createdAt)})
      </p>
      {task.status !== 'open' ? (
        <p className="small">
          Resolved {formatDateTime(task.resolvedAt)}: {describeResolution(task.resolution)}
        </p>
      ) : null}
      {writable ? (
        open ? (
          <form className="form" onSubmit={submit}>
            <TextAreaField
              id={`${id}-reason`}
              label="How was this handled?"
              rows={2}
              value={reason}
              onChange={setReason}
              placeholder="e.g. Advisory already at Level 4; reviewed and unchanged."
              data-testid="task-reason"
            />
            <ErrorNotice error={action.error} title="Task not resolved" testId="task-error" />
            <div className="form-actions">
              <button
                type="submit"
                className="button button-primary"
                disabled={action.busy || !reason.trim()}
                data-testid="task-resolve-confirm"
              >
                Resolve task
              </button>
              <button type="button" className="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setOpen(true)} data-testid="task-resolve">
              Resolve with a reason…
            </button>
          </div>
        )
      ) : null}
    </article>
  );
}

export default function TasksPage() {
  const params = useSearchParams();
  const status = params.get('status') ?? 'open';
  const [version, setVersion] = useState(0);
  const [tasks, retry] = useResource(`${status}#${version}`, loadTasks);
  const [posts] = useResource('posts', loadPosts);
  const countries = useCountryNames();
  const [flash, setFlash] = useState<string | null>(null);
  const postNames = useMemo(
    () => new Map(posts.status === 'loaded' ? posts.data.map((p) => [p.id, p.name]) : []),
    [posts],
  );

  return (
    <Page
      title="Tasks"
      testId="tasks-page"
      meta={<p className="muted">Reviews and public notices the system asks for after a change.</p>}
      actions={
        <fieldset className="segmented">
          <legend className="visually-hidden">Show</legend>
          {[
            ['open', 'Open'],
            ['resolved', 'Resolved'],
            ['all', 'All'],
          ].map(([value, label]) => (
            <button
              key={value}
              type="button"
              className="segmented-button"
              aria-pressed={status === value}
              onClick={() => setSearchParams({ status: value === 'open' ? null : (value ?? null) })}
            >
              {label}
            </button>
          ))}
        </fieldset>
      }
    >
      {flash ? (
        <div className="notice notice-good" role="status">
          <p>{flash}</p>
          <button type="button" className="button button-small" onClick={() => setFlash(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      <Loaded resource={tasks} onRetry={retry} what="tasks">
        {(list) =>
          list.length === 0 ? (
            <div className="empty" data-testid="no-tasks">
              <p>{status === 'open' ? 'No open tasks.' : 'No tasks.'}</p>
            </div>
          ) : (
            <div className="stack">
              {list.map((task) => (
                <TaskCard
                  key={task.id}
                  task={task}
                  postName={task.postId ? (postNames.get(task.postId) ?? null) : null}
                  countryName={task.country ? (countries.get(task.country) ?? null) : null}
                  onResolved={(message) => {
                    setFlash(message);
                    setVersion((v) => v + 1);
                  }}
                />
              ))}
            </div>
          )
        }
      </Loaded>
    </Page>
  );
}
