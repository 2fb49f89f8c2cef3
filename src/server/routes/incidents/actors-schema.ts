import { Type } from 'typebox';
import { ACTOR_TYPES, CONFIDENCES, RELATION_KINDS } from '../../../domain/incidents/types.ts';
import { Id, literals, Nullable } from '../../schemas.ts';

/** Request and response schemas of the actor routes (actors.ts). */

const Name = Type.String({ minLength: 1, maxLength: 300 });
const Notes = Nullable(Type.String({ maxLength: 5000 }));
const Brief = Type.Object({ id: Type.String(), name: Type.String(), type: Type.String() });

export const RelationOut = Type.Object({
  id: Type.String(),
  relation: Type.String(),
  confidence: Type.String(),
  notes: Nullable(Type.String()),
  from: Brief,
  to: Brief,
  createdAt: Type.String(),
  createdBy: Type.String(),
});

const actorFields = {
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  notes: Nullable(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.String(),
  updatedAt: Type.String(),
};
export const ActorOut = Type.Object(actorFields);
export const ActorDetailOut = Type.Object({
  ...actorFields,
  relations: Type.Array(RelationOut),
  incidentCount: Type.Integer(),
});

export const ActorBody = Type.Object(
  { name: Name, type: literals(ACTOR_TYPES), notes: Type.Optional(Notes) },
  { additionalProperties: false },
);
export const ActorPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    type: Type.Optional(literals(ACTOR_TYPES)),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const RelationBody = Type.Object(
  {
    relation: literals(RELATION_KINDS),
    toActorId: Id,
    confidence: literals(CONFIDENCES),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false },
);
