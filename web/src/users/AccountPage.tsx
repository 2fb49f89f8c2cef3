import { useState } from 'react';
import { navigate } from '../app/router.tsx';
import { useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { formatDateTime, humanize } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import { endSession, fetchSessions, type Session, signOutEverywhere } from './client.ts';
import { PasswordForm } from './PasswordForm.tsx';
import { TokenList } from './TokenList.tsx';

const loadSessions = (_key: string, signal: AbortSignal) => fetchSessions(signal);

/** A user agent in words: "Chrome on Linux" rather than the whole header. */
function browserOf(ua: string | null): string {
  if (!ua) return 'Unknown browser';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : ua.split(/[ /]/)[0] || 'Unknown browser';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Mac OS X/.test(ua)
      ? 'macOS'
      : /Android/.test(ua)
        ? 'Android'
        : /iPhone|iPad/.test(ua)
          ? 'iOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  return os ? `${browser} on ${os}` : browser;
}

function Sessions() {
  const [sessions, retry] = useResource('sessions', loadSessions);
  const end = useAction(async (s: Session) => {
    await endSession(s.id);
    if (s.current) window.location.assign('/login');
    else retry();
  });
  const everywhere = useAction(async () => {
    await signOutEverywhere();
    window.location.assign('/login');
  });
  return (
    <Section
      title="Active sessions"
      testId="account-sessions"
      actions={
        <button
          type="button"
          className="button"
          disabled={everywhere.busy}
          onClick={() => void everywhere.run()}
          data-testid="sign-out-everywhere"
        >
          Sign out everywhere
        </button>
      }
    >
      <ErrorNotice error={end.error ?? everywhere.error} title="Could not sign out" />
      <Loaded resource={sessions} onRetry={retry} what="sessions">
        {(list) => (
          <div className="table-wrap">
            <table className="table" data-testid="session-table">
              <thead>
                <tr>
                  <th scope="col">Browser</th>
                  <th scope="col">Signed in</th>
                  <th scope="col">Last active</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.id}>
                    <td title={s.userAgent ?? undefined}>
                      {browserOf(s.userAgent)}{' '}
                      {s.current ? <span className="badge tone-good">This browser</span> : null}
                    </td>
                    <td>{formatDateTime(s.createdAt)}</td>
                    <td>{formatDateTime(s.lastSeenAt)}</td>
                    <td>{formatDateTime(s.expiresAt)}</td>
                    <td>
                      <button
                        type="button"
                        className="button button-small"
                        disabled={end.busy}
                        onClick={() => void end.run(s)}
                      >
                        Sign out
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </Section>
  );
}

export default function AccountPage() {
  const user = useUser();
  const [changed, setChanged] = useState(false);
  return (
    <Page
      title="My account"
      testId="account-page"
      meta={
        <p className="muted">
          {user.email} · {humanize(user.role)}
          {user.scope.length > 0 ? ` · scope: ${user.scope.join(', ')}` : ''}
        </p>
      }
    >
      <Section title="Password" testId="account-password">
        <p className="muted">Changing it signs you out everywhere else and revokes your API tokens.</p>
        {changed ? (
          <p className="notice" role="status" data-testid="password-changed">
            Your password is changed.
          </p>
        ) : null}
        <PasswordForm onChanged={() => setChanged(true)} />
      </Section>
      <Section title="API tokens" testId="account-tokens">
        <p className="muted">For scripts and feed readers: a token acts as you, with your role and scope.</p>
        <TokenList userId={null} canCreate />
      </Section>
      <Sessions />
      <p>
        <button type="button" className="button button-quiet" onClick={() => navigate('/')}>
          Back to the map
        </button>
      </p>
    </Page>
  );
}
