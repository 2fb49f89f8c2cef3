import { type FormEvent, useCallback, useState } from 'react';
import { usePeople } from '../app/people.ts';
import { Link, setSearchParams, useSearchParams } from '../app/router.tsx';
import { useUser } from '../app/session.tsx';
import { useResource } from '../app/useResource.ts';
import { TextField } from '../ui/Field.tsx';
import { formatDateTime, fromLocalInput } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import { type AuditEntry, fetchAudit, PAGE_SIZE, verifyAudit } from './client.ts';

const loadVerify = (_key: string, signal: AbortSignal) => verifyAudit(signal);

/** The console page of an audit target, where there is one. */
export function targetLink(target: string | null): string | null {
  if (!target) return null;
  const [kind, id] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
  if (!id) return null;
  switch (kind) {
    case 'post':
      return `/posts/${id}`;
    case 'incident':
      return `/incidents/${id}`;
    case 'actor':
      return `/actors/${id}`;
    case 'organisation':
      return `/organisations/${id}`;
    case 'enrollment':
      return `/travellers/${id}`;
    case 'posture_request':
    case 'posture-request':
      return `/approvals/${id}`;
    case 'advisory':
    case 'country':
      return /^[A-Z]{2}$/.test(id) ? `/advisories/${id}` : null;
    case 'user':
      return '/users';
    default:
      return null;
  }
}

function ChainState() {
  const [verify, retry] = useResource('verify', loadVerify);
  return (
    <Section
      title="Chain"
      testId="audit-chain"
      actions={
        <button type="button" className="button button-small" onClick={retry}>
          Verify again
        </button>
      }
    >
      <Loaded resource={verify} onRetry={retry} what="the verification">
        {(v) => (
          <dl className="audit-chain">
            <dt>Verification</dt>
            <dd data-testid="audit-verify">
              {v.ok ? (
                <span className="badge tone-good">Intact: {v.checked.toLocaleString()} entries checked</span>
              ) : (
                <span className="badge tone-bad">
                  Broken at entry {v.firstBreak?.seq}: {v.firstBreak?.reason}
                </span>
              )}
            </dd>
            <dt>Head</dt>
            <dd className="audit-hash">{v.head ? `#${v.head.seq} ${v.head.hash}` : 'empty'}</dd>
            <dt>Latest checkpoint</dt>
            <dd data-testid="audit-checkpoint">
              {v.latestCheckpoint ? (
                <>
                  #{v.latestCheckpoint.seq} at {formatDateTime(v.latestCheckpoint.at)}{' '}
                  <span className="audit-hash">{v.latestCheckpoint.hash}</span>
                </>
              ) : (
                'none written yet (warden audit checkpoint, or the scheduler)'
              )}
            </dd>
          </dl>
        )}
      </Loaded>
    </Section>
  );
}

function Summary({ summary }: { summary: Record<string, unknown> }) {
  const text = JSON.stringify(summary);
  if (text === '{}') return null;
  return <div className="audit-summary">{text.length > 400 ? `${text.slice(0, 400)}…` : text}</div>;
}

export default function AuditPage() {
  const me = useUser();
  const person = usePeople(me);
  const params = useSearchParams();
  const filter = {
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    target: params.get('target') ?? '',
    since: params.get('since') ?? '',
    until: params.get('until') ?? '',
  };
  const [form, setForm] = useState(filter);
  const [before, setBefore] = useState<number | undefined>(undefined);
  const key = JSON.stringify({ ...filter, before });
  const load = useCallback((k: string, signal: AbortSignal) => fetchAudit(JSON.parse(k), signal), []);
  const [entries, retry] = useResource(me.role === 'admin' ? key : null, load);
  if (me.role !== 'admin') {
    return (
      <Page title="Audit log">
        <p className="notice notice-warn">The audit log is open to administrators.</p>
      </Page>
    );
  }
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setBefore(undefined);
    setSearchParams({
      actor: form.actor.trim() || null,
      action: form.action.trim() || null,
      target: form.target.trim() || null,
      since: form.since ? fromLocalInput(form.since) : null,
      until: form.until ? fromLocalInput(form.until) : null,
    });
  };
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  return (
    <Page
      title="Audit log"
      testId="audit-page"
      wide
      meta={
        <p className="muted">
          Every change and every read of personal data, newest first, in a keyed hash chain.
        </p>
      }
    >
      <ChainState />
      <Section title="Entries" testId="audit-entries">
        <form className="audit-filters" onSubmit={apply} data-testid="audit-filter">
          <TextField
            id="audit-actor"
            label="Actor"
            value={form.actor}
            onChange={set('actor')}
            placeholder="user:<id>, cli, system"
            hint="Click a name below to filter by it"
            hintBelow
          />
          <TextField
            id="audit-action"
            label="Action"
            value={form.action}
            onChange={set('action')}
            placeholder="user.create, or user."
            data-testid="audit-action"
          />
          <TextField
            id="audit-target"
            label="Target"
            value={form.target}
            onChange={set('target')}
            placeholder="post:<id>, or post:"
            data-testid="audit-target"
          />
          <TextField
            id="audit-since"
            label="From"
            type="datetime-local"
            value={form.since}
            onChange={set('since')}
          />
          <TextField
            id="audit-until"
            label="Until"
            type="datetime-local"
            value={form.until}
            onChange={set('until')}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" data-testid="audit-apply">
              Filter
            </button>
          </div>
        </form>
        <Loaded resource={entries} onRetry={retry} what="audit entries">
          {(list) => (
            <EntryTable
              list={list}
              person={person}
              onMore={list.length === PAGE_SIZE ? () => setBefore(list.at(-1)?.seq) : null}
            />
          )}
        </Loaded>
      </Section>
    </Page>
  );
}

function EntryTable({
  list,
  person,
  onMore,
}: {
  list: AuditEntry[];
  person: (actor: string | null) => string;
  onMore: (() => void) | null;
}) {
  if (list.length === 0) return <p className="muted">No entries match.</p>;
  return (
    <>
      <div className="table-wrap">
        <table className="table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e) => {
              const href = targetLink(e.target);
              return (
                <tr key={e.seq} data-testid={`audit-row-${e.seq}`} data-action={e.action}>
                  <td>{e.seq.toLocaleString()}</td>
                  <td>{formatDateTime(e.at)}</td>
                  <td>
                    {e.actor ? (
                      <Link to={`/audit?actor=${encodeURIComponent(e.actor)}`}>{person(e.actor)}</Link>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{e.action}</td>
                  <td>
                    {href ? (
                      <Link to={href}>{e.target?.startsWith('user:') ? person(e.target) : e.target}</Link>
                    ) : (
                      (e.target ?? '—')
                    )}
                  </td>
                  <td>
                    <Summary summary={e.summary} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {onMore ? (
        <button type="button" className="button" onClick={onMore}>
          Older entries
        </button>
      ) : null}
    </>
  );
}
