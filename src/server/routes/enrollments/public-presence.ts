import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { confirmMyTrip, confirmPresenceByLink } from '../../../services/enrollments/presence.ts';
import { travellerOf } from '../../../services/enrollments/self.ts';
import { travellerActor } from '../../../services/enrollments/verification.ts';
import { responses } from '../../schemas.ts';
import { EnrollmentOut, strict } from './schema.ts';

/**
 * Presence re-confirmation of open-ended trips: from self-service (traveller session), or from
 * the link of a reminder, which lands on the web page /enroll/confirm#token=… that posts it here.
 */
export function publicPresenceRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { access: Access.public };
    const tags = ['public enrollment'];

    app.post(
      '/api/public/me/trips/:id/confirm',
      {
        config,
        schema: {
          tags,
          summary: 'Confirm I am still on this trip (traveller session as Bearer wtr_…)',
          headers: Type.Object({ authorization: Type.String({ pattern: '^Bearer ' }) }),
          params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: responses({ 200: Type.Object({ enrollment: EnrollmentOut }) }),
        },
      },
      async (req) => {
        const person = await travellerOf(ctx, req.headers.authorization);
        return { enrollment: await confirmMyTrip(ctx, travellerActor(req.id), person, req.params.id) };
      },
    );

    app.post(
      '/api/public/trips/confirm',
      {
        config,
        schema: {
          tags,
          summary: 'Confirm presence from the link of a reminder',
          body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }) }, strict),
          response: responses({
            200: Type.Object({
              status: Type.Union([Type.Literal('confirmed'), Type.Literal('already_confirmed')]),
            }),
          }),
        },
      },
      async (req) => confirmPresenceByLink(ctx, travellerActor(req.id), req.body.token),
    );
  };
}
