import { type ChangeEvent, useEffect, useMemo, useState } from 'react';
import { POSTURE_LABELS } from '../../../src/domain/posts/labels.ts';
import type { MemberStatus } from '../../../src/domain/rosters/types.ts';
import { Link } from '../app/router.tsx';
import { inScope, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { fetchPost } from '../posts/client.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { formatDateTime } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import {
  type Drawdown,
  fetchDrawdown,
  fetchRoster,
  type ImportReport,
  importRoster,
  type RosterMember,
  setMemberStatus,
} from './client.ts';
import { SOURCE_LABELS, STATUS_LABELS } from './labels.ts';

// The drawdown board of a post: live headcounts, the roster with each member's status (set here
// or by the member's own check-in), the roster import, and the boards of earlier drawdowns.

const idOf = (key: string) => key.split('#')[0] ?? key;
const loadPost = (key: string, signal: AbortSignal) => fetchPost(idOf(key), signal);
const loadDrawdown = (key: string, signal: AbortSignal) => fetchDrawdown(idOf(key), signal);
const loadRoster = (key: string, signal: AbortSignal) => fetchRoster(idOf(key), signal);

const REFRESH_MS = 10_000;
type Counts = NonNullable<Drawdown['counts']>;
const COUNT_KEYS = ['departed', 'relocated', 'remaining', 'unaccounted'] as const;
const COUNT_LABELS: Record<(typeof COUNT_KEYS)[number], string> = {
  departed: 'Departed',
  relocated: 'Relocated',
  remaining: 'Remaining',
  unaccounted: 'Unaccounted',
};

function Headcounts({ counts }: { counts: Counts }) {
  return (
    <div data-testid="drawdown-counts">
      <dl className="headcounts">
        <div>
          <dt>Total</dt>
          <dd data-testid="count-total">{counts.total}</dd>
        </div>
        {COUNT_KEYS.map((k) => (
          <div key={k} className={`headcount-${k}`}>
            <dt>{COUNT_LABELS[k]}</dt>
            <dd data-testid={`count-${k}`}>{counts[k]}</dd>
          </div>
        ))}
      </dl>
      <div className="headcount-bar" role="img" aria-label="Headcounts as a bar">
        {COUNT_KEYS.map((k) =>
          counts[k] > 0 ? (
            <span
              key={k}
              className={`headcount-${k}`}
              style={{ flexGrow: counts[k] }}
              title={`${COUNT_LABELS[k]}: ${counts[k]}`}
            />
          ) : null,
        )}
      </div>
      <p className="muted">Essential staff remaining: {counts.essentialRemaining}</p>
    </div>
  );
}

