import { useEffect, useState } from 'react';
import { Link } from '../app/router.tsx';
import { useResource } from '../app/useResource.ts';
import { formatDateTime } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import {
  type Accountability,
  type Bucket,
  fetchAccountability,
  fetchPeople,
  peopleCsvUrl,
} from './client.ts';
import { NeedHelpQueue } from './NeedHelpQueue.tsx';

// The accountability dashboard of one alert: the numbers (live), answers over time, the people
// behind each number with filter and sort, a CSV export, and the alert's need-help queue.

const POLL_MS = 2000;
const idOf = (key: string) => key.split('#')[0] ?? key;
const loadCounts = (key: string, signal: AbortSignal) => fetchAccountability(idOf(key), signal);
const loadPeople = (key: string, signal: AbortSignal) => {
  const [id, bucket, sort] = idOf(key).split('|');
  return fetchPeople(
    id ?? '',
    { bucket: (bucket ?? '') as Bucket | '', sort: (sort as 'name') || 'bucket' },
    signal,
  );
};

const LABELS: Record<Bucket | 'erased', string> = {
  need_help: 'Need help',
  safe: 'Safe',
  no_answer: 'No answer',
  unreachable: 'Unreachable',
  pending: 'Not reached yet',
  erased: 'Erased',
};
const ORDER: Array<Bucket | 'erased'> = [
  'need_help',
  'safe',
  'no_answer',
  'unreachable',
  'pending',
  'erased',
];

function Numbers({ a }: { a: Accountability }) {
  const r = a.rollup;
  return (
    <>
      <dl className="headcounts" data-testid="accountability-counts">
        <div>
          <dt>Targeted</dt>
          <dd data-testid="acc-targeted">{r.targeted}</dd>
        </div>
        <div>
          <dt>Reached</dt>
          <dd data-testid="acc-reached">{r.reached}</dd>
        </div>
        {ORDER.map((b) => (
          <div key={b} className={`bucket-${b}`}>
            <dt>{LABELS[b]}</dt>
            <dd data-testid={`acc-${b}`}>{r[b]}</dd>
          </div>
        ))}
      </dl>
      <div className="headcount-bar" role="img" aria-label="Accountability as a bar">
        {ORDER.map((b) =>
          r[b] > 0 ? (
            <span
              key={b}
              className={`bucket-${b}`}
              style={{ flexGrow: r[b] }}
              title={`${LABELS[b]}: ${r[b]}`}
            />
          ) : null,
        )}
      </div>
    </>
  );
}

function Timeline({ a }: { a: Accountability }) {
  const hours = [...new Set(a.timeline.map((t) => t.hour))];
  const max = Math.max(
    1,
    ...hours.map((h) => a.timeline.filter((t) => t.hour === h).reduce((s, t) => s + t.n, 0)),
  );
  if (hours.length === 0) return <p className="muted">No answers yet.</p>;
  return (
    <div className="answer-bars" data-testid="answer-bars">
      {hours.map((h) => {
        const of = (answer: string) => a.timeline.find((t) => t.hour === h && t.answer === answer)?.n ?? 0;
        return (
          <div
            key={h}
            className="answer-bar"
            title={`${h}:00 UTC: ${of('safe')} safe, ${of('need_help')} need help`}
          >
            <span className="bucket-need_help" style={{ height: `${(of('need_help') / max) * 100}%` }} />
            <span className="bucket-safe" style={{ height: `${(of('safe') / max) * 100}%` }} />
            <small>{h.slice(11)}h</small>
          </div>
        );
      })}
    </div>
  );
}

export default function AccountabilityPage({ id }: { id: string }) {
  const [tick, setTick] = useState(0);
  const [bucket, setBucket] = useState<Bucket | ''>('need_help');
  const [sort, setSort] = useState<'bucket' | 'name' | 'answeredAt'>('bucket');
  const [counts, retry] = useResource(`${id}#${tick}`, loadCounts);
  const [last, setLast] = useState<Accountability | null>(null);
  // The list reloads when the numbers move (not every poll: each load is an audited read).
  const moved = last ? Object.values(last.rollup).join('.') : '';
  const [people, retryPeople] = useResource(`${id}|${bucket}|${sort}#${moved}`, loadPeople);
  useEffect(() => {
    if (counts.status === 'loaded') setLast(counts.data);
  }, [counts]);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(t);
  }, []);

  return (
    <Page
      title="Accountability"
      testId="accountability-page"
      eyebrow={<Link to="/checkins/need-help">← Need-help queue</Link>}
      wide
    >
      <Section title="Now">
        {last ? (
          <>
            <p className="muted">
              {last.checkIn.requested
                ? `Check-in requested${last.checkIn.deadline ? `, due ${formatDateTime(last.checkIn.deadline)}` : ''}.`
                : 'This alert did not ask people to check in; only delivery is counted.'}
            </p>
            <Numbers a={last} />
          </>
        ) : (
          <Loaded resource={counts} onRetry={retry} what="the numbers">
            {() => null}
          </Loaded>
        )}
      </Section>
      <Section title="Need help">
        <NeedHelpQueue alertId={id} />
      </Section>
      <Section title="Answers over time (per hour, UTC)">{last ? <Timeline a={last} /> : null}</Section>
      <Section
        title="People"
        actions={
          <a className="button button-small" href={peopleCsvUrl(id, bucket)} data-testid="people-csv">
            Export CSV
          </a>
        }
      >
        <div className="form-row">
          <label>
            Show{' '}
            <select
              value={bucket}
              onChange={(e) => setBucket(e.target.value as Bucket | '')}
              data-testid="people-bucket"
            >
              <option value="">Everyone</option>
              {ORDER.filter((b) => b !== 'erased').map((b) => (
                <option key={b} value={b}>
                  {LABELS[b]}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            Sort by{' '}
            <select value={sort} onChange={(e) => setSort(e.target.value as 'name')}>
              <option value="bucket">Status</option>
              <option value="name">Name</option>
              <option value="answeredAt">Latest answer</option>
            </select>
          </label>{' '}
          <button type="button" className="button button-small" onClick={retryPeople}>
            Refresh
          </button>
        </div>
        <Loaded resource={people} onRetry={retryPeople} what="the people">
          {(list) => (
            <table className="table" data-testid="people-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Status</th>
                  <th>Answer</th>
                  <th>Contact</th>
                  <th>Note</th>
                  <th>Location</th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr key={p.personId}>
                    <td>{p.name}</td>
                    <td>{LABELS[p.bucket]}</td>
                    <td>
                      {p.answeredAt ? `${formatDateTime(p.answeredAt)} (${p.channel})` : '—'}
                      {p.late ? <span className="badge">late</span> : null}
                    </td>
                    <td>{[p.phone, p.email].filter(Boolean).join(' · ')}</td>
                    <td>{p.note ?? ''}</td>
                    <td>{p.location ? `${p.location.lat.toFixed(4)}, ${p.location.lon.toFixed(4)}` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Loaded>
      </Section>
    </Page>
  );
}
