import { type TSchema, Type } from 'typebox';

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
