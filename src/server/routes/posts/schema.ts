import type { FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { Nullable, responses } from '../../schemas.ts';

/** Shared TypeBox schemas of the posts, posture, tasks and public posts routes. */

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
export const AreaGeometryOut = Type.Object({ type: Type.String(), coordinates: Type.Unknown() });

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

export const PostureChangeOut = Type.Object({
  id: Type.String(),
  postId: Type.String(),
  previousState: Nullable(Type.String()),
  state: Type.String(),
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

export const PostOut = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  city: Type.String(),
  country: Type.String(),
  location: LatLonOut,
  contact: ContactOut,
  district: DistrictOut,
  coverageDelegateId: Nullable(Type.String()),
  posture: Nullable(PostureChangeOut),
  pendingRequestId: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const TaskOut = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
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

/** responses() plus 422, the status of domain conflicts (overlap, transition, approval rules). */
export function postResponses<T extends Record<number, TSchema>>(ok: T) {
  return { ...responses(ok), 422: Type.Ref('ErrorBody') };
}

export const paramId = (req: FastifyRequest): string => String((req.params as { id?: unknown }).id ?? '');
