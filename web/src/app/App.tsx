import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { isPublicPath } from '../public/paths.ts';
import { FullPageMessage } from '../ui/FullPageMessage.tsx';
import { ForcedPasswordChange } from '../users/ForcedPasswordChange.tsx';
import { onUnauthenticated } from './api.ts';
import { fetchCurrentUser, logout, type User } from './auth.ts';
import { LoginPage } from './LoginPage.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { matchPath, navigate, usePath } from './router.tsx';
import { UserContext } from './session.tsx';
import { TopBar } from './TopBar.tsx';

// MapLibre is most of the bundle; the login page should not wait for it. Pages load on demand.
const MapPage = lazy(() => import('../map/MapPage.tsx'));
const PostsPage = lazy(() => import('../posts/PostsPage.tsx'));
const PostPage = lazy(() => import('../posts/PostPage.tsx'));
const PostEditPage = lazy(() => import('../posts/PostEditPage.tsx'));
const ApprovalsPage = lazy(() => import('../posts/ApprovalsPage.tsx'));
const AdvisoriesPage = lazy(() => import('../advisories/AdvisoriesPage.tsx'));
const AdvisoryPage = lazy(() => import('../advisories/AdvisoryPage.tsx'));
const AdvisoryEditorPage = lazy(() => import('../advisories/AdvisoryEditorPage.tsx'));
const TasksPage = lazy(() => import('../tasks/TasksPage.tsx'));
const DeliveriesPage = lazy(() => import('../deliveries/DeliveriesPage.tsx'));
const IncidentsPage = lazy(() => import('../incidents/IncidentsPage.tsx'));
const IncidentPage = lazy(() => import('../incidents/IncidentPage.tsx'));
const IncidentEditPage = lazy(() => import('../incidents/IncidentEditPage.tsx'));
const ImportPage = lazy(() => import('../incidents/ImportPage.tsx'));
const ActorsPage = lazy(() => import('../incidents/ActorsPage.tsx'));
const ActorPage = lazy(() => import('../incidents/ActorPage.tsx'));
const ThreatsPage = lazy(() => import('../incidents/ThreatsPage.tsx'));
const AlertsPage = lazy(() => import('../alerts/AlertsPage.tsx'));
const AlertPage = lazy(() => import('../alerts/AlertPage.tsx'));
const ComposePage = lazy(() => import('../alerts/ComposePage.tsx'));
const OrganisationsPage = lazy(() => import('../organisations/OrganisationsPage.tsx'));
const OrganisationPage = lazy(() => import('../organisations/OrganisationPage.tsx'));
const UsersPage = lazy(() => import('../users/UsersPage.tsx'));
const AccountPage = lazy(() => import('../users/AccountPage.tsx'));
const AuditPage = lazy(() => import('../audit/AuditPage.tsx'));
const TravellersPage = lazy(() => import('../enrollments/TravellersPage.tsx'));
const TravellerPage = lazy(() => import('../enrollments/TravellerPage.tsx'));
const DrawdownPage = lazy(() => import('../rosters/DrawdownPage.tsx'));
const AccountabilityPage = lazy(() => import('../checkins/AccountabilityPage.tsx'));
const NeedHelpPage = lazy(() => import('../checkins/NeedHelpPage.tsx'));
// Traveller pages: their own layout, no staff session.
const PublicApp = lazy(() => import('../public/PublicApp.tsx'));

