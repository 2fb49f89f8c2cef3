import { Link, setSearchParams, useSearchParams } from '../app/router.tsx';
import { useResource } from '../app/useResource.ts';
import { StatusBadge } from '../ui/Badges.tsx';
import { formatDateTime, humanize } from '../ui/format.ts';
import { Loaded, Page } from '../ui/Page.tsx';
import { fetchAlerts, STATE_LABELS } from './client.ts';
import './alerts.css';

// Alerts, newest first; "Awaiting approval" is the approval queue.

const loadAlerts = (query: string, signal: AbortSignal) => fetchAlerts(query, signal);

export default function AlertsPage() {
  const params = useSearchParams();
  const state = params.get('state') ?? '';
  const [list, retry] = useResource(state ? `?state=${state}` : '', loadAlerts);
  return (
    <Page
      title="Alerts"
      testId="alerts-page"
      actions={
        <Link to="/alerts/new" className="button button-primary">
          New alert
        </Link>
      }
    >
      <div className="tabs" role="tablist">
        {[
          ['', 'All'],
          ['pending_approval', 'Awaiting approval'],
          ['sent', 'Sent'],
          ['draft', 'Drafts'],
        ].map(([value, label]) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={state === value}
            className={state === value ? 'tab tab-active' : 'tab'}
            onClick={() => setSearchParams({ state: value ?? null })}
            data-testid={`alerts-tab-${value || 'all'}`}
          >
            {label}
          </button>
        ))}
      </div>
      <Loaded resource={list} onRetry={retry} what="alerts">
        {(alerts) =>
          alerts.length === 0 ? (
            <p className="muted">No alerts.</p>
          ) : (
            <table className="table" data-testid="alerts-table">
              <thead>
                <tr>
                  <th>Alert</th>
                  <th>State</th>
                  <th>Reach</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {alerts.map((a) => (
                  <tr key={a.id} className={a.content.status === 'Actual' ? undefined : 'alert-drill-row'}>
                    <td>
                      {a.content.status === 'Actual' ? null : (
                        <span className="badge alert-drill-badge">{a.content.status}</span>
                      )}{' '}
                      {a.content.msgType === 'Alert' ? null : (
                        <span className="badge">{a.content.msgType}</span>
                      )}{' '}
                      <Link to={`/alerts/${a.id}`}>{a.content.texts.en.headline}</Link>
                      <div className="muted small">{humanize(a.content.kind)}</div>
                    </td>
                    <td>
                      <StatusBadge
                        status={STATE_LABELS[a.state]}
                        tone={a.state === 'cancelled' ? 'bad' : a.state === 'sent' ? 'good' : 'warn'}
                      />
                      {a.approvalExpired ? <span className="muted small"> (approval expired)</span> : null}
                    </td>
                    <td>{a.recipientCount ?? '—'}</td>
                    <td className="small">{formatDateTime(a.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </Page>
  );
}
