import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import type { ResourceScope } from '../../../domain/auth/principal.ts';
import { escalationRefusal } from '../../../domain/checkins/escalation.ts';
import { WardenError } from '../../../domain/errors.ts';
import {
  accountability,
  accountabilityPeople,
  peopleCsv,
} from '../../../services/checkins/accountability.ts';
import { markHandled, needHelpQueue } from '../../../services/checkins/need-help.ts';
import { postCheckinSettings, savePostCheckinSettings } from '../../../services/checkins/settings.ts';
import { findAlert } from '../../../store/alerts/alerts.ts';
import { findCase } from '../../../store/checkins/checkins.ts';
import { actorOf } from '../../plugins/auth.ts';
import { Id, IdParams } from '../../schemas.ts';
import { postScope } from '../posts/index.ts';
import { postResponses } from '../posts/schema.ts';
import { AccountabilityOut, CaseOut, HandleBody, PeopleQuery, PersonOut, SettingsBody } from './schema.ts';

const idOf = (req: FastifyRequest): string => String((req.params as { id?: unknown }).id ?? '');

async function alertScope(ctx: Context, req: FastifyRequest): Promise<ResourceScope | null> {
  const a = await findAlert(ctx.store.db, idOf(req));
  return a ? { postIds: [a.content.postId], country: a.country } : null;
}

async function caseScope(ctx: Context, req: FastifyRequest): Promise<ResourceScope | null> {
  const c = await findCase(ctx.store.db, idOf(req));
  return c ? { postIds: [c.post_id], country: c.country } : null;
}

/** Staff routes of check-ins: accountability per alert, the need-help queue, post settings. */
export function checkinRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['checkins'];
    const writers = ['admin', 'crisis_manager', 'officer'] as const;
    const counts = {
      access: Access.scoped(...writers, 'viewer'),
      resourceScope: (req: FastifyRequest) => alertScope(ctx, req),
    };
    const personal = {
      access: Access.scoped(...writers),
      resourceScope: (req: FastifyRequest) => alertScope(ctx, req),
    };

    app.get(
      '/api/alerts/:id/accountability',
      {
        config: counts,
        schema: {
          tags,
          summary:
            'Live accountability of an alert: targeted, reached, safe, need help, no answer, unreachable, erased',
          params: IdParams,
          response: postResponses({ 200: AccountabilityOut }),
        },
      },
      async (req) => accountability(ctx, req.params.id),
    );

    app.get(
      '/api/alerts/:id/accountability/people',
      {
        config: personal,
        schema: {
          tags,
          summary:
            'The people behind the numbers (erased people never listed); an audited read of personal data',
          params: IdParams,
          querystring: PeopleQuery,
          response: postResponses({ 200: Type.Object({ people: Type.Array(PersonOut) }) }),
        },
      },
      async (req) => ({ people: await accountabilityPeople(ctx, actorOf(req), req.params.id, req.query) }),
    );

    app.get(
      '/api/alerts/:id/accountability/people.csv',
      {
        config: personal,
        schema: {
          tags,
          summary: 'The same list as CSV (cells that a spreadsheet would run as formulas are defused)',
          params: IdParams,
          querystring: PeopleQuery,
          produces: ['text/csv'],
          response: postResponses({ 200: Type.String() }),
        },
      },
      async (req, reply) => {
        const people = await accountabilityPeople(ctx, actorOf(req), req.params.id, req.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="accountability-${req.params.id}.csv"`)
          .send(peopleCsv(people));
      },
    );

    app.get(
      '/api/checkins/need-help',
      {
        config: { access: Access.roles(...writers) },
        schema: {
          tags,
          summary: 'The need-help queue of the posts and countries in your scope (audited: it names people)',
          querystring: Type.Object(
            { alertId: Type.Optional(Id), open: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
          response: postResponses({ 200: Type.Object({ cases: Type.Array(CaseOut) }) }),
        },
      },
      async (req) => {
        if (!req.principal) throw new WardenError('unauthenticated', 'Sign in to continue.', {});
        return { cases: await needHelpQueue(ctx, actorOf(req), req.principal, req.query) };
      },
    );

    app.post(
      '/api/checkins/need-help/:id/handle',
      {
        config: {
          access: Access.scoped(...writers),
          resourceScope: (req: FastifyRequest) => caseScope(ctx, req),
        },
        schema: {
          tags,
          summary: 'Mark a need-help case handled (who and when are recorded, with an optional note)',
          params: IdParams,
          body: HandleBody,
          response: postResponses({ 200: Type.Object({ handled: Type.Literal(true) }) }),
        },
      },
      async (req) => {
        if (!(await findCase(ctx.store.db, req.params.id))) {
          throw new WardenError('not_found', 'Case not found.', { id: req.params.id });
        }
        await markHandled(ctx, actorOf(req), req.params.id, req.body.note ?? null);
        return { handled: true as const };
      },
    );

    const postWrite = {
      access: Access.scoped(...writers),
      resourceScope: (req: FastifyRequest) => postScope(ctx, req),
    };
    app.get(
      '/api/posts/:id/checkin-settings',
      {
        config: postWrite,
        schema: {
          tags,
          summary: "A post's duty address (need-help emails) and default escalation of check-ins",
          params: IdParams,
          response: postResponses({ 200: SettingsBody }),
        },
      },
      async (req) => postCheckinSettings(ctx, req.params.id),
    );

    app.put(
      '/api/posts/:id/checkin-settings',
      {
        config: postWrite,
        schema: {
          tags,
          summary: "Set a post's duty address and default escalation",
          params: IdParams,
          body: SettingsBody,
          response: postResponses({ 200: SettingsBody }),
        },
      },
      async (req) => {
        const refusal = escalationRefusal(req.body.escalation);
        if (refusal) throw new WardenError('validation_failed', refusal, { field: 'escalation' });
        return savePostCheckinSettings(ctx, actorOf(req), req.params.id, req.body);
      },
    );
  };
}
