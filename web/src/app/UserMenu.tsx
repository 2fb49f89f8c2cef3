import { useState } from 'react';
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
      {user.role === 'admin' ? (
        <nav className="user-admin" aria-label="Administration">
          <Link to="/users" className="nav-link" data-testid="nav-users">
            Users
          </Link>
          <Link to="/audit" className="nav-link" data-testid="nav-audit">
            Audit log
          </Link>
        </nav>
      ) : null}
      <div className="user-identity" title={scope}>
        <Link to="/account" className="user-email" data-testid="user-email" title="My account">
          {user.email}
        </Link>
        <span className="user-role" data-testid="user-role">
          {humanize(user.role)}
        </span>
      </div>
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
