import { type FormEvent, useEffect, useState } from 'react';
import { answerRosterCheckin, type CheckinView, viewRosterCheckin } from '../rosters/client.ts';
import { PublicError } from './Field.tsx';
import { PublicPage } from './PublicLayout.tsx';
import { dropFragment, useFragmentToken } from './session.ts';

type Answer = 'departed' | 'relocated' | 'remaining';
const CHOICES: Array<{ value: Answer; label: string }> = [
  { value: 'departed', label: 'I have left the country' },
  { value: 'relocated', label: 'I have moved elsewhere in the country (or to another post)' },
  { value: 'remaining', label: 'I am staying at post' },
];

/**
 * The roster check-in of a drawdown: a member of the post's staff or family says where they are,
 * from the link they were sent (#token=…). Using the link again changes the answer.
 */
export function RosterCheckinPage() {
  const token = useFragmentToken();
  const [view, setView] = useState<CheckinView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [answer, setAnswer] = useState<Answer>('departed');
  const [location, setLocation] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    dropFragment();
    if (!token) return;
    let live = true;
    viewRosterCheckin(token).then(
      (v) => live && setView(v),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [token]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      const r = await answerRosterCheckin({
        token,
        status: answer,
        location: answer !== 'remaining' && location.trim() ? location.trim() : null,
      });
      setDone(r.at);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!token) {
    return (
      <PublicPage title="Staff check-in" testId="roster-checkin-page">
        <p>Open the link in the check-in message you were sent.</p>
      </PublicPage>
    );
  }
  if (done) {
    return (
      <PublicPage title="Thank you" testId="roster-checkin-page">
        <div className="notice notice-good" role="status" data-testid="roster-checkin-done">
          <p>Your post has your answer. If you move again, open the same link and tell us.</p>
        </div>
      </PublicPage>
    );
  }
  return (
    <PublicPage
      title={view ? `Where are you? — ${view.postName}` : 'Where are you?'}
      testId="roster-checkin-page"
    >
      {error ? <PublicError error={error} testId="roster-checkin-error" /> : null}
      {view ? (
        <form onSubmit={submit} className="form">
          <fieldset>
            <legend>Tell your post where you are now</legend>
            {CHOICES.map((c) => (
              <label key={c.value} className="choice">
                <input
                  type="radio"
                  name="status"
                  value={c.value}
                  checked={answer === c.value}
                  onChange={() => setAnswer(c.value)}
                />{' '}
                {c.label}
              </label>
            ))}
          </fieldset>
          {answer !== 'remaining' ? (
            <label className="field">
              Where are you? {answer === 'relocated' ? '(required)' : '(optional)'}
              <input value={location} maxLength={200} onChange={(e) => setLocation(e.target.value)} />
            </label>
          ) : null}
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="roster-checkin-submit"
          >
            Send
          </button>
        </form>
      ) : error ? null : (
        <p role="status" className="muted">
          One moment.
        </p>
      )}
    </PublicPage>
  );
}
