import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../context.ts';
import { Access } from '../../domain/auth/policy.ts';
import { enroll } from '../../services/enrollments.ts';
import { travellerActor, verifyEmail } from '../../services/verification.ts';
import { responses } from '../schemas.ts';
import { CountryCode, LatLonInput } from './posts-schemas.ts';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Day = Type.String({ format: 'date' });
const strict = { additionalProperties: false } as const;

const TripInput = Type.Object(
  {
    country: CountryCode,
    place: Type.Optional(Type.Object({ placeId: Type.Integer({ minimum: 1 }) }, strict)),
    point: Type.Optional(LatLonInput),
    wholeCountry: Type.Optional(Type.Boolean()),
    arrival: Day,
    departure: Type.Optional(Day),
  },
  strict,
);

const EnrollmentBody = Type.Object(
  {
    name: Text(200),
    email: Type.Optional(Text(254)),
    phone: Type.Optional(Text(64)),
    webhookUrl: Type.Optional(Text(2000)),
    language: Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 }),
    emergencyContact: Type.Object(
      { name: Text(200), phone: Type.Optional(Text(64)), email: Type.Optional(Text(254)) },
      strict,
    ),
    consent: Type.Boolean(),
    trips: Type.Array(TripInput, { minItems: 1, maxItems: 20 }),
  },
  strict,
);

const Pending = Type.Object({ status: Type.Literal('pending_verification') });
const Verified = Type.Object({
  status: Type.Union([Type.Literal('verified'), Type.Literal('already_verified')]),
});
const TokenBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }) }, strict);

/**
 * The traveller's side of enrollment: no staff sign-in. Answers never say whether a contact is
 * already enrolled. Verification links land on the console page /enroll/verify with the token in
 * the URL fragment; the page posts it here (GET ?token= also works, but puts it in request logs).
 */
export function publicEnrollmentRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { access: Access.public };
    const tags = ['public enrollment'];

    app.post(
      '/api/public/enrollments',
      {
        config,
        schema: {
          tags,
          summary:
            'Enroll (name, contacts, emergency contact, consent, trips); always 202 pending_verification',
          body: EnrollmentBody,
          response: responses({ 202: Pending }),
        },
      },
      async (req, reply) => {
        await enroll(ctx, travellerActor(req.id), req.body, req.ip);
        return reply.status(202).send({ status: 'pending_verification' as const });
      },
    );

    app.get(
      '/api/public/verify',
      {
        config,
        schema: {
          tags,
          summary: 'Confirm an email address from its verification link',
          querystring: TokenBody,
          response: responses({ 200: Verified }),
        },
      },
      async (req) => verifyEmail(ctx, travellerActor(req.id), req.query.token),
    );

    app.post(
      '/api/public/verify',
      {
        config,
        schema: {
          tags,
          summary: 'Confirm an email address (token in the body: kept out of URLs and logs)',
          body: TokenBody,
          response: responses({ 200: Verified }),
        },
      },
      async (req) => verifyEmail(ctx, travellerActor(req.id), req.body.token),
    );
  };
}
