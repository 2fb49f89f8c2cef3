import { type TSchema, type TUnsafe, Type } from 'typebox';

/** The one error body every route answers with. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { $id: 'ErrorBody' },
);

/** Response map with the error shape on every failure status a route can produce. */
export function responses<T extends Record<number, TSchema>>(ok: T) {
  const err = Type.Ref('ErrorBody');
  return { ...ok, 400: err, 401: err, 403: err, 404: err, 409: err, 413: err, 415: err, 429: err, 500: err };
}

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Uuid = Type.String({ format: 'uuid' });
export const IsoTime = Type.String({ format: 'date-time' });

/** A record id in a path or body: uuid-like text, never a path or a query. */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const IdParams = Type.Object({ id: Id });
/** ISO 3166-1 alpha-2 (or alpha-3 where a route says so); case is normalised by the domain. */
export const CountryCode = Type.String({ pattern: '^[A-Za-z]{2,3}$' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/**
 * A union of string literals from a domain list (`literals(TASK_KINDS)`), typed as that union so a
 * route hands the validated value to the domain without a cast. Typed as T[number] rather than a
 * TUnion of literals: that keeps the union for lists built at run time (`Object.keys(…) as
 * IncidentType[]`), where a mapped TUnion over a plain array has no static type at all (never).
 */
export function literals<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
): TUnsafe<T[number]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnsafe<T[number]>;
}

/**
 * A response field the server fills from a domain-typed value (a posture state, an advisory level,
 * a polygon): the JSON schema stays exactly as given, so serialisation and the OpenAPI document do
 * not change, while clients that take their types from `Static<typeof …>` (the console) get the
 * domain's type instead of a bare string or number.
 */
export const domainTyped = <T>(schema: TSchema): TUnsafe<T> => Type.Unsafe<T>(schema);
