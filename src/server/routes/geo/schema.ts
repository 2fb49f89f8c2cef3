import { Type } from 'typebox';
import type { BBox } from '../../../domain/geo/types.ts';
import { domainTyped } from '../../schemas.ts';

/** Response schemas of the reference geography routes (index.ts). */

// [minLon, minLat, maxLon, maxLat], typed as the domain's tuple.
const Bbox = domainTyped<BBox>(Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }));
export const CountryOut = Type.Object({
  code: Type.String(),
  alpha3: Type.String(),
  numeric: Type.String(),
  name: Type.String(),
  bbox: Bbox,
});
export const RegionOut = Type.Object({
  code: Type.String(),
  country: Type.String(),
  name: Type.String(),
  type: Type.Union([Type.String(), Type.Null()]),
  bbox: Bbox,
});
export const PlaceOut = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  country: Type.String(),
  region: Type.Union([Type.String(), Type.Null()]),
  lat: Type.Number(),
  lon: Type.Number(),
  population: Type.Integer(),
});

/** A city named on the staff map (GET /api/geo/cities). */
export const CityOut = Type.Object({
  name: Type.String(),
  country: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  population: Type.Integer(),
});
