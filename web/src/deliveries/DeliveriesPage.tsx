import { type FormEvent, useEffect, useState } from 'react';
import { DELIVERY_STATES } from '../../../src/domain/deliveries/model.ts';
import { announceChange } from '../app/changes.ts';
import { setSearchParams, useSearchParams } from '../app/router.tsx';
import { useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { TextField } from '../ui/Field.tsx';
import { formatDateTime } from '../ui/format.ts';
import { Loaded, Page } from '../ui/Page.tsx';
import { type Delivery, fetchDeliveries, fetchProgress, type Progress, retryDelivery } from './client.ts';

/** The colours of the progress bars, in the order the segments are drawn. */
const SEGMENTS: ReadonlyArray<{ state: string; label: string }> = [
  { state: 'delivered', label: 'Delivered' },
  { state: 'sent', label: 'Sent' },
  { state: 'sending', label: 'Sending' },
  { state: 'queued', label: 'Queued' },
  { state: 'failed', label: 'Failed' },
  { state: 'dropped', label: 'Dropped' },
];

const loadFailed = (key: string, signal: AbortSignal) =>
  fetchDeliveries({ ...(key !== '*' && { message: key }), state: 'failed', limit: 100 }, signal);

/** One channel's (or the total's) stacked bar: a segment per state, width by share. */
export function ProgressBar({ label, states }: { label: string; states: Record<string, number> }) {
  const total = DELIVERY_STATES.reduce((a, s) => a + (states[s] ?? 0), 0);
  const done = (states.delivered ?? 0) + (states.sent ?? 0) + (states.failed ?? 0) + (states.dropped ?? 0);
  return (
    <div className="delivery-bar-row" data-testid={`progress-${label.toLowerCase()}`}>
      <div className="delivery-bar-label">
        <strong>{label}</strong> {done} of {total}
      </div>
      <div
        className="delivery-bar"
        role="progressbar"
        aria-label={`${label}: ${done} of ${total} done`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
      >
        {SEGMENTS.map(({ state, label: name }) => {
          const n = states[state] ?? 0;
          if (n === 0 || total === 0) return null;
          return (
            <span
              key={state}
              className={`delivery-seg delivery-seg-${state}`}
              style={{ width: `${(n / total) * 100}%` }}
              title={`${name}: ${n}`}
            />
          );
        })}
      </div>
      <div className="delivery-bar-legend">
        {SEGMENTS.filter(({ state }) => (states[state] ?? 0) > 0).map(({ state, label: name }) => (
          <span key={state} className="delivery-legend-item">
            <span className={`delivery-swatch delivery-seg-${state}`} /> {name} {states[state]}
          </span>
        ))}
      </div>
    </div>
  );
}

/** Live progress of one message: polled every two seconds while anything is left to send. */
function LiveProgress({ message }: { message: string }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      fetchProgress(message, controller.signal).then(
        (p) => {
          setProgress(p);
          setError(null);
          const left = (p.states.queued ?? 0) + (p.states.sending ?? 0);
          timer = setTimeout(poll, left > 0 ? 2000 : 15000);
        },
        (err: unknown) => {
          if (!controller.signal.aborted) setError(err);
        },
      );
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [message]);
  if (error) return <ErrorNotice error={error} title="Could not load the progress" />;
  if (!progress) return <p className="muted">Loading…</p>;
  const left = (progress.states.queued ?? 0) + (progress.states.sending ?? 0);
  return (
    <section
      className="card delivery-progress"
      aria-label="Delivery progress"
      data-testid="delivery-progress"
    >
      <ProgressBar label="All" states={progress.states} />
      {progress.channels.map((c) => (
        <ProgressBar key={c.channel} label={c.channel.toUpperCase()} states={c.states} />
      ))}
      <p className="muted" data-testid="delivery-rate">
        {progress.ratePerSecond} per second over the last minute
        {left > 0
          ? progress.etaSeconds !== null
            ? ` · about ${Math.ceil(progress.etaSeconds / 60)} min left`
            : ' · waiting'
          : ' · nothing left to send'}
        {progress.startedAt ? ` · queued ${formatDateTime(progress.startedAt)}` : ''}
      </p>
    </section>
  );
}

function FailedRow({ d, onChanged, canAct }: { d: Delivery; onChanged: () => void; canAct: boolean }) {
  const action = useAction(retryDelivery);
  return (
    <tr data-testid={`failed-${d.id}`}>
      <td>{d.channel}</td>
      <td>{d.template}</td>
      <td>{d.lastError ?? ''}</td>
      <td>{d.attempts}</td>
      <td>{formatDateTime(d.finishedAt ?? d.createdAt)}</td>
      <td>
        {canAct ? (
          <button
            type="button"
            className="button button-small"
            disabled={action.busy}
            onClick={async () => {
              if ((await action.run(d.id)) !== undefined) {
                announceChange();
                onChanged();
              }
            }}
          >
            Retry now
          </button>
        ) : null}
        <ErrorNotice error={action.error} title="Could not retry" />
      </td>
    </tr>
  );
}

/** Who got what: a message's live progress per channel and the deliveries that failed, with reasons. */
export default function DeliveriesPage() {
  const params = useSearchParams();
  const message = params.get('message') ?? '';
  const user = useUser();
  const [draft, setDraft] = useState(message);
  const [failed, retry] = useResource(message || '*', loadFailed);
  const canAct = user.role !== 'viewer';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearchParams({ message: draft.trim() || null });
  };
  return (
    <Page title="Deliveries" testId="deliveries-page" wide>
      <form className="delivery-filter" onSubmit={submit}>
        <TextField
          name="message"
          label="Message"
          hint="e.g. notice:… or alert:…; empty shows failures of every message (worldwide staff only)"
          value={draft}
          onChange={setDraft}
        />
        <button type="submit" className="button">
          Show
        </button>
      </form>
      {message ? <LiveProgress key={message} message={message} /> : null}
      <h2>Failed</h2>
      <Loaded resource={failed} onRetry={retry} what="failed deliveries">
        {(data) =>
          data.deliveries.length === 0 ? (
            <p className="muted" data-testid="no-failures">
              No failed deliveries.
            </p>
          ) : (
            <table className="table" data-testid="failed-list">
              <thead>
                <tr>
                  <th>Channel</th>
                  <th>Message</th>
                  <th>Reason</th>
                  <th>Attempts</th>
                  <th>When</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.deliveries.map((d) => (
                  <FailedRow key={d.id} d={d} onChanged={retry} canAct={canAct} />
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </Page>
  );
}
