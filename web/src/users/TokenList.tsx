import { type FormEvent, useCallback, useState } from 'react';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { TextField } from '../ui/Field.tsx';
import { formatDateTime } from '../ui/format.ts';
import { Loaded } from '../ui/Page.tsx';
import { type ApiToken, createToken, fetchTokens, revokeToken } from './client.ts';

/**
 * API tokens: your own (userId null; you may create them) or, for an admin, one user's. A token's
 * secret is shown once, when created.
 */
export function TokenList({ userId, canCreate }: { userId: string | null; canCreate: boolean }) {
  const load = useCallback(
    (key: string, signal: AbortSignal) => fetchTokens(key === 'me' ? null : key, signal),
    [],
  );
  const [tokens, retry] = useResource(userId ?? 'me', load);
  const revoke = useAction(async (id: string) => {
    await revokeToken(id);
    retry();
  });
  return (
    <>
      {canCreate ? <NewToken onCreated={retry} /> : null}
      <ErrorNotice error={revoke.error} title="The token was not revoked" />
      <Loaded resource={tokens} onRetry={retry} what="API tokens">
        {(list) => <TokenTable tokens={list} busy={revoke.busy} onRevoke={(id) => void revoke.run(id)} />}
      </Loaded>
    </>
  );
}

function TokenTable({
  tokens,
  busy,
  onRevoke,
}: {
  tokens: ApiToken[];
  busy: boolean;
  onRevoke: (id: string) => void;
}) {
  if (tokens.length === 0) return <p className="muted">No API tokens.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="token-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-testid={`token-row-${t.name}`}>
              <td>{t.name}</td>
              <td>{formatDateTime(t.createdAt)}</td>
              <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never'}</td>
              <td>{t.expiresAt ? formatDateTime(t.expiresAt) : 'never'}</td>
              <td>
                {t.revokedAt ? (
                  <span className="badge tone-bad">Revoked {formatDateTime(t.revokedAt)}</span>
                ) : (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy}
                    onClick={() => onRevoke(t.id)}
                    data-testid={`token-revoke-${t.name}`}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NewToken({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [secret, setSecret] = useState<string | null>(null);
  const create = useAction(createToken);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const n = Number(days);
    const made = await create.run({ name: name.trim(), ...(days && n > 0 && { expiresInDays: n }) });
    if (made) {
      setSecret(made.secret);
      setName('');
      onCreated();
    }
  };
  return (
    <form className="form form-inline" onSubmit={submit} data-testid="token-form">
      <TextField
        id="token-name"
        label="New token name"
        value={name}
        onChange={setName}
        maxLength={100}
        placeholder="e.g. feed reader"
      />
      <TextField
        id="token-days"
        label="Expires after (days)"
        type="number"
        min={1}
        max={3650}
        value={days}
        onChange={setDays}
        hint="Empty: never"
        hintBelow
      />
      <div className="form-actions">
        <button
          type="submit"
          className="button"
          disabled={create.busy || !name.trim()}
          data-testid="token-create"
        >
          Create token
        </button>
      </div>
      <ErrorNotice error={create.error} title="The token was not created" />
      {secret ? (
        <p className="notice" role="status" data-testid="token-secret">
          Copy it now, it is not shown again: <code>{secret}</code>
        </p>
      ) : null}
    </form>
  );
}
