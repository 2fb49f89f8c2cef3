import { useEffect, useState } from 'react';
import { Link, navigate } from '../app/router.tsx';
import { useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { StatusBadge } from '../ui/Badges.tsx';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { formatDateTime, humanize } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import {
  type Alert,
  approveAlert,
  cancelAlert,
  fetchAlert,
  fetchAlertPreview,
  fetchAlerts,
  fetchProgress,
  type Progress,
  STATE_LABELS,
  sendAlert,
  stepAlert,
  updateAlert,
} from './client.ts';
import { Previews } from './Previews.tsx';
import { ReachPanel } from './ReachPanel.tsx';
import './alerts.css';

// One alert: what it says in every channel and language, who it reaches, its approval, delivery
// progress from the delivery engine, the history of its updates, and the one-click cancel.

const loadAlert = (id: string, signal: AbortSignal) => fetchAlert(id, signal);
const loadPreview = (key: string, signal: AbortSignal) => fetchAlertPreview(key.split('#')[0] ?? '', signal);
const loadChain = (rootId: string, signal: AbortSignal) =>
  fetchAlerts(`?rootId=${encodeURIComponent(rootId)}`, signal);

function ProgressPanel({ id }: { id: string }) {
  const [p, setP] = useState<Progress | null>(null);
  useEffect(() => {
    let stop = false;
    const tick = async () => {
      try {
        const next = await fetchProgress(id);
        if (!stop) setP(next);
      } catch {
        /* shown as stale */
      }
      if (!stop) setTimeout(tick, 2000);
    };
    void tick();
    return () => {
      stop = true;
    };
  }, [id]);
  if (!p) return <p className="loading">Loading delivery progress…</p>;
  const done = (p.byStatus.sent ?? 0) + (p.byStatus.delivered ?? 0);
  return (
    <div data-testid="alert-progress">
      <progress max={Math.max(1, p.total)} value={done} />
      <p className="small">
        <span data-testid="progress-done">{done}</span> of <span data-testid="progress-total">{p.total}</span>{' '}
        messages left{' · '}
        {Object.entries(p.byStatus)
          .map(([s, n]) => `${humanize(s)} ${n}`)
          .join(' · ')}
      </p>
    </div>
  );
}

function Actions({ alert, onChange }: { alert: Alert; onChange: (a: Alert) => void }) {
  const user = useUser();
  const [hash, setHash] = useState<string | null>(null);
  const act = useAction(
    async (what: 'submit' | 'withdraw' | 'reject' | 'approve' | 'send' | 'cancel' | 'update') => {
      switch (what) {
        case 'approve':
          return onChange(await approveAlert(alert.id, hash ?? alert.contentHash));
        case 'send':
          return onChange((await sendAlert(alert.id)).alert);
        case 'cancel': {
          const r = await cancelAlert(alert.id);
          return navigate(`/alerts/${r.alert.id}`);
        }
        case 'update':
          return navigate(`/alerts/${(await updateAlert(alert.id)).id}`);
        default:
          return onChange(await stepAlert(alert.id, what));
      }
    },
  );
  useEffect(() => setHash(alert.contentHash), [alert.contentHash]);
  const mine = user ? alert.authors.includes(`user:${user.id}`) : false;
  const button = (what: Parameters<typeof act.run>[0], label: string, primary = false) => (
    <button
      type="button"
      className={primary ? 'button button-primary' : 'button'}
      disabled={act.busy}
      onClick={() => void act.run(what)}
      data-testid={`alert-${what}`}
    >
      {label}
    </button>
  );
  return (
    <div className="alert-actions">
      {alert.state === 'draft' ? button('submit', 'Submit for approval', true) : null}
      {alert.state === 'pending_approval' && !mine
        ? button('approve', 'Approve and allow sending', true)
        : null}
      {alert.state === 'pending_approval' && mine ? (
        <p className="muted small">You wrote this alert: another person must approve it.</p>
      ) : null}
      {alert.state === 'pending_approval'
        ? button(mine ? 'withdraw' : 'reject', mine ? 'Withdraw' : 'Send back')
        : null}
      {alert.state === 'approved' ? button('send', 'Send now', true) : null}
      {alert.state === 'sent' && alert.content.msgType !== 'Cancel' ? button('update', 'Update') : null}
      {(alert.state === 'sent' || alert.state === 'updated') && alert.content.msgType !== 'Cancel'
        ? button('cancel', 'Cancel this alert')
        : null}
      <ErrorNotice error={act.error} title="Not done" />
    </div>
  );
}

export default function AlertPage({ id }: { id: string }) {
  const [res, retry] = useResource(id, loadAlert);
  const [override, setOverride] = useState<Alert | null>(null);
  const alert = override && override.id === id ? override : res.status === 'loaded' ? res.data : null;
  const [preview] = useResource(
    alert ? `${alert.id}#${alert.contentHash}#${alert.state}` : null,
    loadPreview,
  );
  const [chain] = useResource(alert ? alert.rootId : null, loadChain);
  const c = alert?.content;
  const drill = c && c.status !== 'Actual';
  return (
    <Page
      title={c ? c.texts.en.headline : 'Alert'}
      eyebrow={<Link to="/alerts">Alerts</Link>}
      wide
      testId="alert-page"
      meta={
        alert && c ? (
          <>
            <StatusBadge
              status={STATE_LABELS[alert.state]}
              tone={alert.state === 'cancelled' ? 'bad' : alert.state === 'sent' ? 'good' : 'warn'}
            />{' '}
            <span className="badge">{c.msgType}</span> <span className="badge">{humanize(c.kind)}</span>{' '}
            {drill ? <span className="badge alert-drill-badge">{c.status}</span> : null}
            {alert.sentAt ? (
              <span className="muted small"> · sent {formatDateTime(alert.sentAt)}</span>
            ) : null}
          </>
        ) : null
      }
    >
      <Loaded
        resource={override ? { status: 'loaded', data: override } : res}
        onRetry={retry}
        what="the alert"
      >
        {() =>
          alert && c ? (
            <div
              className={drill ? 'alert-drill' : undefined}
              data-testid="alert-state"
              data-state={alert.state}
            >
              {drill ? (
                <p className="alert-drill-banner">
                  {c.status.toUpperCase()}: not a real alert. Drill participants only.
                </p>
              ) : null}
              <Actions alert={alert} onChange={setOverride} />
              {alert.sentAt ? (
                <Section title="Delivery">
                  <ProgressPanel id={alert.id} />
                  {c.scope === 'Public' ? (
                    <p className="small">
                      Published: <a href={`/cap/alerts/${alert.id}.xml`}>CAP 1.2</a> ·{' '}
                      <a href={`/api/public/alerts/${alert.id}`}>JSON</a>
                    </p>
                  ) : null}
                </Section>
              ) : null}
              <Loaded resource={preview} what="the preview">
                {(p) => (
                  <>
                    <Section title="Reach">
                      <ReachPanel reach={p.reach} />
                    </Section>
                    <Section title="What each channel shows">
                      <Previews previews={p.previews} />
                    </Section>
                  </>
                )}
              </Loaded>
              <Loaded resource={chain} what="the history">
                {(items) =>
                  items.length > 1 ? (
                    <Section title="History">
                      <ul className="plain-list">
                        {[...items].reverse().map((a) => (
                          <li key={a.id}>
                            <Link to={`/alerts/${a.id}`}>
                              {a.content.msgType} · {STATE_LABELS[a.state]}
                            </Link>{' '}
                            <span className="muted small">{formatDateTime(a.sentAt ?? a.createdAt)}</span>
                          </li>
                        ))}
                      </ul>
                    </Section>
                  ) : null
                }
              </Loaded>
            </div>
          ) : null
        }
      </Loaded>
    </Page>
  );
}
