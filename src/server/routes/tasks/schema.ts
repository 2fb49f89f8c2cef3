import { Type } from 'typebox';
import type { TaskKind, TaskStatus } from '../../../domain/tasks/types.ts';
import { domainTyped, Nullable } from '../../schemas.ts';

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
