import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { LEVEL_LABELS } from '../../../domain/advisories/levels.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { loadGeography } from '../../../domain/geo/index.ts';
import {
  countryName,
  createDraft,
  deleteDraft,
  publishEdition,
  reviewAdvisory,
  updateDraft,
} from '../../../services/advisories/editions.ts';
import {
  countryAdvisory,
  diffBetween,
  getEdition,
  listAdvisories,
  overdueAdvisories,
} from '../../../services/advisories/read.ts';
import { findEditionCountry } from '../../../store/advisories/advisories.ts';
import { actorOf } from '../../plugins/auth.ts';
import { responses } from '../../schemas.ts';
import {
  AdvisoryDetailOut,
  AdvisoryListItemOut,
  DiffOut,
  EditionIn,
  EditionOut,
  EditionPatch,
  EditionSummaryOut,
  OverdueOut,
  PublishResultOut,
  presentEdition,
  presentEditionSummary,
  ReviewBody,
  ReviewResultOut,
  reviewStateOf,
} from './schema.ts';

// ---- scope resolvers: which country a request touches ----
const countryOfParam = async (req: FastifyRequest) => {
  const raw = (req.params as { country: string }).country;
  return { country: loadGeography().country(raw)?.code ?? raw.toUpperCase() };
};

