import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AlertContent, AlertState } from '../../../domain/alerts/types.ts';
import {
  ALERT_KINDS,
  ALERT_STATES,
  ALERT_STATUSES,
  CAP_CATEGORIES,
  CERTAINTIES,
  MSG_TYPES,
  RESPONSE_TYPES,
  SCOPES,
  SEVERITIES,
  URGENCIES,
} from '../../../domain/alerts/types.ts';
import { domainTyped, Id, IsoTime, literals, Nullable, responses } from '../../schemas.ts';

/*
 * Request and response schemas of the alert routes. Shapes and enumerations are checked here;
 * lengths, languages, area geometry and times are checked by the domain (validateAlertContent),
 * so the error names the exact rule (cap_field_too_long, unknown_language, invalid_area with the
 * JSON pointer of the ring or position).
 */

const Text = (maxLength: number) => Type.String({ maxLength });
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
// Generous bounds: the domain's limits (1,000 a ring, 10,000 an alert) answer with a pointer.
const Ring = Type.Array(Position, { maxItems: 20_000 });
const Polygon = Type.Object(
  { type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { maxItems: 100 }) },
  { additionalProperties: false },
);
const MultiPolygon = Type.Object(
  {
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Array(Ring, { maxItems: 100 }), { maxItems: 100 }),
  },
  { additionalProperties: false },
);

export const AreaIn = Type.Object(
  {
    countries: Type.Array(Type.String({ maxLength: 8 }), { maxItems: 300 }),
    regions: Type.Array(Type.String({ maxLength: 16 }), { maxItems: 2000 }),
    polygons: Type.Array(Type.Union([Polygon, MultiPolygon]), { maxItems: 100 }),
    circles: Type.Array(
      Type.Object(
        { lat: Type.Number(), lon: Type.Number(), radiusKm: Type.Number() },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

const TextIn = Type.Object(
  {
    // Bounds here only stop abuse; the domain's limits answer cap_field_too_long with the field.
    headline: Text(10_000),
    sections: Type.Object(
      {
        location: Text(10_000),
        event: Text(20_000),
        actionsToTake: Text(20_000),
        assistance: Text(10_000),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const ContentIn = Type.Object(
  {
    kind: literals(ALERT_KINDS),
    postId: Id,
    status: literals(ALERT_STATUSES),
    msgType: literals(MSG_TYPES),
    references: Type.Array(
      Type.Object({ alertId: Id, sentAt: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
      { maxItems: 100 },
    ),
    scope: literals(SCOPES),
    restriction: Nullable(Text(10_000)),
    addresses: Type.Array(Text(1000), { maxItems: 1000 }),
    // Any language tag: one outside the catalogues is refused as unknown_language.
    texts: Type.Record(Type.String({ maxLength: 35 }), TextIn, { maxProperties: 20 }),
    cap: Type.Object(
      {
        category: Type.Array(literals(CAP_CATEGORIES), { maxItems: 12 }),
        event: Text(10_000),
        responseType: Type.Array(literals(RESPONSE_TYPES), { maxItems: 9 }),
        urgency: literals(URGENCIES),
        severity: literals(SEVERITIES),
        certainty: literals(CERTAINTIES),
        effective: IsoTime,
        expires: IsoTime,
      },
      { additionalProperties: false },
    ),
    checkIn: Type.Object(
      { requested: Type.Boolean(), deadline: Nullable(IsoTime) },
      { additionalProperties: false },
    ),
    area: AreaIn,
    includeUnknownLocation: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** The content as stored: what the approver approves (its hash is contentHash). */
export const ContentOut = domainTyped<AlertContent>(
  Type.Object({}, { additionalProperties: true, description: 'AlertContent (see the request schema)' }),
);

const ChannelReach = Type.Object({ people: Type.Integer(), contacts: Type.Integer() });
export const ReachOut = Type.Object({
  people: Type.Object({
    total: Type.Integer(),
    exact: Type.Integer(),
    approximate: Type.Integer(),
    countryOnly: Type.Integer(),
  }),
  channels: Type.Object({ email: ChannelReach, sms: ChannelReach, webhook: ChannelReach }),
  drillOnly: Type.Boolean(),
  warnings: Type.Array(Type.String()),
});

export const AlertOut = Type.Object({
  id: Type.String(),
  content: ContentOut,
  contentHash: Type.String(),
  state: domainTyped<AlertState>(literals(ALERT_STATES)),
  authors: domainTyped<readonly string[]>(Type.Array(Type.String())),
  createdBy: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  submittedAt: Nullable(Type.String()),
  approvalExpiresAt: Nullable(Type.String()),
  approvalExpired: Type.Boolean(),
  approval: Nullable(Type.Object({ by: Type.String(), at: Type.String(), contentHash: Type.String() })),
  sentAt: Nullable(Type.String()),
  supersededBy: Nullable(Type.String()),
  source: Nullable(Type.String()),
  rootId: Type.String(),
  country: Type.String(),
  countries: domainTyped<readonly string[]>(Type.Array(Type.String())),
  recipientCount: Nullable(Type.Integer()),
});

export const AlertResult = Type.Object({ alert: AlertOut });

export const SendOut = Type.Object({
  alert: AlertOut,
  recipients: Type.Integer(),
  messages: Type.Integer(),
});

const Rendered = Type.Object({}, { additionalProperties: true });
export const PreviewOut = Type.Object({
  language: Type.String(),
  email: Rendered,
  sms: Rendered,
  webhook: Rendered,
});

export const StartBody = Type.Union([
  Type.Object(
    { from: Type.Literal('blank'), kind: literals(ALERT_KINDS), postId: Id },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      from: Type.Literal('incident'),
      id: Id,
      kind: Type.Optional(literals(ALERT_KINDS)),
      postId: Type.Optional(Id),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { from: Type.Literal('restriction'), id: Id, kind: Type.Optional(literals(ALERT_KINDS)) },
    { additionalProperties: false },
  ),
]);

export const ReachBody = Type.Object(
  {
    area: AreaIn,
    effective: IsoTime,
    expires: IsoTime,
    includeUnknownLocation: Type.Optional(Type.Boolean()),
    status: Type.Optional(literals(ALERT_STATUSES)),
  },
  { additionalProperties: false },
);

export const ProgressOut = Type.Object({
  total: Type.Integer(),
  byStatus: Type.Record(Type.String(), Type.Integer()),
  byChannel: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer())),
});

export function alertResponses<T extends Record<number, import('typebox').TSchema>>(ok: T) {
  return { ...responses(ok), 422: Type.Ref('ErrorBody') };
}

export const alertParamId = (req: FastifyRequest): string =>
  String((req.params as { id?: unknown }).id ?? '');
