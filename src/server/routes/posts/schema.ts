import type { FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import type { AreaGeometry } from '../../../domain/geo/types.ts';
import type { PostKind } from '../../../domain/posts/types.ts';
import { CountryCode, domainTyped, IsoTime, Nullable, responses } from '../../schemas.ts';
import { PostureChangeOut } from './posture-schema.ts';

/** Request and response schemas of the posts routes (posture ones are in posture-schema.ts). */

// Coordinates are [longitude, latitude] (GeoJSON order); ranges and rings are checked by the domain
// so that the error names the exact ring or position (invalid_geometry).
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
const Ring = Type.Array(Position, { maxItems: 5000 });
export const PolygonInput = Type.Object(
  { type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { maxItems: 200 }) },
  { additionalProperties: false },
);
export const MultiPolygonInput = Type.Object(
  {
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Array(Ring, { maxItems: 200 }), { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export const AreaGeometryInput = Type.Union([PolygonInput, MultiPolygonInput]);
export const AreaGeometryOut = domainTyped<AreaGeometry>(
  Type.Object({ type: Type.String(), coordinates: Type.Unknown() }),
);

export const LatLonInput = Type.Object(
  { lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) },
  { additionalProperties: false },
);
const LatLonOut = Type.Object({ lat: Type.Number(), lon: Type.Number() });

const Text = (max: number) => Nullable(Type.String({ maxLength: max }));
export const ContactInput = Type.Object(
  {
    phone: Type.Optional(Nullable(Type.String({ maxLength: 40, pattern: '^[+0-9][0-9 ()./-]*$' }))),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
    address: Type.Optional(Text(500)),
    hours: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);
export const ContactOut = Type.Object({
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  address: Nullable(Type.String()),
  hours: Nullable(Type.String()),
});

export const DistrictInput = Type.Object(
  {
    regions: Type.Optional(Type.Array(Type.String({ maxLength: 12 }), { maxItems: 200 })),
    geometry: Type.Optional(Nullable(AreaGeometryInput)),
  },
  { additionalProperties: false },
);
export const DistrictOut = Type.Object({
  regions: Type.Array(Type.String()),
  geometry: Nullable(AreaGeometryOut),
});

export const PostKindSchema = Type.Union([
  Type.Literal('embassy'),
  Type.Literal('consulate_general'),
  Type.Literal('consulate'),
  Type.Literal('office'),
]);
export const PostOut = Type.Object({
  id: Type.String(),
  kind: domainTyped<PostKind>(Type.String()),
  name: Type.String(),
  city: Type.String(),
  country: Type.String(),
  location: LatLonOut,
  contact: ContactOut,
  district: DistrictOut,
  coverageDelegateId: Nullable(Type.String()),
  // The newest applied change; null only for a post without any.
  posture: Nullable(PostureChangeOut),
  pendingRequestId: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Name = Type.String({ minLength: 1, maxLength: 200 });

export const RestrictionOut = Type.Object({
  id: Type.String(),
  postId: Type.String(),
  country: Type.String(),
  regions: Type.Array(Type.String()),
  geometry: Nullable(AreaGeometryOut),
  reason: Type.String(),
  validFrom: Type.String(),
  validUntil: Nullable(Type.String()),
  taskId: Nullable(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.String(),
  active: Type.Boolean(),
});

const Overlap = Type.Object({
  postIds: Type.Array(Type.String()),
  postNames: Type.Array(Type.String()),
  regions: Type.Array(Type.String()),
  areaKm2: Type.Number(),
});
const Gap = Type.Object({
  region: Type.String(),
  name: Type.String(),
  areaKm2: Type.Number(),
  regionAreaKm2: Type.Number(),
  partial: Type.Boolean(),
});
const Unserved = Type.Object({ postId: Type.String(), name: Type.String(), problem: Type.String() });
export const DistrictReportOut = Type.Object({
  country: Type.String(),
  name: Type.String(),
  posts: Type.Integer(),
  ok: Type.Boolean(),
  overlaps: Type.Array(Overlap),
  gaps: Type.Array(Gap),
  unserved: Type.Array(Unserved),
});

export const PostBody = Type.Object(
  {
    kind: PostKindSchema,
    name: Name,
    city: Name,
    country: CountryCode,
    location: LatLonInput,
    contact: Type.Optional(ContactInput),
    district: Type.Optional(DistrictInput),
  },
  { additionalProperties: false },
);
/** The country of a post never changes. */
export const PostPatch = Type.Object(
  {
    kind: Type.Optional(PostKindSchema),
    name: Type.Optional(Name),
    city: Type.Optional(Name),
    location: Type.Optional(LatLonInput),
    contact: Type.Optional(ContactInput),
    district: Type.Optional(DistrictInput),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const RestrictionBody = Type.Object(
  {
    regions: Type.Optional(Type.Array(Type.String({ maxLength: 12 }), { maxItems: 200 })),
    geometry: Type.Optional(Nullable(AreaGeometryInput)),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    validFrom: Type.Optional(IsoTime),
    validUntil: Type.Optional(Nullable(IsoTime)),
  },
  { additionalProperties: false },
);

/** responses() plus 422, the status of domain conflicts (overlap, transition, approval rules). */
export function postResponses<T extends Record<number, TSchema>>(ok: T) {
  return { ...responses(ok), 422: Type.Ref('ErrorBody') };
}

export const paramId = (req: FastifyRequest): string => String((req.params as { id?: unknown }).id ?? '');
