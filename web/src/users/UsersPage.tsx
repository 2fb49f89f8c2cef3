import { type FormEvent, useState } from 'react';
import { refreshPeople } from '../app/people.ts';
import { useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { ErrorNotice, errorField } from '../ui/ErrorNotice.tsx';
import { SelectField, TextField } from '../ui/Field.tsx';
import { formatDate, humanize } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import { createUser, fetchUsers, resetPassword, type StaffUser, updateUser } from './client.ts';
import { ScopePicker, useScopeNames } from './ScopePicker.tsx';
import { TokenList } from './TokenList.tsx';

const loadUsers = (_key: string, signal: AbortSignal) => fetchUsers(signal);
const ROLES = ['officer', 'crisis_manager', 'viewer', 'admin'] as const;
const ROLE_HELP: Record<string, string> = {
  officer: 'Acts on the posts and countries in their scope',
  crisis_manager: 'Acts everywhere; manages organisations',
  viewer: 'Reads everything, changes nothing',
  admin: 'Everything, and manages users and the audit log',
};

/** A password handed over once: whoever passes it on has seen it, so it must be changed at first use. */
function OneTimePassword({ email, password }: { email: string; password: string }) {
  return (
    <div className="notice" role="status" data-testid="one-time-password">
      <p>
        Password for <strong>{email}</strong>, shown once:{' '}
        <code data-testid="one-time-password-value">{password}</code>
      </p>
      <p className="muted">
        Pass it on by a separate channel. They must choose their own when they first sign in.
      </p>
    </div>
  );
}

function NewUser({ onCreated }: { onCreated: (user: StaffUser, password: string | undefined) => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('officer');
  const [scope, setScope] = useState<string[]>([]);
  const create = useAction(createUser);
  const blamed = errorField(create.error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const made = await create.run({ email: email.trim(), role, scope });
    if (made) {
      setEmail('');
      setScope([]);
      onCreated(made.user, made.password);
    }
  };
  return (
    <Section title="New user" testId="new-user">
      <form className="form" onSubmit={submit} data-testid="user-form">
        <TextField
          id="user-email"
          label="Email"
          type="email"
          fieldClass="field-narrow"
          value={email}
          onChange={setEmail}
          required
          invalid={blamed === 'email' || undefined}
          data-testid="new-user-email"
        />
        <SelectField
          id="user-role"
          label="Role"
          fieldClass="field-narrow"
          value={role}
          onChange={setRole}
          hint={ROLE_HELP[role]}
          hintBelow
          data-testid="new-user-role"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {humanize(r)}
            </option>
          ))}
        </SelectField>
        <ScopePicker idPrefix="user" value={scope} onChange={setScope} required={role === 'officer'} />
        <ErrorNotice error={create.error} title="The user was not created" />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={create.busy || !email.trim() || (role === 'officer' && scope.length === 0)}
            data-testid="user-create"
          >
            Create user
          </button>
        </div>
      </form>
    </Section>
  );
}

function UserRow({
  user,
  me,
  scopeLabel,
  onChanged,
}: {
  user: StaffUser;
  me: string;
  scopeLabel: (entry: string) => string;
  onChanged: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState<string | null>(null);
  const toggle = useAction(async () => {
    await updateUser(user.id, { disabled: !user.disabledAt });
    onChanged();
  });
  const reset = useAction(async () => {
    setPassword(await resetPassword(user.id));
    onChanged();
  });
  const key = user.email.replace(/[^a-z0-9]+/gi, '-');
  return (
    <>
      <tr data-testid={`user-row-${key}`}>
        <td>
          {user.email}
          {user.id === me ? <span className="muted"> (you)</span> : null}
        </td>
        <td>{humanize(user.role)}</td>
        <td className="scope-cell">
          {user.scope.length ? (
            user.scope.map(scopeLabel).join(', ')
          ) : (
            <span className="muted">everywhere</span>
          )}
        </td>
        <td>
          {user.disabledAt ? (
            <span className="badge tone-bad">Disabled</span>
          ) : user.mustChangePassword ? (
            <span className="badge tone-warn">Must set password</span>
          ) : (
            <span className="badge tone-good">Active</span>
          )}
        </td>
        <td>{formatDate(user.createdAt)}</td>
        <td className="row-actions">
          <button
            type="button"
            className="button button-small"
            disabled={toggle.busy || user.id === me}
            onClick={() => void toggle.run()}
            data-testid={`user-toggle-${key}`}
          >
            {user.disabledAt ? 'Enable' : 'Disable'}
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={reset.busy || Boolean(user.disabledAt)}
            onClick={() => {
              if (window.confirm(`Reset the password of ${user.email}? Their sessions and API tokens end.`))
                void reset.run();
            }}
            data-testid={`user-reset-${key}`}
          >
            Reset password
          </button>
          <button
            type="button"
            className="button button-small"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            data-testid={`user-tokens-${key}`}
          >
            API tokens
          </button>
        </td>
      </tr>
      {password || toggle.error || reset.error || open ? (
        <tr className="row-detail">
          <td colSpan={6}>
            {password ? <OneTimePassword email={user.email} password={password} /> : null}
            <ErrorNotice error={toggle.error ?? reset.error} title="Not changed" />
            {open ? <TokenList userId={user.id} canCreate={false} /> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

export default function UsersPage() {
  const me = useUser();
  const [users, retry] = useResource('users', loadUsers);
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const { label } = useScopeNames();
  if (me.role !== 'admin') {
    return (
      <Page title="Users">
        <p className="notice notice-warn">Users are managed by administrators.</p>
      </Page>
    );
  }
  return (
    <Page
      title="Users"
      testId="users-page"
      wide
      meta={<p className="muted">Staff accounts, their roles and where they may act.</p>}
    >
      {created ? <OneTimePassword {...created} /> : null}
      <NewUser
        onCreated={(user, password) => {
          if (password) setCreated({ email: user.email, password });
          refreshPeople();
          retry();
        }}
      />
      <Loaded resource={users} onRetry={retry} what="users">
        {(list) => (
          <div className="table-wrap">
            <table className="table" data-testid="users-table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((u) => (
                  <UserRow key={u.id} user={u} me={me.id} scopeLabel={label} onChanged={retry} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </Page>
  );
}
