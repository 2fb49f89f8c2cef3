import { useEffect, useId, useState } from 'react';
import { Field, SelectField } from '../ui/Field.tsx';
import { ActorTypeOptions } from './ActorTypeOptions.tsx';
import { type Actor, fetchActors } from './actorsClient.ts';
import type { ActorRefInput } from './client.ts';
import {
  ACTOR_ROLE_LABELS,
  ACTOR_ROLES,
  type ActorRole,
  type ActorType,
  CONFIDENCE_LABELS,
  CONFIDENCES,
  type Confidence,
} from './taxonomy.ts';

// Actors of an incident: each row names an existing actor (picked from the suggestions) or a new
// one by name (created with the incident), with its role and how sure the attribution is.

export interface ActorRow {
  key: string;
  /** Set when the name is an existing actor's. */
  actorId: string | null;
  name: string;
  /** For a new actor. */
  type: ActorType;
  role: ActorRole;
  confidence: Confidence;
}

let rowSeq = 0;
export function newActorRow(partial: Partial<ActorRow> = {}): ActorRow {
  rowSeq += 1;
  return {
    key: `a${rowSeq}`,
    actorId: null,
    name: '',
    type: 'unknown',
    role: 'perpetrator',
    confidence: 'suspected',
    ...partial,
  };
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

export function toActorRefs(rows: readonly ActorRow[]): ActorRefInput[] {
  return rows
    .filter((r) => r.actorId || r.name.trim())
    .map((r) =>
      r.actorId
        ? { actorId: r.actorId, role: r.role, confidence: r.confidence }
        : { name: r.name.trim(), type: r.type, role: r.role, confidence: r.confidence },
    );
}

/** Suggestions for what is typed, a moment after typing stops. */
function useActorSuggestions(q: string): Actor[] {
  const [list, setList] = useState<Actor[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      fetchActors({ q: q.trim() || undefined, limit: 20 }, controller.signal).then(
        (actors) => setList(actors),
        () => undefined,
      );
    }, 200);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [q]);
  return list;
}

function Row({
  row,
  index,
  onChange,
  onRemove,
  disabled,
}: {
  row: ActorRow;
  index: number;
  onChange: (row: ActorRow) => void;
  onRemove: () => void;
  disabled?: boolean;
}) {
  const id = useId();
  const suggestions = useActorSuggestions(row.name);
  // The typed name picks an existing actor when it is one's name exactly (any case).
  useEffect(() => {
    if (row.actorId) return;
    const match = suggestions.find((a) => norm(a.name) === norm(row.name));
    if (match) onChange({ ...row, actorId: match.id, name: match.name, type: match.type as ActorType });
  }, [suggestions, row, onChange]);

  const isNew = !row.actorId && row.name.trim() !== '';
  return (
    <li className="actor-row" data-testid={`actor-row-${index}`}>
      <Field id={`${id}-name`} label="Actor" fieldClass="actor-row-name">
        {(control) => (
          <>
            <input
              {...control}
              list={`${id}-list`}
              value={row.name}
              disabled={disabled}
              autoComplete="off"
              placeholder="Name, e.g. Kata'ib Hezbollah"
              onChange={(e) => onChange({ ...row, name: e.target.value, actorId: null })}
              data-testid="actor-name"
            />
            <datalist id={`${id}-list`}>
              {suggestions.map((a) => (
                <option key={a.id} value={a.name} />
              ))}
            </datalist>
            <span className="field-hint" data-testid="actor-status">
              {row.actorId ? 'Existing actor' : isNew ? 'New actor: created with the incident' : ''}
            </span>
          </>
        )}
      </Field>
      {isNew ? (
        <SelectField
          id={`${id}-type`}
          label="Actor type"
          value={row.type}
          disabled={disabled}
          onChange={(v) => onChange({ ...row, type: v as ActorType })}
          data-testid="actor-type"
        >
          <ActorTypeOptions />
        </SelectField>
      ) : null}
      <SelectField
        id={`${id}-role`}
        label="Role"
        value={row.role}
        disabled={disabled}
        onChange={(v) => onChange({ ...row, role: v as ActorRole })}
        data-testid="actor-role"
      >
        {ACTOR_ROLES.map((r) => (
          <option key={r} value={r}>
            {ACTOR_ROLE_LABELS[r]}
          </option>
        ))}
      </SelectField>
      <SelectField
        id={`${id}-conf`}
        label="Attribution"
        value={row.confidence}
        disabled={disabled}
        onChange={(v) => onChange({ ...row, confidence: v as Confidence })}
        data-testid="actor-confidence"
      >
        {CONFIDENCES.map((c) => (
          <option key={c} value={c}>
            {CONFIDENCE_LABELS[c]}
          </option>
        ))}
      </SelectField>
      <button
        type="button"
        className="button button-small button-danger-quiet actor-row-remove"
        onClick={onRemove}
        disabled={disabled}
        aria-label={`Remove ${row.name || 'this actor'}`}
      >
        Remove
      </button>
    </li>
  );
}

export function ActorRows({
  rows,
  onChange,
  disabled,
}: {
  rows: ActorRow[];
  onChange: (rows: ActorRow[]) => void;
  disabled?: boolean;
}) {
  return (
    <div className="actor-rows">
      {rows.length === 0 ? <p className="muted small">No actors named.</p> : null}
      <ul className="plain-list">
        {rows.map((row, i) => (
          <Row
            key={row.key}
            row={row}
            index={i}
            disabled={disabled}
            onChange={(next) => onChange(rows.map((r) => (r.key === row.key ? next : r)))}
            onRemove={() => onChange(rows.filter((r) => r.key !== row.key))}
          />
        ))}
      </ul>
      <button
        type="button"
        className="button button-small"
        onClick={() =>
          onChange([...rows, newActorRow({ role: rows.length === 0 ? 'perpetrator' : 'target' })])
        }
        disabled={disabled}
        data-testid="add-actor"
      >
        Add actor
      </button>
    </div>
  );
}
