import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { announceChange } from '../app/changes.ts';
import { Link } from '../app/router.tsx';
import { isReadOnly, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { useCountryNames } from '../geo/reference.ts';
import { fetchPosts } from '../posts/client.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { Field, SelectField, TextAreaField, TextField } from '../ui/Field.tsx';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import { ActorTypeOptions } from './ActorTypeOptions.tsx';
import {
  type Actor,
  type ActorView,
  addRelation,
  fetchActor,
  fetchActors,
  type Relation,
  removeRelation,
  updateActor,
} from './actorsClient.ts';
import { fetchIncidents } from './client.ts';
import { ConfidenceBadge } from './IncidentFacts.tsx';
import { IncidentTable } from './IncidentsPage.tsx';
import {
  ACTOR_TYPE_LABELS,
  type ActorType,
  CONFIDENCE_LABELS,
  CONFIDENCES,
  type Confidence,
  label,
  RELATION_KINDS,
  RELATION_LABELS,
  type RelationKind,
} from './taxonomy.ts';

const idOf = (key: string) => key.split('#')[0] ?? key;
const loadActor = (key: string, signal: AbortSignal) => fetchActor(idOf(key), signal);
const loadIncidents = (key: string, signal: AbortSignal) =>
  fetchIncidents({ actor: idOf(key), limit: 50 }, signal);
const loadPosts = (_key: string, signal: AbortSignal) => fetchPosts(signal);

/** "directed by X" from this actor's side; "directs Y" for relations pointing at it. */
function RelationLine({
  relation,
  self,
  onRemoved,
}: {
  relation: Relation;
  self: string;
  /** Present when the user may remove it. */
  onRemoved?: () => void;
}) {
  const remove = useAction(removeRelation);
  const outgoing = relation.from.id === self;
  const other = outgoing ? relation.to : relation.from;
  const kind = RELATION_LABELS[relation.relation as RelationKind];
  const verb = kind ? (outgoing ? kind.forward : kind.inverse) : relation.relation;
  return (
    <li
      data-testid={`relation-${relation.id}`}
      data-relation={relation.relation}
      data-direction={outgoing ? 'out' : 'in'}
    >
      <span className="relation-verb">{verb}</span>{' '}
      <Link to={`/actors/${other.id}`} className="strong-link">
        {other.name}
      </Link>{' '}
      <span className="muted small">({label(ACTOR_TYPE_LABELS, other.type)})</span>{' '}
      <ConfidenceBadge confidence={relation.confidence} />
      {relation.notes ? <p className="muted small prewrap">{relation.notes}</p> : null}
      {onRemoved ? (
        <button
          type="button"
          className="link-button small relation-remove"
          disabled={remove.busy}
          onClick={async () => {
            const done = await remove.run(self, relation.id);
            if (done) onRemoved();
          }}
        >
          Remove
        </button>
      ) : null}
      <ErrorNotice error={remove.error} title="Relation not removed" />
    </li>
  );
}

function RelationForm({ actor, onDone }: { actor: ActorView; onDone: () => void }) {
  const id = useId();
  const [relation, setRelation] = useState<RelationKind>('directed_by');
  const [toName, setToName] = useState('');
  const [confidence, setConfidence] = useState<Confidence>('suspected');
  const [notes, setNotes] = useState('');
  const [options, setOptions] = useState<Actor[]>([]);
  const action = useAction(addRelation);

  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      fetchActors({ q: toName.trim() || undefined, limit: 20 }, controller.signal).then(
        (list) => setOptions(list.filter((a) => a.id !== actor.id)),
        () => undefined,
      );
    }, 200);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [toName, actor.id]);

  const target = options.find((a) => a.name.toLowerCase() === toName.trim().toLowerCase());
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    const done = await action.run(actor.id, {
      relation,
      toActorId: target.id,
      confidence,
      notes: notes.trim() || null,
    });
    if (done) {
      setToName('');
      setNotes('');
      announceChange();
      onDone();
    }
  };
  return (
    <form className="form form-compact" onSubmit={submit} data-testid="relation-form">
      <div className="form-row">
        <SelectField
          id={`${id}-kind`}
          label={<>{actor.name} is</>}
          value={relation}
          onChange={(v) => setRelation(v as RelationKind)}
        >
          {RELATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {RELATION_LABELS[k].forward}
            </option>
          ))}
        </SelectField>
        <Field id={`${id}-to`} label="Actor" invalid={toName.trim() && !target ? true : undefined}>
          {(control) => (
            <>
              <input
                {...control}
                list={`${id}-list`}
                value={toName}
                autoComplete="off"
                onChange={(e) => setToName(e.target.value)}
                data-testid="relation-to"
              />
              <datalist id={`${id}-list`}>
                {options.map((a) => (
                  <option key={a.id} value={a.name} />
                ))}
              </datalist>
              {toName.trim() && !target ? (
                <p className="field-hint">Pick an existing actor (create it on the Actors page first).</p>
              ) : null}
            </>
          )}
        </Field>
        <SelectField
          id={`${id}-conf`}
          label="Confidence"
          value={confidence}
          onChange={(v) => setConfidence(v as Confidence)}
        >
          {CONFIDENCES.map((c) => (
            <option key={c} value={c}>
              {CONFIDENCE_LABELS[c]}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        id={`${id}-notes`}
        label="Basis (optional)"
        value={notes}
        onChange={setNotes}
        placeholder="e.g. Department statement of 11 September 2018"
      />
      <ErrorNotice error={action.error} title="Relation not added" />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-small"
          disabled={action.busy || !target}
          data-testid="relation-submit"
        >
          Add relation
        </button>
      </div>
    </form>
  );
}

function EditActorForm({
  actor,
  onDone,
  onCancel,
}: {
  actor: ActorView;
  onDone: () => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [name, setName] = useState(actor.name);
  const [type, setType] = useState<ActorType>(actor.type as ActorType);
  const [notes, setNotes] = useState(actor.notes ?? '');
  const action = useAction(updateActor);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(actor.id, { name: name.trim(), type, notes: notes.trim() || null });
    if (done) {
      announceChange();
      onDone();
    }
  };
  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <TextField id={`${id}-name`} label="Name" value={name} onChange={setName} />
        <SelectField id={`${id}-type`} label="Type" value={type} onChange={(v) => setType(v as ActorType)}>
          <ActorTypeOptions />
        </SelectField>
      </div>
      <TextAreaField id={`${id}-notes`} label="Notes" rows={3} value={notes} onChange={setNotes} />
      <ErrorNotice error={action.error} title="Actor not saved" />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={action.busy || !name.trim()}>
          Save
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export default function ActorPage({ id }: { id: string }) {
  const user = useUser();
  const [version, setVersion] = useState(0);
  const key = `${id}#${version}`;
  const [actor, retry] = useResource(key, loadActor);
  const [incidents, retryIncidents] = useResource(key, loadIncidents);
  const [posts] = useResource('posts', loadPosts);
  const [editing, setEditing] = useState(false);
  const countryNames = useCountryNames();
  const postNames = useMemo(
    () => new Map((posts.status === 'loaded' ? posts.data : []).map((p) => [p.id, p.name])),
    [posts],
  );
  const writable = !isReadOnly(user);

  if (actor.status !== 'loaded') {
    return (
      <Page title="Actor" eyebrow={<Link to="/actors">← Actors</Link>}>
        <Loaded resource={actor} onRetry={retry} what="the actor">
          {() => null}
        </Loaded>
      </Page>
    );
  }
  const a = actor.data;
  const outgoing = a.relations.filter((r) => r.from.id === a.id);
  const incoming = a.relations.filter((r) => r.from.id !== a.id);
  const reload = () => setVersion((v) => v + 1);

  return (
    <Page
      title={a.name}
      testId="actor-page"
      eyebrow={<Link to="/actors">← Actors</Link>}
      meta={
        <div className="meta-row">
          <span className="badge" data-testid="actor-type">
            {label(ACTOR_TYPE_LABELS, a.type)}
          </span>
          <span data-testid="actor-incident-count">
            {a.incidentCount} {a.incidentCount === 1 ? 'incident' : 'incidents'}
          </span>
        </div>
      }
      actions={
        writable && !editing ? (
          <button type="button" className="button" onClick={() => setEditing(true)}>
            Edit
          </button>
        ) : null
      }
      wide
    >
      {editing ? (
        <Section title="Edit actor">
          <EditActorForm
            actor={a}
            onCancel={() => setEditing(false)}
            onDone={() => {
              setEditing(false);
              reload();
            }}
          />
        </Section>
      ) : a.notes ? (
        <p className="prewrap">{a.notes}</p>
      ) : null}
      <div className="columns">
        <div className="column-main">
          <Section title="Incidents involving this actor" testId="actor-incidents">
            <Loaded resource={incidents} onRetry={retryIncidents} what="incidents">
              {(page) =>
                page.incidents.length === 0 ? (
                  <p className="muted">None recorded.</p>
                ) : (
                  <>
                    <IncidentTable
                      incidents={page.incidents}
                      postNames={postNames}
                      countryNames={countryNames}
                      testId="actor-incidents-table"
                    />
                    {page.nextCursor ? (
                      <p className="small">
                        <Link to={`/incidents?actor=${encodeURIComponent(a.id)}`}>
                          All incidents of {a.name}
                        </Link>
                      </p>
                    ) : null}
                  </>
                )
              }
            </Loaded>
          </Section>
        </div>
        <div className="column-side">
          <Section title="Relations" testId="actor-relations">
            {a.relations.length === 0 ? <p className="muted small">No relations recorded.</p> : null}
            {outgoing.length > 0 ? (
              <ul className="plain-list relation-list">
                {outgoing.map((r) => (
                  <RelationLine
                    key={r.id}
                    relation={r}
                    self={a.id}
                    onRemoved={writable ? reload : undefined}
                  />
                ))}
              </ul>
            ) : null}
            {incoming.length > 0 ? (
              <ul className="plain-list relation-list">
                {incoming.map((r) => (
                  <RelationLine
                    key={r.id}
                    relation={r}
                    self={a.id}
                    onRemoved={writable ? reload : undefined}
                  />
                ))}
              </ul>
            ) : null}
            {writable ? (
              <div className="relation-form-wrap">
                <h3>Add a relation</h3>
                <RelationForm actor={a} onDone={reload} />
              </div>
            ) : null}
          </Section>
        </div>
      </div>
    </Page>
  );
}
