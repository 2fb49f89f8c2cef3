import { useEffect, useState } from 'react';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { formatDateTime } from '../ui/format.ts';
import { Loaded } from '../ui/Page.tsx';
import { fetchNeedHelp, markHandled, type NeedHelpCase } from './client.ts';

// The need-help queue: people who answered "I need help", newest first, until staff mark them
// handled (who, when, a note). Polled every second: the issue asks for the dashboard to show a new
// answer within 2 seconds.

const POLL_MS = 1000;
// Keys are `<alertId>|<open|handled>#<poll>`: the poll counter makes each second a new load.
const load = (key: string, signal: AbortSignal) => {
  const [alertId, open] = (key.split('#')[0] ?? key).split('|');
  return fetchNeedHelp({ ...(alertId ? { alertId } : {}), open: open === 'open' }, signal);
};

function HandleForm({ c, onDone }: { c: NeedHelpCase; onDone: () => void }) {
  const [note, setNote] = useState('');
  const action = useAction(markHandled);
  return (
    <form
      className="status-editor"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await action.run(c.id, note)) onDone();
      }}
    >
      <input
        aria-label="Note"
        placeholder="What was done (optional)"
        value={note}
        maxLength={1000}
        onChange={(e) => setNote(e.target.value)}
      />
      <button
        type="submit"
        className="button button-small"
        disabled={action.busy}
        data-testid={`handle-${c.id}`}
      >
        Mark handled
      </button>
      <ErrorNotice error={action.error} title="Not marked handled" />
    </form>
  );
}

export function NeedHelpQueue({ alertId }: { alertId?: string }) {
  const [tick, setTick] = useState(0);
  const [show, setShow] = useState<'open' | 'handled'>('open');
  const [cases] = useResource(`${alertId ?? ''}|${show}#${tick}`, load);
  const [last, setLast] = useState<NeedHelpCase[] | null>(null);
  useEffect(() => {
    if (cases.status === 'loaded') setLast(cases.data);
  }, [cases]);
  // A different list (open or handled) starts blank rather than showing the other one.
  useEffect(() => {
    void show;
    setLast(null);
  }, [show]);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(t);
  }, []);
  // Keep showing the last list while the next poll loads (no flicker every second).
  const list = last;
  return (
    <div data-testid="need-help-queue">
      <div className="form-row">
        <label>
          Show{' '}
          <select
            value={show}
            onChange={(e) => setShow(e.target.value as 'open' | 'handled')}
            data-testid="need-help-show"
          >
            <option value="open">Open</option>
            <option value="handled">Handled</option>
          </select>
        </label>
      </div>
      {list === null ? (
        <Loaded resource={cases} what="the need-help queue">
          {() => null}
        </Loaded>
      ) : list.length === 0 ? (
        <p className="muted" data-testid="need-help-empty">
          {show === 'open' ? 'Nobody is waiting for help.' : 'No handled cases.'}
        </p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Since</th>
              <th>Person</th>
              <th>Contact</th>
              <th>Note and location</th>
              <th>{show === 'open' ? 'Action' : 'Handled'}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.id} data-testid="need-help-case">
                <td>{formatDateTime(c.openedAt)}</td>
                <td data-testid="need-help-name">
                  {c.person?.name ?? <span className="muted">erased</span>}
                </td>
                <td>{[c.person?.phone, c.person?.email].filter(Boolean).join(' · ')}</td>
                <td>
                  {c.person?.note ?? ''}
                  {c.person?.location ? (
                    <div className="muted">
                      {c.person.location.lat.toFixed(4)}, {c.person.location.lon.toFixed(4)}
                    </div>
                  ) : null}
                </td>
                <td>
                  {c.handledAt ? (
                    <>
                      {formatDateTime(c.handledAt)} by {c.handledBy}
                      {c.handledNote ? <div className="muted">{c.handledNote}</div> : null}
                    </>
                  ) : (
                    <HandleForm c={c} onDone={() => setTick((n) => n + 1)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