export function advisoryRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const signedIn = { access: Access.authenticated };
    const writers = ['admin', 'crisis_manager', 'officer'] as const;
    const byCountry = { access: Access.scoped(...writers), resourceScope: countryOfParam };
    const byEdition = {
      access: Access.scoped(...writers),
      resourceScope: async (req: FastifyRequest) => {
        const country = await findEditionCountry(ctx.store.db, (req.params as { id: string }).id);
        return country ? { country } : null;
      },
    };
    const tags = ['advisories'];
    const CountryParams = Type.Object({ country: Type.String({ minLength: 1, maxLength: 64 }) });
    const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

    app.get(
      '/api/advisories',
      {
        config: signedIn,
        schema: {
          tags,
          summary: 'Every country with a current advisory or an open draft',
          response: responses({
            200: Type.Object({ advisories: Type.Array(AdvisoryListItemOut) }),
          }),
        },
      },
      async () => {
        const now = ctx.clock.now();
        return {
          advisories: (await listAdvisories(ctx)).map((c) => ({
            country: c.country,
            countryName: countryName(c.country),
            current: c.current && {
              edition: presentEditionSummary(c.current.edition),
              ...reviewStateOf(c.current, now),
            },
            drafts: c.drafts.map(presentEditionSummary),
          })),
        };
      },
    );

    app.get(
      '/api/advisories/overdue',
      {
        config: signedIn,
        schema: {
          tags,
          summary: 'Current advisories whose review date has passed, longest overdue first',
          response: responses({ 200: Type.Object({ overdue: Type.Array(OverdueOut) }) }),
        },
      },
      async () => {
        const now = ctx.clock.now();
        return {
          overdue: (await overdueAdvisories(ctx)).map((a) => ({
            country: a.edition.country,
            countryName: countryName(a.edition.country),
            editionId: a.edition.id,
            number: a.edition.number,
            level: a.edition.level,
            levelLabel: LEVEL_LABELS[a.edition.level],
            reviewedAt: a.reviewedAt,
            nextReviewDue: a.nextReviewDue,
            daysOverdue: Math.floor((now.getTime() - Date.parse(a.nextReviewDue)) / 86_400_000),
          })),
        };
      },
    );

    app.get(
      '/api/advisories/diff',
      {
        config: signedIn,
        schema: {
          tags,
          summary:
            'What changed between two editions of a country (level, indicators, zones, line diff of texts)',
          querystring: Type.Object(
            {
              from: Type.String({ minLength: 1, maxLength: 64 }),
              to: Type.String({ minLength: 1, maxLength: 64 }),
            },
            { additionalProperties: false },
          ),
          response: responses({
            200: Type.Object({ from: EditionSummaryOut, to: EditionSummaryOut, diff: DiffOut }),
          }),
        },
      },
      async (req) => {
        const { from, to, diff } = await diffBetween(ctx, req.query.from, req.query.to);
        return { from: presentEditionSummary(from), to: presentEditionSummary(to), diff };
      },
    );

    app.get(
      '/api/advisories/:country',
      {
        config: signedIn,
        schema: {
          tags,
          summary: "A country's current advisory, drafts, published history and reviews",
          params: CountryParams,
          response: responses({
            200: AdvisoryDetailOut,
          }),
        },
      },
      async (req) => {
        const a = await countryAdvisory(ctx, req.params.country);
        return {
          country: a.country,
          countryName: countryName(a.country),
          current: a.current && {
            edition: presentEdition(a.current.edition),
            ...reviewStateOf(a.current, ctx.clock.now()),
          },
          drafts: a.drafts.map(presentEdition),
          history: a.history.map(presentEditionSummary),
          reviews: [...a.reviews],
        };
      },
    );

    app.post(
      '/api/advisories/:country/editions',
      {
        config: byCountry,
        schema: {
          tags,
          summary: 'Start a draft edition (a change note is required unless it is a minor update)',
          params: CountryParams,
          body: EditionIn,
          response: responses({ 201: Type.Object({ edition: EditionOut }) }),
        },
      },
      async (req, reply) => {
        const edition = await createDraft(ctx, actorOf(req), req.params.country, req.body);
        return reply.status(201).send({ edition: presentEdition(edition) });
      },
    );

    app.post(
      '/api/advisories/:country/review',
      {
        config: byCountry,
        schema: {
          tags,
          summary: 'Confirm the current edition as it stands (no new edition); sets the next review date',
          params: CountryParams,
          body: ReviewBody,
          response: responses({ 201: ReviewResultOut }),
        },
      },
      async (req, reply) => {
        const r = await reviewAdvisory(ctx, actorOf(req), req.params.country, req.body);
        return reply.status(201).send({
          review: r.review,
          advisory: {
            editionId: r.advisory.edition.id,
            reviewedAt: r.advisory.reviewedAt,
            nextReviewDue: r.advisory.nextReviewDue,
          },
          resolvedTasks: r.resolvedTasks,
        });
      },
    );

    app.get(
      '/api/advisory-editions/:id',
      {
        config: signedIn,
        schema: {
          tags,
          summary: 'One edition',
          params: IdParams,
          response: responses({ 200: Type.Object({ edition: EditionOut }) }),
        },
      },
      async (req) => ({ edition: presentEdition(await getEdition(ctx, req.params.id)) }),
    );

    app.patch(
      '/api/advisory-editions/:id',
      {
        config: byEdition,
        schema: {
          tags,
          summary: 'Change a draft (published editions are never edited: edition_not_draft)',
          params: IdParams,
          body: EditionPatch,
          response: responses({ 200: Type.Object({ edition: EditionOut }) }),
        },
      },
      async (req) => ({
        edition: presentEdition(await updateDraft(ctx, actorOf(req), req.params.id, req.body)),
      }),
    );

    app.delete(
      '/api/advisory-editions/:id',
      {
        config: byEdition,
        schema: {
          tags,
          summary: 'Discard a draft',
          params: IdParams,
          response: responses({ 204: Type.Null() }),
        },
      },
      async (req, reply) => {
        await deleteDraft(ctx, actorOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/advisory-editions/:id/publish',
      {
        config: byEdition,
        schema: {
          tags,
          summary:
            "Publish a draft: archives the country's previous edition and resolves its advisory_review tasks",
          params: IdParams,
          response: responses({ 200: PublishResultOut }),
        },
      },
      async (req) => {
        const r = await publishEdition(ctx, actorOf(req), req.params.id);
        return {
          edition: presentEdition(r.edition),
          archived: r.archived && presentEditionSummary(r.archived),
          resolvedTasks: r.resolvedTasks,
        };
      },
    );
  };
}
