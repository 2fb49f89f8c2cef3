import { Type } from 'typebox';
import {
  INCIDENT_TYPES,
  type IncidentSubType,
  type IncidentType,
  SUB_TYPES,
  subTypeLabel,
  typeLabel,
} from '../../../domain/incidents/taxonomy.ts';
import {
  ACTOR_ROLES,
  ACTOR_TYPES,
  type ActorRole,
  type ActorType,
  CONFIDENCES,
  type Confidence,
  GEO_PRECISIONS,
  type GeoPrecision,
  type IncidentView,
  TIME_PRECISIONS,
  type TimePrecision,
} from '../../../domain/incidents/types.ts';
import { CountryCode, domainTyped, Id, IsoTime, literals, Nullable } from '../../schemas.ts';

/** Request and response schemas of the incident routes (index.ts), and the presenter that fills them. */

const Text = (max: number) => Type.String({ maxLength: max });
const LatLon = {
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
};

const ActorRef = Type.Union([
  Type.Object(
    { actorId: Id, role: literals(ACTOR_ROLES), confidence: literals(CONFIDENCES) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 300 }),
      type: Type.Optional(literals(ACTOR_TYPES)),
      role: literals(ACTOR_ROLES),
      confidence: literals(CONFIDENCES),
    },
    { additionalProperties: false },
  ),
]);

export const incidentFields = {
  occurredAt: IsoTime,
  timePrecision: Type.Optional(literals(TIME_PRECISIONS)),
  location: Type.Object(
    {
      ...LatLon,
      precision: Type.Optional(literals(GEO_PRECISIONS)),
      place: Type.Optional(Nullable(Text(300))),
    },
    { additionalProperties: false },
  ),
  type: literals(INCIDENT_TYPES),
  subType: literals(SUB_TYPES),
  target: Type.Optional(
    Type.Object(
      { text: Type.Optional(Nullable(Text(500))), postId: Type.Optional(Nullable(Id)) },
      { additionalProperties: false },
    ),
  ),
  actors: Type.Optional(Type.Array(ActorRef, { maxItems: 50 })),
  fatalities: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
  injuries: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
  sources: Type.Optional(Type.Array(Text(500), { maxItems: 50 })),
  notes: Type.Optional(Nullable(Text(10_000))),
};

// Enumerated fields carry the domain types (see domainTyped): the JSON schema stays a plain string.
export const IncidentOut = Type.Object({
  id: Type.String(),
  eventId: Nullable(Type.String()),
  occurredAt: Type.String(),
  timePrecision: domainTyped<TimePrecision>(Type.String()),
  location: Type.Object({
    lat: Type.Number(),
    lon: Type.Number(),
    precision: domainTyped<GeoPrecision>(Type.String()),
    place: Nullable(Type.String()),
  }),
  country: Type.String(),
  region: Nullable(Type.String()),
  type: domainTyped<IncidentType>(Type.String()),
  typeLabel: Type.String(),
  subType: domainTyped<IncidentSubType>(Type.String()),
  subTypeLabel: Type.String(),
  target: Type.Object({ text: Nullable(Type.String()), postId: Nullable(Type.String()) }),
  actors: Type.Array(
    Type.Object({
      actorId: Type.String(),
      name: Type.String(),
      type: domainTyped<ActorType>(Type.String()),
      role: domainTyped<ActorRole>(Type.String()),
      confidence: domainTyped<Confidence>(Type.String()),
    }),
  ),
  fatalities: Nullable(Type.Integer()),
  injuries: Nullable(Type.Integer()),
  sources: Type.Array(Type.String()),
  notes: Nullable(Type.String()),
  source: Nullable(Type.Record(Type.String(), Type.String())),
  version: Type.Integer(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  updatedAt: Type.String(),
  updatedBy: Type.String(),
  retraction: Nullable(Type.Object({ at: Type.String(), by: Type.String(), reason: Type.String() })),
  // Posts within the linking radius, nearest first.
  posts: Type.Array(Type.Object({ postId: Type.String(), distanceKm: Type.Number() })),
});

const Issue = Type.Object({
  row: Type.Integer(),
  line: Type.Integer(),
  field: Nullable(Type.String()),
  reason: Type.String(),
  eventId: Type.Optional(Type.String()),
});
export const ImportReportOut = Type.Object({
  importId: Type.String(),
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer(),
  retracted: Type.Integer(),
  actorsCreated: Type.Integer(),
  linked: Type.Integer(),
  errorCount: Type.Integer(),
  warningCount: Type.Integer(),
  errors: Type.Array(Issue),
  warnings: Type.Array(Issue),
  truncated: Type.Boolean(),
  durationMs: Type.Integer(),
});

export const searchQuery = (maxLimit: number, defaultLimit: number) =>
  Type.Object(
    {
      bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat', maxLength: 100 })),
      from: Type.Optional(Type.String({ description: 'ISO date or date-time (inclusive)', maxLength: 40 })),
      to: Type.Optional(
        Type.String({ description: 'ISO date (whole day) or date-time (inclusive)', maxLength: 40 }),
      ),
      type: Type.Optional(
        Type.String({ description: 'type or sub-type codes, comma-separated', maxLength: 1000 }),
      ),
      actor: Type.Optional(
        Type.String({ description: 'actor id or exact name', minLength: 1, maxLength: 300 }),
      ),
      postId: Type.Optional(Id),
      country: Type.Optional(CountryCode),
      includeRetracted: Type.Optional(Type.Boolean()),
      limit: Type.Integer({ minimum: 1, maximum: maxLimit, default: defaultLimit }),
      cursor: Type.Optional(Type.String({ maxLength: 500 })),
    },
    { additionalProperties: false },
  );

export const IncidentBody = Type.Object(incidentFields, { additionalProperties: false });
/** Any of the fields; `version` guards against lost updates. */
export const IncidentPatchBody = Type.Object(
  {
    ...Type.Partial(Type.Object(incidentFields)).properties,
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const RetractBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const IncidentVersionOut = Type.Object({
  version: Type.Integer(),
  replacedAt: Type.String(),
  replacedBy: Type.String(),
  state: Type.Record(Type.String(), Type.Unknown()),
});

export const AlertSeedOut = Type.Object({
  area: Type.Object({
    circle: Type.Object({ lat: Type.Number(), lon: Type.Number(), radiusKm: Type.Number() }),
  }),
  time: Type.String(),
  headline: Type.String(),
  description: Type.String(),
});

// ---- presenters ----
export const presentIncident = (i: IncidentView) => ({
  ...i,
  actors: [...i.actors],
  sources: [...i.sources],
  posts: [...i.posts],
  typeLabel: typeLabel(i.type),
  subTypeLabel: subTypeLabel(i.type, i.subType),
});
