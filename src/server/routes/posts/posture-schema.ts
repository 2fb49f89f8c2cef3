import { Type } from 'typebox';
import type { PostureRequestStatus, PostureState } from '../../../domain/posts/types.ts';
import { domainTyped, Id, IsoTime, Nullable } from '../../schemas.ts';
import { TaskOut } from '../tasks/schema.ts';

/** Request and response schemas of the posture routes (posture.ts); PostOut embeds PostureChangeOut. */

export const PostureStateSchema = Type.Union([
  Type.Literal('normal'),
  Type.Literal('authorized_departure'),
  Type.Literal('ordered_departure'),
  Type.Literal('suspended'),
]);
const Scope = Type.Union([Type.Literal('none'), Type.Literal('authorized'), Type.Literal('ordered')]);
export const DepartureSchema = Type.Object({ staff: Scope, family: Scope }, { additionalProperties: false });
export const ServicesSchema = Type.Object(
  { citizenServices: Type.Boolean(), visas: Type.Boolean(), walkIn: Type.Boolean() },
  { additionalProperties: false },
);
export const StatementSchema = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 5000 }), by: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

const StateOut = domainTyped<PostureState>(Type.String());

export const PostureChangeOut = Type.Object({
  id: Type.String(),
  postId: Type.String(),
  previousState: Nullable(StateOut),
  state: StateOut,
  departure: DepartureSchema,
  services: ServicesSchema,
  effectiveAt: Type.String(),
  reason: Type.String(),
  reviewBy: Nullable(Type.String()),
  statement: Nullable(StatementSchema),
  coverageDelegateId: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.String(),
  approvedBy: Nullable(Type.String()),
});

const DateOnly = Type.String({ format: 'date' });
const Reason = Type.String({ minLength: 1, maxLength: 2000 });

/** The fields of a posture change, all required when making one, all optional when editing a request. */
export const postureFields = {
  state: PostureStateSchema,
  departure: DepartureSchema,
  services: ServicesSchema,
  effectiveAt: Type.Optional(Nullable(IsoTime)),
  reason: Reason,
  reviewBy: Type.Optional(Nullable(DateOnly)),
  statement: Type.Optional(Nullable(StatementSchema)),
  coverageDelegateId: Type.Optional(Nullable(Id)),
};

export const PostureBody = Type.Object(postureFields, { additionalProperties: false });

/** An edit of a pending request: any of the fields, at least one. */
export const PostureRequestPatch = Type.Object(
  {
    state: Type.Optional(postureFields.state),
    departure: Type.Optional(postureFields.departure),
    services: Type.Optional(postureFields.services),
    effectiveAt: postureFields.effectiveAt,
    reason: Type.Optional(postureFields.reason),
    reviewBy: postureFields.reviewBy,
    statement: postureFields.statement,
    coverageDelegateId: postureFields.coverageDelegateId,
  },
  { additionalProperties: false, minProperties: 1 },
);

export const RejectBody = Type.Object({ reason: Reason }, { additionalProperties: false });

const RequestContentOut = Type.Object({
  postId: Type.String(),
  baseChangeId: Nullable(Type.String()),
  fromState: StateOut,
  state: StateOut,
  departure: DepartureSchema,
  services: ServicesSchema,
  effectiveAt: Nullable(Type.String()),
  reason: Type.String(),
  reviewBy: Nullable(Type.String()),
  statement: Nullable(StatementSchema),
  coverageDelegateId: Type.Optional(Nullable(Type.String())),
});

export const PostureRequestOut = Type.Object({
  id: Type.String(),
  postId: Type.String(),
  status: domainTyped<PostureRequestStatus>(Type.String()),
  content: RequestContentOut,
  contentHash: Type.String(),
  requestedBy: Type.String(),
  requestedAt: Type.String(),
  authors: Type.Array(Type.String()),
  updatedAt: Type.String(),
  expiresAt: Type.String(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
  changeId: Nullable(Type.String()),
});

export const PostureResultOut = Type.Object({
  change: Nullable(PostureChangeOut),
  request: Nullable(PostureRequestOut),
  tasks: Type.Array(TaskOut),
});
