import type { Reach } from './client.ts';

/** The composer's and approver's reach: people by precision, contacts per channel. Counts only. */
export function ReachPanel({ reach, busy }: { reach: Reach | null; busy?: boolean }) {
  if (!reach) return <p className="muted small">Draw or pick an area to see who it reaches.</p>;
  const p = reach.people;
  return (
    <div className="alert-reach" data-testid="alert-reach" aria-busy={busy ? 'true' : undefined}>
      <p>
        <strong data-testid="reach-total">{p.total}</strong> {p.total === 1 ? 'person' : 'people'}
        {reach.drillOnly ? ' (drill participants only)' : ''}
      </p>
      <ul className="plain-list small">
        <li>
          Exact location: <span data-testid="reach-exact">{p.exact}</span>
        </li>
        <li>
          Approximate (town or city): <span data-testid="reach-approximate">{p.approximate}</span>
        </li>
        <li>
          Known only by country: <span data-testid="reach-country">{p.countryOnly}</span>
        </li>
        <li>
          Emails {reach.channels.email.contacts} · SMS {reach.channels.sms.contacts} · webhooks{' '}
          {reach.channels.webhook.contacts}
        </li>
      </ul>
      {reach.warnings.includes('no_recipients') ? (
        <p className="notice notice-warn small" data-testid="reach-warning">
          This area reaches nobody enrolled now. You can still send it (it is published).
        </p>
      ) : null}
    </div>
  );
}
