import { type FormEvent, useCallback, useState } from 'react';
import { Link } from '../app/router.tsx';
import { useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { TextAreaField, TextField } from '../ui/Field.tsx';
import { formatDate, formatDateTime } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import {
  fetchImports,
  fetchOrganisation,
  type ImportRun,
  type Organisation,
  updateOrganisation,
} from './client.ts';
import { OrganisationImport } from './OrganisationImport.tsx';
import { canManageOrganisations } from './OrganisationsPage.tsx';
import { OrganisationTokens } from './OrganisationTokens.tsx';

const loadOrganisation = (key: string, signal: AbortSignal) =>
  fetchOrganisation(key.split('#')[0] ?? key, signal);
const loadImports = (key: string, signal: AbortSignal) => fetchImports(key.split('#')[0] ?? key, signal);

function Details({ org, onSaved }: { org: Organisation; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(org.name);
  const [notes, setNotes] = useState(org.notes ?? '');
  const save = useAction(updateOrganisation);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save.run(org.id, { name: name.trim(), notes: notes.trim() || null })) {
      setEditing(false);
      onSaved();
    }
  };
  const toggle = async () => {
    if (await save.run(org.id, { disabled: !org.disabledAt })) onSaved();
  };

  if (editing) {
    return (
      <Section title="Details">
        <form className="form" onSubmit={submit} data-testid="organisation-edit-form">
          <TextField
            id="org-edit-name"
            label="Name"
            fieldClass="field-narrow"
            value={name}
            onChange={setName}
            maxLength={200}
          />
          <TextAreaField id="org-edit-notes" label="Notes" rows={3} value={notes} onChange={setNotes} />
          <ErrorNotice error={save.error} title="Could not save" />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={save.busy || !name.trim()}>
              Save
            </button>
            <button type="button" className="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Section>
    );
  }
  return (
    <Section
      title="Details"
      actions={
        <>
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button
            type="button"
            className={org.disabledAt ? 'button button-small' : 'button button-small button-danger-quiet'}
            onClick={toggle}
            disabled={save.busy}
            data-testid="organisation-toggle"
          >
            {org.disabledAt ? 'Enable' : 'Disable'}
          </button>
        </>
      }
    >
      <dl className="facts">
        <dt>People enrolled</dt>
        <dd data-testid="organisation-persons">{org.persons.toLocaleString()}</dd>
        <dt>Notes</dt>
        <dd className="prewrap">{org.notes || <span className="muted">—</span>}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(org.createdAt)}</dd>
      </dl>
      {org.disabledAt ? (
        <p className="notice notice-warn">
          Disabled on {formatDate(org.disabledAt)}: its tokens do not work and nothing can be imported. Its
          people stay enrolled.
        </p>
      ) : null}
      <ErrorNotice error={save.error} title="Could not change the organisation" />
    </Section>
  );
}

function History({ runs }: { runs: ImportRun[] }) {
  if (runs.length === 0) return <p className="muted">No imports yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="imports-table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">By</th>
            <th scope="col">Status</th>
            <th scope="col">Rows</th>
            <th scope="col">People</th>
            <th scope="col">Created</th>
            <th scope="col">Updated</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-status={r.status}>
              <td>{formatDateTime(r.startedAt)}</td>
              <td>{r.via === 'organisation' ? 'API token' : r.via === 'cli' ? 'Command line' : 'Staff'}</td>
              <td>{r.error ? <span title={r.error}>{r.status}</span> : r.status}</td>
              <td>{r.rows}</td>
              <td>{r.persons}</td>
              <td>{r.created}</td>
              <td>{r.updated}</td>
              <td>{r.errorCount > 0 ? <span className="text-warn">{r.errorCount}</span> : 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function OrganisationPage({ id }: { id: string }) {
  const user = useUser();
  const [version, setVersion] = useState(0);
  const [org, retry] = useResource(`${id}#${version}`, loadOrganisation);
  const [imports, retryImports] = useResource(`${id}#${version}`, loadImports);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  // Keep the page on screen while a refresh loads.
  const [shown, setShown] = useState<Organisation | null>(null);
  if (org.status === 'loaded' && org.data !== shown) setShown(org.data);

  if (!canManageOrganisations(user.role)) {
    return (
      <Page title="Organisation">
        <p className="notice notice-warn">Organisations are managed by administrators and crisis managers.</p>
      </Page>
    );
  }
  const eyebrow = <Link to="/organisations">← Organisations</Link>;
  if (!shown) {
    return (
      <Page title="Organisation" eyebrow={eyebrow}>
        <Loaded resource={org} onRetry={retry} what="the organisation">
          {() => null}
        </Loaded>
      </Page>
    );
  }
  return (
    <Page
      title={shown.name}
      eyebrow={eyebrow}
      testId="organisation-page"
      meta={
        shown.disabledAt ? (
          <span className="badge tone-bad">Disabled</span>
        ) : (
          <span className="badge tone-good">Active</span>
        )
      }
    >
      <Details key={shown.updatedAt} org={shown} onSaved={refresh} />
      <OrganisationTokens org={shown} onChanged={refresh} />
      <OrganisationImport organisationId={shown.id} disabled={!!shown.disabledAt} onImported={refresh} />
      <Section title="Earlier imports" testId="organisation-imports">
        {imports.status === 'loaded' ? (
          <History runs={imports.data} />
        ) : (
          <Loaded resource={imports} onRetry={retryImports} what="imports">
            {() => null}
          </Loaded>
        )}
      </Section>
    </Page>
  );
}
