import { ACTOR_TYPE_LABELS, ACTOR_TYPES } from './taxonomy.ts';

/** One option per actor type, labelled: for every select that picks or filters an actor type. */
export function ActorTypeOptions() {
  return ACTOR_TYPES.map((t) => (
    <option key={t} value={t}>
      {ACTOR_TYPE_LABELS[t]}
    </option>
  ));
}
