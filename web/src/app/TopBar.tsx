import { useEffect, useState } from 'react';
import { fetchSignals, groupSignals } from '../incidents/trendsClient.ts';
import { fetchPostureRequests } from '../posts/postureClient.ts';
import { fetchTasks } from '../tasks/client.ts';
import type { User } from './auth.ts';
import { onChange } from './changes.ts';
import { Link } from './router.tsx';
import { UserMenu } from './UserMenu.tsx';

interface Props {
  user: User;
  onSignedOut: () => void;
}

interface Counts {
  tasks: number | null;
  approvals: number | null;
  /** Posts and regions with a firing rising-threat signal. */
  threats: number | null;
}

const POLL_MS = 30_000;

/** Open tasks and pending approvals, refreshed on a timer and whenever the console changes data. */
function useNavCounts(user: User): Counts {
  const [counts, setCounts] = useState<Counts>({ tasks: null, approvals: null, threats: null });
  useEffect(() => {
    let controller = new AbortController();
    const load = () => {
      controller.abort();
      controller = new AbortController();
      const { signal } = controller;
      // Everyone reads threats; a count of distinct posts and regions, not of signals.
      fetchSignals({}, signal).then(
        (body) => setCounts((c) => ({ ...c, threats: groupSignals(body.signals).length })),
        () => undefined,
      );
      // Only what this user can act on: a viewer resolves and decides nothing.
      if (user.role === 'viewer') return;
      fetchTasks({ status: 'open' }, signal).then(
        (tasks) => setCounts((c) => ({ ...c, tasks: tasks.length })),
        () => undefined, // A badge is a hint; the Tasks page shows the real error.
      );
      // Nobody approves their own request.
      fetchPostureRequests({ status: 'pending' }, signal).then(
        (requests) =>
          setCounts((c) => ({
            ...c,
            approvals: requests.filter(
              (r) => r.status === 'pending' && !r.authors.includes(`user:${user.id}`),
            ).length,
          })),
        () => undefined,
      );
    };
    load();
    const timer = window.setInterval(load, POLL_MS);
    const stop = onChange(load);
    return () => {
      controller.abort();
      window.clearInterval(timer);
      stop();
    };
  }, [user]);
  return counts;
}

function CountBadge({ count, label, testId }: { count: number | null; label: string; testId: string }) {
  if (!count) return null;
  return (
    <>
      <span className="nav-badge" data-testid={testId} aria-hidden="true">
        {count}
      </span>
      <span className="visually-hidden">
        , {count} {label}
      </span>
    </>
  );
}

export function TopBar({ user, onSignedOut }: Props) {
  const counts = useNavCounts(user);
  return (
    <header className="topbar">
      <Link to="/" className="brand" aria-label="Warden home">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
          <path d="M16 2 4 7v8c0 7.4 5.1 13.3 12 15 6.9-1.7 12-7.6 12-15V7z" />
        </svg>
        <span className="brand-name">Warden</span>
      </Link>
      <nav className="topbar-nav" aria-label="Main">
        <ul>
          <li>
            <Link to="/" className="nav-link" data-testid="nav-map">
              Map
            </Link>
          </li>
          <li>
            <Link to="/posts" section className="nav-link" data-testid="nav-posts">
              Posts
            </Link>
          </li>
          <li>
            <Link to="/incidents" section className="nav-link" data-testid="nav-incidents">
              Incidents
            </Link>
          </li>
          <li>
            <Link to="/threats" section className="nav-link" data-testid="nav-threats">
              Threats
              <CountBadge count={counts.threats} label="rising threat signals" testId="nav-threats-count" />
            </Link>
          </li>
          <li>
            <Link to="/actors" section className="nav-link" data-testid="nav-actors">
              Actors
            </Link>
          </li>
          <li>
            <Link to="/advisories" section className="nav-link" data-testid="nav-advisories">
              Advisories
            </Link>
          </li>
          <li>
            <Link to="/alerts" section className="nav-link" data-testid="nav-alerts">
              Alerts
            </Link>
          </li>
          <li>
            <Link to="/approvals" section className="nav-link" data-testid="nav-approvals">
              Approvals
              <CountBadge
                count={counts.approvals}
                label="awaiting your decision"
                testId="nav-approvals-count"
              />
            </Link>
          </li>
          {user.role === 'admin' || user.role === 'crisis_manager' ? (
            <li>
              <Link to="/organisations" section className="nav-link" data-testid="nav-organisations">
                Organisations
              </Link>
            </li>
          ) : null}
          {user.role !== 'viewer' ? (
            <li>
              <Link to="/travellers" section className="nav-link" data-testid="nav-travellers">
                Travellers
              </Link>
            </li>
          ) : null}
          {user.role !== 'viewer' ? (
            <li>
              <Link to="/checkins/need-help" section className="nav-link" data-testid="nav-need-help">
                Need help
              </Link>
            </li>
          ) : null}
          <li>
            <Link to="/deliveries" section className="nav-link" data-testid="nav-deliveries">
              Deliveries
            </Link>
          </li>
          <li>
            <Link to="/tasks" section className="nav-link" data-testid="nav-tasks">
              Tasks
              <CountBadge count={counts.tasks} label="open" testId="nav-tasks-count" />
            </Link>
          </li>
        </ul>
      </nav>
      {user.role === 'viewer' ? (
        <span className="readonly-flag" title="Your role can read but not change anything">
          Read-only
        </span>
      ) : null}
      <UserMenu user={user} onSignedOut={onSignedOut} />
    </header>
  );
}
