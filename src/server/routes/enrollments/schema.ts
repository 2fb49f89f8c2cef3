import { Type } from 'typebox';
import { CountryCode, Nullable } from '../../schemas.ts';
import { LatLonInput } from '../posts/schema.ts';

/** Request and response schemas of the enrollment routes (staff index.ts, traveller public.ts). */

export const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Day = Type.String({ format: 'date' });
export const strict = { additionalProperties: false } as const;

export const Language = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 });

export const TripInput = Type.Object(
  {
    country: CountryCode,
    place: Type.Optional(Type.Object({ placeId: Type.Integer({ minimum: 1 }) }, strict)),
    point: Type.Optional(LatLonInput),
    wholeCountry: Type.Optional(Type.Boolean()),
    arrival: Day,
    departure: Type.Optional(Day), // absent: one-way or resident
  },
  strict,
);
export const Trips = Type.Array(TripInput, { minItems: 1, maxItems: 20 });

export const EmergencyContactInput = Type.Object(
  { name: Text(200), phone: Type.Optional(Text(64)), email: Type.Optional(Text(254)) },
  strict,
);

export const EnrollmentOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  language: Type.String(),
  webhookUrl: Nullable(Type.String()),
  emergencyContact: Type.Object({
    name: Type.String(),
    phone: Nullable(Type.String()),
    email: Nullable(Type.String()),
  }),
  contacts: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), verified: Type.Boolean() })),
  trips: Type.Array(
    Type.Object({
      id: Type.String(),
      country: Type.String(),
      region: Nullable(Type.String()),
      point: Nullable(Type.Object({ lat: Type.Number(), lon: Type.Number() })),
      placeId: Nullable(Type.Integer()),
      placeName: Nullable(Type.String()),
      arrival: Type.String(),
      departure: Nullable(Type.String()),
      // Open-ended trips only (null when the trip has a departure): see docs/privacy.md.
      presence: Nullable(Type.Union([Type.Literal('confirmed'), Type.Literal('unconfirmed')])),
      confirmedAt: Nullable(Type.String()),
      presenceDueAt: Nullable(Type.String()),
    }),
  ),
  consentAt: Type.String(),
  unsubscribedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const EnrollmentBody = Type.Object(
  {
    name: Text(200),
    email: Type.Optional(Text(254)),
    phone: Type.Optional(Text(64)),
    webhookUrl: Type.Optional(Text(2000)),
    language: Language,
    emergencyContact: EmergencyContactInput,
    consent: Type.Boolean(),
    trips: Trips,
  },
  strict,
);

/** My details, contacts (a new email is verified again) or trips (replaced as a whole). */
export const EnrollmentPatchBody = Type.Object(
  {
    name: Type.Optional(Text(200)),
    language: Type.Optional(Language),
    webhookUrl: Type.Optional(Nullable(Text(2000))),
    emergencyContact: Type.Optional(EmergencyContactInput),
    email: Type.Optional(Nullable(Text(254))),
    phone: Type.Optional(Nullable(Text(64))),
    trips: Type.Optional(Trips),
  },
  strict,
);

export const VerifiedOut = Type.Object({
  status: Type.Union([Type.Literal('verified'), Type.Literal('already_verified')]),
});
export const SessionOut = Type.Object({ sessionToken: Type.String(), expiresAt: Type.String() });

// Staff: counts only, never a person.
const Counts = { persons: Type.Integer(), trips: Type.Integer() };
export const StatsOut = Type.Object({
  asOf: Type.String(),
  countries: Type.Array(
    Type.Object({
      country: Type.String(),
      ...Counts,
      // Open-ended trips whose presence confirmation is overdue (still targeted).
      unconfirmed: Type.Integer(),
      // region null: trips to the whole country (no place or point).
      regions: Type.Array(Type.Object({ region: Nullable(Type.String()), ...Counts })),
    }),
  ),
});

/** Why a person's data is being looked at: written into the audit entry of the read. */
export const Reason = Type.String({
  minLength: 3,
  maxLength: 500,
  description: 'Why you need to see this: recorded in the audit log with the read',
});

export const TravellerHitOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  countries: Type.Array(Type.String(), { description: 'Countries of the person’s trips' }),
});

export const MessageOut = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  template: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Type.String(),
  sentAt: Nullable(Type.String()),
});