function StatusEditor({
  postId,
  member,
  onSaved,
}: {
  postId: string;
  member: RosterMember;
  onSaved: () => void;
}) {
  const [status, setStatus] = useState<MemberStatus>(member.status);
  const [location, setLocation] = useState(member.location ?? '');
  const action = useAction(setMemberStatus);
  const needsPlace = status === 'departed' || status === 'relocated';
  const save = async () => {
    const done = await action.run(postId, member.id, {
      status,
      location: needsPlace && location.trim() ? location.trim() : null,
    });
    if (done) onSaved();
  };
  return (
    <div className="status-editor">
      <select
        aria-label={`Status of ${member.name}`}
        value={status}
        data-testid={`status-${member.reference}`}
        onChange={(e: ChangeEvent<HTMLSelectElement>) => setStatus(e.target.value as MemberStatus)}
      >
        {(Object.keys(STATUS_LABELS) as MemberStatus[]).map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </select>
      {needsPlace ? (
        <input
          aria-label={`Where ${member.name} went`}
          placeholder={status === 'relocated' ? 'Where (required)' : 'Where to (optional)'}
          value={location}
          maxLength={200}
          onChange={(e) => setLocation(e.target.value)}
        />
      ) : null}
      <button
        type="button"
        className="button button-small"
        disabled={action.busy}
        onClick={save}
        data-testid={`save-${member.reference}`}
      >
        Save
      </button>
      <ErrorNotice error={action.error} title="Status not saved" />
    </div>
  );
}

type Filter = 'all' | 'unaccounted' | MemberStatus;
type Sort = 'reference' | 'name' | 'status' | 'statusAt';

function RosterTable({
  postId,
  members,
  onSaved,
}: {
  postId: string;
  members: RosterMember[];
  onSaved: () => void;
}) {
  const [filter, setFilter] = useState<Filter>('all');
  const [sort, setSort] = useState<Sort>('reference');
  const shown = useMemo(() => {
    const list = members.filter((m) =>
      filter === 'all' ? true : filter === 'unaccounted' ? !m.accounted : m.status === filter,
    );
    return list.sort(
      (a, b) => String(a[sort]).localeCompare(String(b[sort])) || a.reference.localeCompare(b.reference),
    );
  }, [members, filter, sort]);
  return (
    <>
      <div className="form-row">
        <label>
          Show{' '}
          <select
            value={filter}
            onChange={(e) => setFilter(e.target.value as Filter)}
            data-testid="roster-filter"
          >
            <option value="all">Everyone</option>
            <option value="unaccounted">Unaccounted</option>
            {(Object.keys(STATUS_LABELS) as MemberStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Sort by{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="reference">Reference</option>
            <option value="name">Name</option>
            <option value="status">Status</option>
            <option value="statusAt">Last update</option>
          </select>
        </label>
      </div>
      <table className="table" data-testid="roster-table">
        <thead>
          <tr>
            <th>Ref.</th>
            <th>Name</th>
            <th>Role</th>
            <th>Contact</th>
            <th>Status</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((m) => (
            <tr key={m.id} data-testid={`member-${m.reference}`} data-accounted={m.accounted}>
              <td>{m.reference}</td>
              <td>
                {m.name}
                {m.kind === 'family' ? <span className="muted"> (family of {m.household})</span> : null}
                {m.kind === 'staff' && m.dependants > 0 ? (
                  <span className="muted"> +{m.dependants} family</span>
                ) : null}
              </td>
              <td>
                {m.role}
                {m.essential ? <span className="badge">essential</span> : null}
              </td>
              <td>{[m.email, m.phone].filter(Boolean).join(' · ')}</td>
              <td>
                <StatusEditor key={`${m.id}:${m.statusAt}`} postId={postId} member={m} onSaved={onSaved} />
                {m.location ? <div className="muted">{m.location}</div> : null}
              </td>
              <td>
                {formatDateTime(m.statusAt)}
                <div className="muted">{SOURCE_LABELS[m.statusSource] ?? m.statusSource}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 ? <p className="muted">Nobody here.</p> : null}
    </>
  );
}

interface RowError {
  row: number;
  line: number;
  field: string | null;
  reason: string;
}

function RosterImport({ postId, onImported }: { postId: string; onImported: () => void }) {
  const action = useAction(importRoster);
  const [report, setReport] = useState<ImportReport | null>(null);
  const rows = (action.error as { details?: { errors?: RowError[] } } | null)?.details?.errors ?? [];
  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setReport(null);
    const r = await action.run(postId, file);
    if (r) {
      setReport(r);
      onImported();
    }
  };
  return (
    <div>
      <p className="muted">
        Columns: reference, name, kind (staff or family), role, essential (yes/no), email, phone, household
        (for family: the staff member's reference), language. A file with any bad row imports nothing.
      </p>
      <input
        type="file"
        accept=".csv,text/csv"
        onChange={pick}
        disabled={action.busy}
        data-testid="roster-file"
      />
      {report ? (
        <p className="notice notice-good" role="status" data-testid="roster-import-report">
          Imported {report.rows} rows: {report.created} new, {report.updated} updated.
        </p>
      ) : null}
      <ErrorNotice error={action.error} title="Roster not imported" />
      {rows.length > 0 ? (
        <table className="table" data-testid="roster-import-errors">
          <thead>
            <tr>
              <th>Line</th>
              <th>Column</th>
              <th>Problem</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.line}:${r.field}:${r.reason}`}>
                <td>{r.line}</td>
                <td>{r.field ?? '—'}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

export default function DrawdownPage({ id }: { id: string }) {
  const user = useUser();
  const [version, setVersion] = useState(0);
  const key = `${id}#${version}`;
  const [post] = useResource(id, loadPost);
  const [drawdown, retryDrawdown] = useResource(key, loadDrawdown);
  const country = post.status === 'loaded' ? post.data.country : null;
  const personal = country !== null && inScope(user, { postId: id, country });
  const [roster, retryRoster] = useResource(personal ? key : null, loadRoster);
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    const t = setInterval(() => setVersion((v) => v + 1), REFRESH_MS);
    return () => clearInterval(t);
  }, []);

  const name = post.status === 'loaded' ? post.data.name : 'Post';
  return (
    <Page
      title={`Drawdown board — ${name}`}
      testId="drawdown-page"
      eyebrow={<Link to={`/posts/${id}`}>← {name}</Link>}
      wide
    >
      <Loaded resource={drawdown} onRetry={retryDrawdown} what="the drawdown board">
        {(d) => (
          <>
            <Section title="Headcounts" testId="drawdown-board">
              {d.board && d.counts ? (
                <>
                  <p data-testid="board-open">
                    Open since {formatDateTime(d.board.openedAt)} (
                    {POSTURE_LABELS[d.board.state as keyof typeof POSTURE_LABELS] ?? d.board.state}).
                  </p>
                  <Headcounts counts={d.counts} />
                </>
              ) : (
                <p data-testid="board-closed">
                  No drawdown now. A board opens when the post enters authorized or ordered departure, and
                  closes when it returns to normal operations.
                </p>
              )}
            </Section>
            {d.history.some((b) => b.closedAt) ? (
              <Section title="Earlier drawdowns">
                <ul data-testid="board-history">
                  {d.history
                    .filter((b) => b.closedAt)
                    .map((b) => (
                      <li key={b.id}>
                        {formatDateTime(b.openedAt)} – {formatDateTime(b.closedAt)}:{' '}
                        {b.finalCounts
                          ? `${b.finalCounts.total} people, ${b.finalCounts.departed} departed, ${b.finalCounts.relocated} relocated, ${b.finalCounts.remaining} remaining, ${b.finalCounts.unaccounted} unaccounted`
                          : ''}
                      </li>
                    ))}
                </ul>
              </Section>
            ) : null}
          </>
        )}
      </Loaded>
      {personal ? (
        <>
          <Section title="Roster" testId="roster">
            <Loaded resource={roster} onRetry={retryRoster} what="the roster">
              {(members) => <RosterTable postId={id} members={members} onSaved={reload} />}
            </Loaded>
          </Section>
          <Section title="Import the roster (CSV)">
            <RosterImport postId={id} onImported={reload} />
          </Section>
        </>
      ) : null}
    </Page>
  );
}
