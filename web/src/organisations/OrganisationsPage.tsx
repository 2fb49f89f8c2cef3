import { type FormEvent, useState } from 'react';
import { Link, navigate } from '../app/router.tsx';
import { useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { ErrorNotice, errorField } from '../ui/ErrorNotice.tsx';
import { TextAreaField, TextField } from '../ui/Field.tsx';
import { formatDate } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import { createOrganisation, fetchOrganisations } from './client.ts';

const loadOrganisations = (_key: string, signal: AbortSignal) => fetchOrganisations(signal);

/** Only these roles manage organisations (the API says the same). */
export const canManageOrganisations = (role: string) => role === 'admin' || role === 'crisis_manager';

function NewOrganisation({ onCancel }: { onCancel: () => void }) {
  const [name, setName] = useState('');
  const [notes, setNotes] = useState('');
  const create = useAction(createOrganisation);
  const blamed = errorField(create.error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const org = await create.run({ name: name.trim(), notes: notes.trim() || null });
    if (org) navigate(`/organisations/${org.id}`);
  };
  return (
    <Section title="New organisation" testId="new-organisation">
      <form className="form" onSubmit={submit} data-testid="organisation-form">
        <TextField
          id="org-name"
          label="Name"
          fieldClass="field-narrow"
          value={name}
          onChange={setName}
          required
          maxLength={200}
          invalid={blamed === 'name' || undefined}
          data-testid="organisation-name"
        />
        <TextAreaField
          id="org-notes"
          label="Notes"
          rows={2}
          value={notes}
          onChange={setNotes}
          maxLength={2000}
          placeholder="Who to call there, what they enroll (optional)"
        />
        <ErrorNotice error={create.error} title="Could not create the organisation" />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={create.busy || !name.trim()}
            data-testid="organisation-create"
          >
            Create
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Section>
  );
}

export default function OrganisationsPage() {
  const user = useUser();
  const [organisations, retry] = useResource('organisations', loadOrganisations);
  const [creating, setCreating] = useState(false);
  if (!canManageOrganisations(user.role)) {
    return (
      <Page title="Organisations">
        <p className="notice notice-warn">Organisations are managed by administrators and crisis managers.</p>
      </Page>
    );
  }
  return (
    <Page
      title="Organisations"
      testId="organisations-page"
      meta={
        <p className="muted">
          NGOs, universities and companies that enroll their own people, by CSV or through their API token.
        </p>
      }
      actions={
        creating ? null : (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setCreating(true)}
            data-testid="new-organisation-button"
          >
            New organisation
          </button>
        )
      }
    >
      {creating ? <NewOrganisation onCancel={() => setCreating(false)} /> : null}
      <Loaded resource={organisations} onRetry={retry} what="organisations">
        {(list) =>
          list.length === 0 ? (
            <div className="empty">
              <p>No organisation enrolls its people here yet.</p>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="organisations-table">
                <thead>
                  <tr>
                    <th scope="col">Organisation</th>
                    <th scope="col">People enrolled</th>
                    <th scope="col">API tokens</th>
                    <th scope="col">Created</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {[...list]
                    .sort((a, b) => a.name.localeCompare(b.name))
                    .map((org) => (
                      <tr key={org.id} data-testid={`organisation-row-${org.id}`}>
                        <td>
                          <Link to={`/organisations/${org.id}`} className="strong-link">
                            {org.name}
                          </Link>
                        </td>
                        <td>{org.persons.toLocaleString()}</td>
                        <td>{org.tokens.filter((t) => !t.revokedAt).length}</td>
                        <td>{formatDate(org.createdAt)}</td>
                        <td>
                          {org.disabledAt ? (
                            <span className="badge tone-bad">Disabled</span>
                          ) : (
                            <span className="badge tone-good">Active</span>
                          )}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </Page>
  );
}
