import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access, inScope } from '../../../domain/auth/policy.ts';
import type { ResourceScope } from '../../../domain/auth/principal.ts';
import { WardenError } from '../../../domain/errors.ts';
import { setDrillParticipation } from '../../../services/alerts/drill.ts';
import { enrollmentStats, readEnrollment } from '../../../services/enrollments/staff.ts';
import { tripCountries } from '../../../store/enrollments/staff.ts';
import { actorOf } from '../../plugins/auth.ts';
import { CountryCode, responses } from '../../schemas.ts';
import { EnrollmentOut, StatsOut } from './schema.ts';

/**
 * An enrollment touches the countries of its trips; an officer may read it if any of them is in
 * scope, so the scope names the first such country (or the first country, to be refused).
 */
async function enrollmentScope(ctx: Context, req: FastifyRequest): Promise<ResourceScope | null> {
  const { id } = req.params as { id: string };
  const countries = await tripCountries(ctx.store.db, id);
  if (!countries) return null;
  const principal = req.principal;
  const visible = principal && countries.find((country) => inScope(principal, { country }));
  return { country: visible ?? countries[0] ?? '' };
}

export function enrollmentRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['enrollments'];
    app.get(
      '/api/enrollments/stats',
      {
        config: { access: Access.authenticated },
        schema: {
          tags,
          summary: 'Enrolled people and trips (current and upcoming) by country and region; counts only',
          querystring: Type.Object({ country: Type.Optional(CountryCode) }, { additionalProperties: false }),
          response: responses({ 200: StatsOut }),
        },
      },
      async (req) => {
        if (!req.principal) throw new WardenError('unauthenticated', 'Sign in to continue.', {});
        return enrollmentStats(ctx, req.principal, req.query.country);
      },
    );

    app.get(
      '/api/enrollments/:id',
      {
        config: {
          access: Access.scoped('admin', 'crisis_manager', 'officer'),
          resourceScope: (req) => enrollmentScope(ctx, req),
        },
        schema: {
          tags,
          summary: "One person's enrollment, decrypted; every read is audited",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: responses({ 200: Type.Object({ enrollment: EnrollmentOut }) }),
        },
      },
      async (req) => ({ enrollment: await readEnrollment(ctx, actorOf(req), req.params.id) }),
    );

    app.put(
      '/api/enrollments/:id/drill-participant',
      {
        config: {
          access: Access.scoped('admin', 'crisis_manager', 'officer'),
          resourceScope: (req) => enrollmentScope(ctx, req),
        },
        schema: {
          tags,
          summary:
            'Mark or unmark a traveller as a drill participant: Exercise and Test alerts reach only them',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: Type.Object({ participant: Type.Boolean() }, { additionalProperties: false }),
          response: responses({ 200: Type.Object({ participant: Type.Boolean() }) }),
        },
      },
      async (req) => setDrillParticipation(ctx, actorOf(req), req.params.id, req.body.participant),
    );
  };
}
