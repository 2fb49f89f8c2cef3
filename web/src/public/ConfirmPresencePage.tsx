import { useEffect, useState } from 'react';
import { Link } from '../app/router.tsx';
import { confirmPresenceByLink } from '../enrollments/client.ts';
import { PublicError } from './Field.tsx';
import { PublicPage } from './PublicLayout.tsx';
import { dropFragment, once, useFragmentToken } from './session.ts';

type State =
  | { status: 'none' | 'checking' | 'confirmed' | 'already_confirmed' }
  | { status: 'failed'; error: unknown };

const confirmations = new Map<string, Promise<{ status: 'confirmed' | 'already_confirmed' }>>();

/** The landing page of a presence reminder: "I am still there", in one tap. */
export function ConfirmPresencePage() {
  const token = useFragmentToken();
  const [state, setState] = useState<State>({ status: token ? 'checking' : 'none' });

  useEffect(() => {
    dropFragment();
    if (!token) return;
    setState({ status: 'checking' });
    let live = true;
    once(confirmations, token, confirmPresenceByLink).then(
      (r) => live && setState({ status: r.status }),
      (error: unknown) => live && setState({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [token]);

  if (state.status === 'confirmed' || state.status === 'already_confirmed') {
    return (
      <PublicPage title="Thank you" testId="presence-page">
        <div
          className="notice notice-good"
          role="status"
          data-testid="presence-result"
          data-status={state.status}
        >
          <p>
            {state.status === 'confirmed'
              ? 'We have noted that you are still there. Safety alerts for that country keep reaching you.'
              : 'You had already confirmed this; nothing more to do.'}
          </p>
        </div>
        <p>
          Moved on or left? Change your trips on <Link to="/enroll/manage">My enrollment</Link>.
        </p>
      </PublicPage>
    );
  }
  return (
    <PublicPage title="Confirm you are still there" testId="presence-page">
      {state.status === 'checking' ? (
        <p role="status" className="muted">
          One moment.
        </p>
      ) : null}
      {state.status === 'failed' ? <PublicError error={state.error} testId="presence-error" /> : null}
      {state.status !== 'checking' ? (
        <p>
          Open the link in our reminder to confirm, or confirm on{' '}
          <Link to="/enroll/manage">My enrollment</Link>, where you can also change or end your trips.
        </p>
      ) : null}
    </PublicPage>
  );
}
