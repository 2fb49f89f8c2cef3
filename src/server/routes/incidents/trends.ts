import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import type { SubjectTrend } from '../../../services/incidents/trends.ts';
import {
  firingSignals,
  openThreatReview,
  postTrend,
  regionTrend,
} from '../../../services/incidents/trends.ts';
import { actorOf } from '../../plugins/auth.ts';
import { CountryCode, IdParams, IsoTime, literals } from '../../schemas.ts';
import { postScope } from '../posts/index.ts';
import { postResponses } from '../posts/schema.ts';
import { SignalsOut, ThreatReviewBody, ThreatReviewOut, TrendOut } from './trends-schema.ts';

/** How the signal is computed, returned with every trend so a reader need not guess. */
const METHOD =
  'Rising-threat test: incidents in the last 4 weeks (recent) against the 12 weeks before (baseline). ' +
  'Conditional binomial test for two Poisson rates: given n = recent + baseline, recent ~ Binomial(n, 0.25) ' +
  'under equal rates; one-sided p = P(X >= recent). Fires when p < 0.01 and recent >= 3. ' +
  'rateRatio = (recent/4)/(baseline/12). Weeks are rolling 7-day windows ending at `at`.';

const AtQuery = Type.Object({ at: Type.Optional(IsoTime) }, { additionalProperties: false });

const atOf = (ctx: Context, at: string | undefined): Date => {
  if (!at) return ctx.clock.now();
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) {
    throw new WardenError('validation_failed', 'at must be an ISO date-time.', { field: 'at' });
  }
  return d;
};

const present = (t: SubjectTrend) => ({
  ...t,
  weeks: [...t.weeks],
  signals: [...t.signals],
  method: METHOD,
});

export function trendRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['trends'];
    const read = { access: Access.authenticated };

    app.get(
      '/api/trends/posts/:id',
      {
        config: read,
        schema: {
          tags,
          summary: 'Weekly incident counts by type near a post over 52 weeks, with rising-threat signals',
          params: IdParams,
          querystring: AtQuery,
          response: postResponses({ 200: Type.Object({ trend: TrendOut }) }),
        },
      },
      async (req) => ({ trend: present(await postTrend(ctx, req.params.id, atOf(ctx, req.query.at))) }),
    );

    app.get(
      '/api/trends/regions/:code',
      {
        config: read,
        schema: {
          tags,
          summary:
            'Weekly incident counts by type in a first-level region (ISO 3166-2) over 52 weeks, with signals',
          params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$' }) }),
          querystring: AtQuery,
          response: postResponses({ 200: Type.Object({ trend: TrendOut }) }),
        },
      },
      async (req) => ({ trend: present(await regionTrend(ctx, req.params.code, atOf(ctx, req.query.at))) }),
    );

    app.get(
      '/api/trends/signals',
      {
        config: read,
        schema: {
          tags,
          summary:
            'Firing rising-threat signals of every post and region, strongest first (the dashboard list)',
          querystring: Type.Object(
            {
              at: Type.Optional(IsoTime),
              kind: Type.Optional(literals(['post', 'region'])),
              country: Type.Optional(CountryCode),
            },
            { additionalProperties: false },
          ),
          response: postResponses({
            200: SignalsOut,
          }),
        },
      },
      async (req) => {
        const at = atOf(ctx, req.query.at);
        const signals = await firingSignals(ctx, {
          at,
          kind: req.query.kind,
          country: req.query.country,
        });
        return { at: at.toISOString(), signals, method: METHOD };
      },
    );

    app.post(
      '/api/trends/posts/:id/review',
      {
        config: {
          access: Access.scoped('admin', 'crisis_manager', 'officer'),
          resourceScope: (req: FastifyRequest) => postScope(ctx, req),
        },
        schema: {
          tags,
          summary:
            "Open a threat_review task for the post's posture and advisory (returns the open one if there is one)",
          params: IdParams,
          querystring: AtQuery,
          body: ThreatReviewBody,
          response: postResponses({ 200: ThreatReviewOut, 201: ThreatReviewOut }),
        },
      },
      async (req, reply) => {
        const r = await openThreatReview(ctx, actorOf(req), req.params.id, {
          note: req.body?.note,
          at: atOf(ctx, req.query.at),
        });
        return reply.status(r.created ? 201 : 200).send({ ...r, signals: [...r.signals] });
      },
    );
  };
}
