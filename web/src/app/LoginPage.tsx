import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { TextField } from '../ui/Field.tsx';
import { ApiError } from './api.ts';
import { login, type User } from './auth.ts';

interface Props {
  /** Shown above the form, e.g. "Your session has expired". */
  notice?: string | null;
  onSignedIn: (user: User) => void;
}

interface LoginFailure {
  message: string;
  /** Epoch ms until which the server refuses attempts (429 + Retry-After). */
  lockedUntil: number | null;
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Re-renders once a second while a lock-out is running so the countdown stays honest. */
function useSecondsUntil(deadline: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [deadline]);
  return deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000));
}

export function LoginPage({ notice = null, onSignedIn }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<LoginFailure | null>(null);
  const errorId = useId();
  const passwordRef = useRef<HTMLInputElement>(null);
  const lockedFor = useSecondsUntil(failure?.lockedUntil ?? null);

  useEffect(() => {
    document.title = 'Sign in · Warden';
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setFailure({ message: 'Enter your email address and password.', lockedUntil: null });
      return;
    }
    setSubmitting(true);
    setFailure(null);
    try {
      const user = await login(email.trim(), password);
      onSignedIn(user);
    } catch (err) {
      if (err instanceof ApiError) {
        const lockedUntil =
          err.status === 429 && err.retryAfter !== null ? Date.now() + err.retryAfter * 1000 : null;
        setFailure({ message: err.message, lockedUntil });
      } else {
        setFailure({ message: 'Sign in failed unexpectedly. Please try again.', lockedUntil: null });
      }
      setPassword('');
      setSubmitting(false);
      // Put the user straight back where they need to type again.
      passwordRef.current?.focus();
    }
  };

  const locked = lockedFor > 0;
  // A lock-out is not the fault of what is typed in the fields, so do not mark them invalid.
  const invalid = failure !== null && failure.lockedUntil === null ? true : undefined;

  return (
    <main className="login" id="main">
      <div className="login-card">
        <div className="login-brand">
          <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <path d="M16 2 4 7v8c0 7.4 5.1 13.3 12 15 6.9-1.7 12-7.6 12-15V7z" />
          </svg>
          <span className="brand-name">Warden</span>
        </div>
        <h1 className="login-title">Sign in to the console</h1>
        {notice && !failure ? (
          <p className="form-notice" role="status" data-testid="login-notice">
            {notice}
          </p>
        ) : null}
        <form
          className="login-form"
          onSubmit={submit}
          noValidate
          aria-describedby={failure ? errorId : undefined}
        >
          <TextField
            id="login-email"
            label="Email"
            data-testid="login-email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={setEmail}
            invalid={invalid}
          />
          <TextField
            id="login-password"
            label="Password"
            data-testid="login-password"
            ref={passwordRef}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={setPassword}
            invalid={invalid}
          />
          {failure ? (
            <div className="form-error" id={errorId} role="alert" data-testid="login-error">
              <p>{failure.message}</p>
              {locked ? (
                <p className="form-error-detail">You can try again in {describeWait(lockedFor)}.</p>
              ) : null}
            </div>
          ) : null}
          <button
            type="submit"
            className="button button-primary"
            data-testid="login-submit"
            disabled={submitting || locked}
          >
            {submitting ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
