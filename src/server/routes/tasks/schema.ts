import { Type } from 'typebox';
import { TASK_KINDS, TASK_STATUSES, type TaskKind, type TaskStatus } from '../../../domain/tasks/types.ts';
import { CountryCode, domainTyped, Id, literals, Nullable } from '../../schemas.ts';

/** A task as every route that opens or lists tasks answers with it. */
export const TaskOut = Type.Object({
  id: Type.String(),
  kind: domainTyped<TaskKind>(Type.String()),
  status: domainTyped<TaskStatus>(Type.String()),
  title: Type.String(),
  country: Nullable(Type.String()),
  postId: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  createdBy: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  resolvedBy: Nullable(Type.String()),
  resolution: Nullable(Type.Record(Type.String(), Type.Unknown())),
});

export const TaskQuery = Type.Object(
  {
    status: Type.Optional(literals(TASK_STATUSES)),
    kind: Type.Optional(literals(TASK_KINDS)),
    country: Type.Optional(CountryCode),
    postId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** A link (advisory edition or alert) or a recorded reason. */
export const ResolveBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    link: Type.Optional(
      Type.Object(
        {
          kind: literals(['advisory_edition', 'alert']),
          id: Type.String({ minLength: 1, maxLength: 64 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
