import { type FormEvent, useEffect, useId, useState } from 'react';
import { announceChange } from '../app/changes.ts';
import { Link, navigate, setSearchParams, useSearchParams } from '../app/router.tsx';
import { isReadOnly, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { SelectField, TextAreaField, TextField } from '../ui/Field.tsx';
import { formatDate } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import { ActorTypeOptions } from './ActorTypeOptions.tsx';
import { type Actor, createActor, fetchActors } from './actorsClient.ts';
import { ACTOR_TYPE_LABELS, type ActorType, label } from './taxonomy.ts';

const loadActors = (key: string, signal: AbortSignal) => {
  const params = new URLSearchParams(key);
  return fetchActors(
    { q: params.get('q') || undefined, type: params.get('type') || undefined, limit: 200 },
    signal,
  );
};

function NewActorForm({ onCancel }: { onCancel: () => void }) {
  const id = useId();
  const [name, setName] = useState('');
  const [type, setType] = useState<ActorType>('political_militia');
  const [notes, setNotes] = useState('');
  const action = useAction(createActor);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    const actor = await action.run({ name: name.trim(), type, notes: notes.trim() || null });
    if (actor) {
      announceChange();
      navigate(`/actors/${actor.id}`);
    }
  };
  return (
    <form className="form" onSubmit={submit} data-testid="new-actor-form">
      <div className="form-row">
        <TextField
          id={`${id}-name`}
          label="Name"
          value={name}
          onChange={setName}
          data-testid="actor-new-name"
        />
        <SelectField id={`${id}-type`} label="Type" value={type} onChange={(v) => setType(v as ActorType)}>
          <ActorTypeOptions />
        </SelectField>
      </div>
      <TextAreaField id={`${id}-notes`} label="Notes" rows={2} value={notes} onChange={setNotes} />
      <ErrorNotice error={action.error} title="Actor not created" />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={action.busy || !name.trim()}>
          Create actor
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export default function ActorsPage() {
  const user = useUser();
  const params = useSearchParams();
  const q = params.get('q') ?? '';
  const type = params.get('type') ?? '';
  const [text, setText] = useState(q);
  const [creating, setCreating] = useState(false);
  // Search a moment after typing stops.
  useEffect(() => {
    const timer = window.setTimeout(() => setSearchParams({ q: text.trim() || null }), 250);
    return () => window.clearTimeout(timer);
  }, [text]);
  const key = new URLSearchParams({ q, type }).toString();
  const [actors, retry] = useResource(key, loadActors);

  return (
    <Page
      title="Actors"
      testId="actors-page"
      meta={<p className="muted">Armed groups, forces and others named in incidents, and how they relate.</p>}
      actions={
        !isReadOnly(user) && !creating ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setCreating(true)}
            data-testid="new-actor"
          >
            New actor
          </button>
        ) : null
      }
    >
      {creating ? (
        <Section title="New actor">
          <NewActorForm onCancel={() => setCreating(false)} />
        </Section>
      ) : null}
      <div className="toolbar">
        <label className="toolbar-search">
          <span className="visually-hidden">Search actors</span>
          <input
            type="search"
            placeholder="Search by name"
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="actor-search"
          />
        </label>
        <label>
          <span className="visually-hidden">Actor type</span>
          <select value={type} onChange={(e) => setSearchParams({ type: e.target.value || null })}>
            <option value="">All types</option>
            <ActorTypeOptions />
          </select>
        </label>
      </div>
      <Loaded resource={actors} onRetry={retry} what="actors">
        {(list: Actor[]) =>
          list.length === 0 ? (
            <div className="empty">
              <p>
                {q || type
                  ? 'No actor matches.'
                  : 'No actors yet. They are created with incidents or imports.'}
              </p>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="actors-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Since</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((a) => (
                    <tr key={a.id} data-testid={`actor-row-${a.id}`}>
                      <td>
                        <Link to={`/actors/${a.id}`} className="strong-link">
                          {a.name}
                        </Link>
                        {a.notes ? <div className="muted small">{a.notes}</div> : null}
                      </td>
                      <td>{label(ACTOR_TYPE_LABELS, a.type)}</td>
                      <td className="small">{formatDate(a.createdAt)}</td>
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
