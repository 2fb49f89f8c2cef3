import { Type } from 'typebox';
import { CountryCode, Nullable } from '../../schemas.ts';
import { Language, strict, Text } from '../enrollments/schema.ts';

/** Request and response schemas of the public subscription routes (public.ts). */

const Countries = Type.Array(CountryCode, { minItems: 1, maxItems: 60 });
export const Frequency = Type.Union([Type.Literal('immediate'), Type.Literal('daily')]);
export const TokenBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }) }, strict);
export const SubscriptionOut = Type.Object({
  subscription: Type.Object({
    email: Type.String(),
    countries: Type.Array(Type.String()),
    frequency: Frequency,
    language: Type.String(),
    verifiedAt: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
});

export const SubscriptionBody = Type.Object(
  { email: Text(254), countries: Countries, frequency: Frequency, language: Language },
  strict,
);
export const SubscriptionPatchBody = Type.Object(
  {
    countries: Type.Optional(Countries),
    frequency: Type.Optional(Frequency),
    language: Type.Optional(Language),
  },
  strict,
);
