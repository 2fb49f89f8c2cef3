import { useRef, useState } from 'react';
import { humanize } from '../ui/format.ts';
import { ApiError } from './api.ts';
import { logout, type User } from './auth.ts';
import { Link } from './router.tsx';

interface Props {
  user: User;
  onSignedOut: () => void;
}

export function UserMenu({ user, onSignedOut }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const more = useRef<HTMLDetailsElement>(null);

  const signOut = async () => {
    setBusy(true);
    setError(null);
    try {
      await logout();
    } catch (err) {
      // A 401 means the session is already gone, which is what the user wanted anyway. Anything
      // else leaves the session alive on the server, so say so instead of pretending.
      if (!(err instanceof ApiError && err.status === 401)) {
        setError(err instanceof Error ? `Sign out failed: ${err.message}` : 'Sign out failed.');
        setBusy(false);
        return;
      }
    }
    onSignedOut();
  };

  const scope = user.scope.length > 0 ? `Scope: ${user.scope.join(', ')}` : undefined;

  return (
    <div className="user-menu" data-testid="user-menu">
      <div className="user-identity" title={scope}>
        <span className="user-email" data-testid="user-email">
          {user.email}
        </span>
        <span className="user-role" data-testid="user-role">
          {humanize(user.role)}
        </span>
      </div>
      <details className="user-more" ref={more}>
        <summary className="button button-quiet" data-testid="user-more">
          Account
        </summary>
        {/* biome-ignore lint/a11y/useKeyWithClickEvents: closes the menu after a link is followed */}
        <nav
          className="user-more-panel"
          aria-label="Account"
          onClick={() => more.current?.removeAttribute('open')}
        >
          <Link to="/account" className="nav-link" data-testid="nav-account">
            My account
          </Link>
          {user.role === 'admin' ? (
            <>
              <Link to="/users" className="nav-link" data-testid="nav-users">
                Users
              </Link>
              <Link to="/audit" className="nav-link" data-testid="nav-audit">
                Audit log
              </Link>
            </>
          ) : null}
        </nav>
      </details>
      <button
        type="button"
        className="button button-quiet"
        data-testid="sign-out"
        onClick={signOut}
        disabled={busy}
      >
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
      {error ? (
        <p className="user-menu-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