function route(path: string) {
  if (path === '/') return <MapPage />;
  if (path === '/posts') return <PostsPage />;
  if (path === '/posts/new') return <PostEditPage id={null} />;
  let m = matchPath('/posts/:id/edit', path);
  if (m) return <PostEditPage key={m.id} id={m.id ?? null} />;
  m = matchPath('/posts/:id/drawdown', path);
  if (m) return <DrawdownPage key={m.id} id={m.id ?? ''} />;
  m = matchPath('/posts/:id', path);
  if (m) return <PostPage key={m.id} id={m.id ?? ''} />;
  if (path === '/approvals') return <ApprovalsPage focus={null} />;
  m = matchPath('/approvals/:id', path);
  if (m) return <ApprovalsPage focus={m.id ?? null} />;
  if (path === '/advisories') return <AdvisoriesPage />;
  m = matchPath('/advisories/:country/editions/:id', path);
  if (m) return <AdvisoryEditorPage key={m.id} country={(m.country ?? '').toUpperCase()} id={m.id ?? ''} />;
  m = matchPath('/advisories/:country', path);
  if (m) return <AdvisoryPage key={m.country} country={(m.country ?? '').toUpperCase()} />;
  if (path === '/tasks') return <TasksPage />;
  if (path === '/checkins/need-help') return <NeedHelpPage />;
  m = matchPath('/alerts/:id/accountability', path);
  if (m) return <AccountabilityPage key={m.id} id={m.id ?? ''} />;
  if (path === '/alerts') return <AlertsPage />;
  if (path === '/alerts/new') return <ComposePage />;
  m = matchPath('/alerts/:id', path);
  if (m) return <AlertPage key={m.id} id={m.id ?? ''} />;
  if (path === '/deliveries') return <DeliveriesPage />;
  if (path === '/incidents') return <IncidentsPage />;
  if (path === '/incidents/new') return <IncidentEditPage id={null} />;
  if (path === '/incidents/import') return <ImportPage />;
  m = matchPath('/incidents/:id/edit', path);
  if (m) return <IncidentEditPage key={m.id} id={m.id ?? null} />;
  m = matchPath('/incidents/:id', path);
  if (m) return <IncidentPage key={m.id} id={m.id ?? ''} />;
  if (path === '/actors') return <ActorsPage />;
  m = matchPath('/actors/:id', path);
  if (m) return <ActorPage key={m.id} id={m.id ?? ''} />;
  if (path === '/threats') return <ThreatsPage />;
  if (path === '/organisations') return <OrganisationsPage />;
  m = matchPath('/organisations/:id', path);
  if (m) return <OrganisationPage key={m.id} id={m.id ?? ''} />;
  if (path === '/users') return <UsersPage />;
  if (path === '/account') return <AccountPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/travellers') return <TravellersPage />;
  m = matchPath('/travellers/:id', path);
  if (m) return <TravellerPage key={m.id} id={m.id ?? ''} />;
  return <NotFoundPage path={path} />;
}

/** Where to go after signing in: the page asked for (same origin, a path only), or the map. */
function nextPage(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  return next && /^\/(?![/\\])/.test(next) && !next.startsWith('/login') ? next : '/';
}

type Session =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: User }
  | { status: 'error'; message: string };

export function App() {
  const path = usePath();
  if (isPublicPath(path)) {
    return (
      <Suspense fallback={<FullPageMessage title="Loading…" busy />}>
        <PublicApp />
      </Suspense>
    );
  }
  return <StaffApp />;
}

function StaffApp() {
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
    // Remember the page that was asked for, so that signing in leads back to it (issue 16).
    if (session.status === 'signed-out' && path !== '/login') {
      const asked = `${path}${window.location.search}`;
      navigate(asked === '/' ? '/login' : `/login?next=${encodeURIComponent(asked)}`, { replace: true });
    }
    if (session.status === 'signed-in' && path === '/login') navigate(nextPage(), { replace: true });
  }, [session.status, path]);

  const handleSignedIn = useCallback((user: User) => {
    setNotice(null);
    setSession({ status: 'signed-in', user });
    navigate(nextPage(), { replace: true });
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
  if (session.user.mustChangePassword) {
    return (
      <ForcedPasswordChange
        user={session.user}
        onChanged={() =>
          setSession({ status: 'signed-in', user: { ...session.user, mustChangePassword: false } })
        }
        onSignOut={() => {
          logout().finally(handleSignedOut);
        }}
      />
    );
  }

  return (
    <UserContext.Provider value={session.user}>
      <div className="shell">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <TopBar user={session.user} onSignedOut={handleSignedOut} />
        <main id="main" className="shell-main" tabIndex={-1}>
          <Suspense fallback={<FullPageMessage title="Loading…" busy inline />}>{route(path)}</Suspense>
        </main>
      </div>
    </UserContext.Provider>
  );
}
