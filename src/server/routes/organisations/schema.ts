import { Type } from 'typebox';
import { Nullable } from '../../schemas.ts';
import { strict } from '../enrollments/schema.ts';

/** Request and response schemas of the organisation routes (index.ts, and enrollments.ts's import report). */

export const TokenOut = Type.Object({
  id: Type.String(),
  label: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});

export const OrganisationOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  notes: Nullable(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.String(),
  updatedAt: Type.String(),
  disabledAt: Nullable(Type.String()),
  drillParticipant: Type.Boolean(),
  persons: Type.Integer(), // people enrolled through it
  tokens: Type.Array(TokenOut),
});

const RowIssueOut = Type.Object({
  row: Type.Integer(),
  line: Type.Integer(),
  field: Nullable(Type.String()),
  code: Type.String(),
  reason: Type.String(),
  externalId: Type.Optional(Type.String()),
});

export const ImportReportOut = Type.Object({
  importId: Type.String(),
  rows: Type.Integer(),
  persons: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failedPersons: Type.Integer(),
  failed: Type.Integer(),
  errorCount: Type.Integer(),
  errors: Type.Array(RowIssueOut),
  truncated: Type.Boolean(),
  bytes: Type.Integer(),
  durationMs: Type.Integer(),
});

export const ImportOut = Type.Object({
  id: Type.String(),
  actor: Type.String(),
  via: Type.String(),
  status: Type.String(),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  bytes: Type.Integer(),
  rows: Type.Integer(),
  persons: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer(),
  errorCount: Type.Integer(),
  error: Nullable(Type.String()),
});

export const OrganisationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  strict,
);
export const OrganisationPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    disabled: Type.Optional(Type.Boolean()),
    drillParticipant: Type.Optional(Type.Boolean()),
  },
  strict,
);
export const TokenBody = Type.Object({ label: Type.String({ minLength: 1, maxLength: 100 }) }, strict);
/** The secret is in this answer only: it is stored as a hash. */
export const NewTokenOut = Type.Object({ token: TokenOut, secret: Type.String() });
