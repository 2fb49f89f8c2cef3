import { useEffect, useState } from 'react';
import { ApiError } from '../app/api.ts';
import { Link } from '../app/router.tsx';
import { type Enrollment, fetchMine, type TravellerSession } from '../enrollments/client.ts';
import { PublicError } from './Field.tsx';
import { LinkRequestForm } from './LinkRequestForm.tsx';
import { ManageEnrollment } from './ManageEnrollment.tsx';
import { PublicPage } from './PublicLayout.tsx';
import {
  clearSession,
  dropFragment,
  exchangeManageToken,
  loadSession,
  saveSession,
  useFragmentToken,
} from './session.ts';

type State =
  | { status: 'ask' }
  | { status: 'opening' }
  | { status: 'ready'; session: TravellerSession; enrollment: Enrollment }
  | { status: 'link-failed'; error: unknown }
  | { status: 'expired' }
  | { status: 'erased' }
  | { status: 'error'; error: unknown };

/** The session to use: a fresh manage link wins over one kept from earlier in this tab. */
async function open(
  token: string | null,
): Promise<{ session: TravellerSession; enrollment: Enrollment } | null> {
  let session = loadSession();
  if (token) {
    session = await exchangeManageToken(token);
    saveSession(session);
  }
  if (!session) return null;
  return { session, enrollment: await fetchMine(session.sessionToken) };
}

export function ManagePage() {
  const token = useFragmentToken();
  const [state, setState] = useState<State>(() =>
    token || loadSession() ? { status: 'opening' } : { status: 'ask' },
  );

  useEffect(() => {
    dropFragment();
    if (token) setState({ status: 'opening' });
    let live = true;
    open(token).then(
      (opened) => {
        if (live) setState(opened ? { status: 'ready', ...opened } : { status: 'ask' });
      },
      (error: unknown) => {
        if (!live) return;
        const invalid = error instanceof ApiError && error.code === 'invalid_token';
        if (invalid) clearSession();
        // A bad link says so; a stored session that ran out just asks for a new link.
        setState(
          token && invalid
            ? { status: 'link-failed', error }
            : invalid
              ? { status: 'expired' }
              : { status: 'error', error },
        );
      },
    );
    return () => {
      live = false;
    };
  }, [token]);

  const expired = () => {
    clearSession();
    setState({ status: 'expired' });
  };

  switch (state.status) {
    case 'opening':
      return (
        <PublicPage title="Your enrollment" testId="manage-page">
          <p role="status" className="muted">
            Opening your enrollment…
          </p>
        </PublicPage>
      );
    case 'ready':
      return (
        <PublicPage title="Your enrollment" testId="manage-page">
          <ManageEnrollment
            session={state.session.sessionToken}
            expiresAt={state.session.expiresAt}
            enrollment={state.enrollment}
            onChanged={(enrollment) => setState({ ...state, enrollment })}
            onExpired={expired}
            onErased={() => {
              clearSession();
              setState({ status: 'erased' });
              window.scrollTo(0, 0);
            }}
            onDone={() => {
              clearSession();
              setState({ status: 'ask' });
            }}
          />
        </PublicPage>
      );
    case 'erased':
      return (
        <PublicPage title="Your enrollment is deleted" testId="manage-erased">
          <div className="notice notice-good" role="status">
            <p>We have deleted your details, contacts and trips. We will not contact you again.</p>
          </div>
          <p>
            Travelling again? <Link to="/enroll">Enroll a new trip</Link>.
          </p>
        </PublicPage>
      );
    case 'error':
      return (
        <PublicPage title="Your enrollment" testId="manage-page">
          <PublicError error={state.error} testId="manage-error" />
          <p>
            <button type="button" className="button" onClick={() => window.location.reload()}>
              Try again
            </button>
          </p>
        </PublicPage>
      );
    default:
      return (
        <PublicPage
          title="Manage your enrollment"
          testId="manage-page"
          lead="To see or change your trips and contacts, or to delete your enrollment, we email you a link that opens it."
        >
          {state.status === 'link-failed' ? (
            <div data-testid="manage-link-failed">
              <PublicError error={state.error} testId="manage-link-error" />
              <p>Links work once and expire after a short while. Ask for a new one:</p>
            </div>
          ) : null}
          {state.status === 'expired' ? (
            <div className="notice notice-warn" role="status" data-testid="manage-expired">
              <p>Your session has ended. Ask for a new link to carry on.</p>
            </div>
          ) : null}
          <LinkRequestForm />
          <p className="muted small">
            Not enrolled yet? <Link to="/enroll">Enroll your trip</Link>.
          </p>
        </PublicPage>
      );
  }
}
