import { Type } from 'typebox';
import type { TrendSubject } from '../../../services/incidents/trends.ts';
import { domainTyped, Nullable } from '../../schemas.ts';
import { TaskOut } from '../tasks/schema.ts';

/** Request and response schemas of the trend routes (trends.ts). */

// A post or a region; typed as the service's union so clients can switch on `kind`.
const Subject = domainTyped<TrendSubject>(
  Type.Object({
    kind: Type.String(),
    id: Type.Optional(Type.String()),
    code: Type.Optional(Type.String()),
    name: Type.String(),
    country: Type.String(),
  }),
);

const signalFields = {
  type: Type.String(),
  recent: Type.Integer(),
  baseline: Type.Integer(),
  recentPerWeek: Type.Number(),
  baselinePerWeek: Type.Number(),
  rateRatio: Nullable(Type.Number()),
  pValue: Type.Number(),
  firing: Type.Boolean(),
};
export const Signal = Type.Object(signalFields);

export const TrendOut = Type.Object({
  subject: Subject,
  at: Type.String(),
  radiusKm: Nullable(Type.Number()),
  weeks: Type.Array(
    Type.Object({
      start: Type.String(),
      end: Type.String(),
      total: Type.Integer(),
      byType: Type.Record(Type.String(), Type.Integer()),
    }),
  ),
  signals: Type.Array(Signal),
  firing: Type.Boolean(),
  method: Type.String(),
});

export const SignalsOut = Type.Object({
  at: Type.String(),
  signals: Type.Array(Type.Object({ subject: Subject, ...signalFields })),
  method: Type.String(),
});

export const ThreatReviewBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
/** 201 when the task was opened now, 200 when one was open already (created: false). */
export const ThreatReviewOut = Type.Object({
  task: TaskOut,
  created: Type.Boolean(),
  signals: Type.Array(Signal),
});
