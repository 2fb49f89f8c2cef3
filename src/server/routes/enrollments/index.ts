import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access, inScope } from '../../../domain/auth/policy.ts';
import type { Principal, ResourceScope } from '../../../domain/auth/principal.ts';
import { WardenError } from '../../../domain/errors.ts';
import { setDrillParticipation } from '../../../services/alerts/drill.ts';
import { searchTravellers, travellersIn, viewTraveller } from '../../../services/enrollments/find.ts';
import { enrollmentStats, readEnrollment } from '../../../services/enrollments/staff.ts';
import { tripCountries } from '../../../store/enrollments/staff.ts';
import { findPost } from '../../../store/posts/posts.ts';
import { actorOf } from '../../plugins/auth.ts';
import { CountryCode, responses } from '../../schemas.ts';
import { EnrollmentOut, MessageOut, Reason, StatsOut, strict, TravellerHitOut } from './schema.ts';

/**
 * The scope a request about travellers in `countries` touches, for the caller. A country in scope
 * is enough; so is a post in scope that stands in one of them (an officer of a post sees the
 * travellers of its country, as the enrollment counts do: traveller data is kept by country). The
 * first country is named when nothing is in scope, to be refused.
 */
async function travellerScope(
  ctx: Context,
  principal: Principal | null,
  countries: readonly string[],
): Promise<ResourceScope> {
  if (principal) {
    const direct = countries.find((country) => inScope(principal, { country }));
    if (direct) return { country: direct };
    for (const entry of principal.scope) {
      if (!entry.startsWith('post:')) continue;
      const post = await findPost(ctx.store.db, entry.slice(5));
      if (post && countries.includes(post.country)) return { postIds: [post.id] };
    }
  }
  return { country: countries[0] ?? '' };
}

/** An enrollment touches the countries of its trips; an officer may read it if any is in scope. */
async function enrollmentScope(ctx: Context, req: FastifyRequest): Promise<ResourceScope | null> {
  const { id } = req.params as { id: string };
  const countries = await tripCountries(ctx.store.db, id);
  if (!countries) return null;
  return travellerScope(ctx, req.principal, countries);
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

    // Find a traveller (issue 16). POST, so that an email or a phone number typed to search for
    // never lands in an access log or the browser's history as part of a URL.
    const finders = Access.roles('admin', 'crisis_manager', 'officer');
    app.post(
      '/api/enrollments/search',
      {
        config: { access: finders },
        schema: {
          tags,
          summary:
            'Find travellers by email or phone (blind index) or name, within your scope; audited with your reason',
          body: Type.Object(
            {
              query: Type.String({ minLength: 2, maxLength: 254 }),
              reason: Reason,
              country: Type.Optional(CountryCode),
            },
            strict,
          ),
          response: responses({
            200: Type.Object({
              by: Type.Union([Type.Literal('email'), Type.Literal('phone'), Type.Literal('name')]),
              travellers: Type.Array(TravellerHitOut),
              truncated: Type.Boolean(),
            }),
          }),
        },
      },
      async (req) => searchTravellers(ctx, actorOf(req), req.body),
    );

    app.post(
      '/api/enrollments/countries/:country/people',
      {
        config: {
          access: Access.scoped('admin', 'crisis_manager', 'officer'),
          resourceScope: (req) =>
            travellerScope(ctx, req.principal, [(req.params as { country: string }).country.toUpperCase()]),
        },
        schema: {
          tags,
          summary:
            'The people behind a bubble of the map: current trips in a country or one of its regions; audited with your reason',
          params: Type.Object({ country: CountryCode }),
          body: Type.Object(
            { region: Type.Optional(Type.String({ maxLength: 16 })), reason: Reason },
            strict,
          ),
          response: responses({
            200: Type.Object({ travellers: Type.Array(TravellerHitOut), truncated: Type.Boolean() }),
          }),
        },
      },
      async (req) => travellersIn(ctx, actorOf(req), { ...req.body, country: req.params.country }),
    );

    app.post(
      '/api/enrollments/:id/view',
      {
        config: {
          access: Access.scoped('admin', 'crisis_manager', 'officer'),
          resourceScope: (req) => enrollmentScope(ctx, req),
        },
        schema: {
          tags,
          summary: "One person's enrollment and messages, decrypted; audited with your reason",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: Type.Object({ reason: Reason }, strict),
          response: responses({
            200: Type.Object({ enrollment: EnrollmentOut, messages: Type.Array(MessageOut) }),
          }),
        },
      },
      async (req) => viewTraveller(ctx, actorOf(req), req.params.id, req.body.reason),
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
