import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { onUnauthenticated } from './api.ts';
import { fetchCurrentUser, type User } from './auth.ts';
import { FullPageMessage } from './components/FullPageMessage.tsx';
import { TopBar } from './components/TopBar.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { navigate, usePath } from './router.tsx';

// MapLibre is most of the bundle; the login page should not wait for it.
const MapPage = lazy(() => import('./pages/MapPage.tsx'));

type Session =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: User }
  | { status: 'error'; message: string };

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // Why the user is looking at the login page, when it is not simply because they never signed in.
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    void attempt; // "Try again" bumps this to re-run the session check.
    const controller = new AbortController();
    fetchCurrentUser(controller.signal).then(
      (user) => setSession(user ? { status: 'signed-in', user } : { status: 'signed-out' }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        const message = err instanceof Error ? err.message : String(err);
        setSession({ status: 'error', message });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  useEffect(
    () =>
      onUnauthenticated((error) => {
        setSession({ status: 'signed-out' });
        if (error.code === 'session_expired') setNotice(error.message);
      }),
    [],
  );

  useEffect(() => {
    if (session.status === 'signed-out' && path !== '/login') navigate('/login', { replace: true });
    if (session.status === 'signed-in' && path === '/login') navigate('/', { replace: true });
  }, [session.status, path]);

  const handleSignedIn = useCallback((user: User) => {
    setNotice(null);
    setSession({ status: 'signed-in', user });
    navigate('/', { replace: true });
  }, []);

  const handleSignedOut = useCallback(() => {
    setSession({ status: 'signed-out' });
    navigate('/login', { replace: true });
  }, []);

  if (session.status === 'loading') return <FullPageMessage title="Loading Warden…" busy />;
  if (session.status === 'error') {
    return (
      <FullPageMessage title="Warden is unavailable" detail={session.message}>
        <button
          type="button"
          className="button"
          onClick={() => {
            setSession({ status: 'loading' });
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      </FullPageMessage>
    );
  }
  // Render the login form straight away rather than flashing a protected page before the redirect.
  if (session.status === 'signed-out') return <LoginPage notice={notice} onSignedIn={handleSignedIn} />;
  if (path === '/login') return <FullPageMessage title="Loading Warden…" busy />;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar user={session.user} onSignedOut={handleSignedOut} />
      <main id="main" className="shell-main" tabIndex={-1}>
        <Suspense fallback={<FullPageMessage title="Loading map…" busy inline />}>
          {path === '/' ? <MapPage /> : <NotFoundPage path={path} />}
        </Suspense>
      </main>
    </div>
  );
}
