import { useEffect } from 'react';
import type { User } from '../app/auth.ts';
import { PasswordForm } from './PasswordForm.tsx';

/**
 * Shown instead of the console while the signed-in user still has a one-time password (created
 * or reset by an admin, or printed by the demo): the server refuses everything else until then.
 */
export function ForcedPasswordChange({
  user,
  onChanged,
  onSignOut,
}: {
  user: User;
  onChanged: () => void;
  onSignOut: () => void;
}) {
  useEffect(() => {
    document.title = 'Choose your password · Warden';
  }, []);
  return (
    <main className="login" id="main" data-testid="forced-password-change">
      <div className="login-card login-card-wide">
        <h1 className="login-title">Choose your own password</h1>
        <p className="muted">
          {user.email}: the password you signed in with was set by someone else and works only once. Choose
          one only you know before going on.
        </p>
        <PasswordForm onChanged={onChanged} submitLabel="Save and continue" />
        <button
          type="button"
          className="button button-quiet"
          onClick={onSignOut}
          data-testid="forced-sign-out"
        >
          Sign out instead
        </button>
      </div>
    </main>
  );
}
