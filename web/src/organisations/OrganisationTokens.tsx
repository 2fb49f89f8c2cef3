import { type FormEvent, useRef, useState } from 'react';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { formatDateTime } from '../ui/format.ts';
import { Section } from '../ui/Page.tsx';
import { createOrganisationToken, type Organisation, revokeOrganisationToken } from './client.ts';

/** Copies from the field itself where the Clipboard API is missing (plain-http installs). */
async function copy(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!field) return false;
    field.select();
    return document.execCommand('copy');
  }
}

function NewSecret({ secret, label, onDone }: { secret: string; label: string; onDone: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div className="notice notice-warn token-secret" role="status" data-testid="token-secret">
      <p>
        <strong>Token “{label}”: copy it now.</strong> It is shown only this once; Warden keeps only a
        fingerprint of it.
      </p>
      <div className="token-secret-row">
        <label className="visually-hidden" htmlFor="token-secret-value">
          The new token
        </label>
        <input
          ref={ref}
          id="token-secret-value"
          className="mono"
          readOnly
          value={secret}
          onFocus={(e) => e.target.select()}
          data-testid="token-secret-value"
        />
        <button
          type="button"
          className="button"
          onClick={() => void copy(secret, ref.current).then(setCopied)}
          data-testid="token-copy"
        >
          Copy
        </button>
      </div>
      {copied === true ? <p className="text-good small">Copied to the clipboard.</p> : null}
      {copied === false ? <p className="small">Select the text and copy it by hand.</p> : null}
      <p className="small">
        The organisation sends it as <code>Authorization: Bearer …</code> to <code>/api/org/enrollments</code>
        .
      </p>
      <button type="button" className="button button-small" onClick={onDone}>
        I have stored it
      </button>
    </div>
  );
}

export function OrganisationTokens({ org, onChanged }: { org: Organisation; onChanged: () => void }) {
  const [label, setLabel] = useState('');
  const [fresh, setFresh] = useState<{ secret: string; label: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const create = useAction(createOrganisationToken);
  const revoke = useAction(revokeOrganisationToken);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const made = await create.run(org.id, label.trim());
    if (!made) return;
    setFresh({ secret: made.secret, label: made.token.label });
    setLabel('');
    onChanged();
  };

  const tokens = [...org.tokens].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <Section title="API tokens" testId="organisation-tokens">
      <p className="muted small">
        A token lets the organisation’s own system enroll and update its people. Revoke one that leaked or is
        no longer used.
      </p>
      {fresh ? <NewSecret {...fresh} onDone={() => setFresh(null)} /> : null}
      {tokens.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="tokens-table">
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr
                  key={t.id}
                  data-testid={`token-row-${t.id}`}
                  data-revoked={t.revokedAt ? 'true' : 'false'}
                >
                  <td>{t.label}</td>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>
                    {t.lastUsedAt ? formatDateTime(t.lastUsedAt) : <span className="muted">never</span>}
                  </td>
                  <td>
                    {t.revokedAt ? (
                      <span className="badge tone-bad">Revoked {formatDateTime(t.revokedAt)}</span>
                    ) : (
                      <span className="badge tone-good">Active</span>
                    )}
                  </td>
                  <td>
                    {t.revokedAt ? null : confirming === t.id ? (
                      <span className="form-actions">
                        <button
                          type="button"
                          className="button button-small button-danger"
                          disabled={revoke.busy}
                          onClick={async () => {
                            await revoke.run(org.id, t.id);
                            setConfirming(null);
                            onChanged();
                          }}
                          data-testid="token-revoke-confirm"
                        >
                          Revoke now
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setConfirming(null)}
                        >
                          Keep
                        </button>
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="button button-small button-danger-quiet"
                        onClick={() => setConfirming(t.id)}
                        data-testid="token-revoke"
                      >
                        Revoke…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No tokens yet.</p>
      )}
      <ErrorNotice error={revoke.error} title="Could not revoke the token" />
      <form className="inline-form token-form" onSubmit={submit} data-testid="token-form">
        <label htmlFor="token-label">New token for</label>
        <input
          id="token-label"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          placeholder="e.g. HR system"
          maxLength={100}
          data-testid="token-label"
        />
        <button
          type="submit"
          className="button"
          disabled={create.busy || !label.trim() || !!org.disabledAt}
          data-testid="token-create"
        >
          Create token
        </button>
      </form>
      <ErrorNotice error={create.error} title="Could not create the token" />
    </Section>
  );
}
