import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { POSTURE_REQUEST_STATUSES } from '../../../domain/posts/types.ts';
import {
  approvePostureRequest,
  changePosture,
  editPostureRequest,
  getRequest,
  listRequests,
  postureHistory,
  rejectPostureRequest,
  requestPost,
} from '../../../services/posts/posture.ts';
import { actorOf } from '../../plugins/auth.ts';
import { Id, IdParams, IsoTime, literals, Nullable } from '../../schemas.ts';
import { postScope } from './index.ts';
import {
  DepartureSchema,
  PostureChangeOut,
  PostureStateSchema,
  paramId,
  postResponses,
  ServicesSchema,
  StatementSchema,
  TaskOut,
} from './schema.ts';

const DateOnly = Type.String({ format: 'date' });
const Reason = Type.String({ minLength: 1, maxLength: 2000 });

/** The fields of a posture change, all required when making one, all optional when editing a request. */
const fields = {
  state: PostureStateSchema,
  departure: DepartureSchema,
  services: ServicesSchema,
  effectiveAt: Type.Optional(Nullable(IsoTime)),
  reason: Reason,
  reviewBy: Type.Optional(Nullable(DateOnly)),
  statement: Type.Optional(Nullable(StatementSchema)),
  coverageDelegateId: Type.Optional(Nullable(Id)),
};

const RequestContentOut = Type.Object({
  postId: Type.String(),
  baseChangeId: Nullable(Type.String()),
  fromState: Type.String(),
  state: Type.String(),
  departure: DepartureSchema,
  services: ServicesSchema,
  effectiveAt: Nullable(Type.String()),
  reason: Type.String(),
  reviewBy: Nullable(Type.String()),
  statement: Nullable(StatementSchema),
  coverageDelegateId: Type.Optional(Nullable(Type.String())),
});

const RequestOut = Type.Object({
  id: Type.String(),
  postId: Type.String(),
  status: Type.String(),
  content: RequestContentOut,
  contentHash: Type.String(),
  requestedBy: Type.String(),
  requestedAt: Type.String(),
  authors: Type.Array(Type.String()),
  updatedAt: Type.String(),
  expiresAt: Type.String(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
  changeId: Nullable(Type.String()),
});

const Result = Type.Object({
  change: Nullable(PostureChangeOut),
  request: Nullable(RequestOut),
  tasks: Type.Array(TaskOut),
});

export function postureRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const read = { access: Access.authenticated };
    const tags = ['posture'];
    const onPost = {
      access: Access.scoped('admin', 'crisis_manager', 'officer'),
      resourceScope: (req: FastifyRequest) => postScope(ctx, req),
    };
    const onRequest = {
      access: Access.scoped('admin', 'crisis_manager', 'officer'),
      resourceScope: async (req: FastifyRequest) => {
        const post = await requestPost(ctx, paramId(req));
        return post ? { postIds: [post.id], country: post.country } : null;
      },
    };

    app.post(
      '/api/posts/:id/posture',
      {
        config: onPost,
        schema: {
          tags,
          summary:
            'Change posture: applies at once (201), or for ordered departure, suspension and the return to normal from either, opens a request for a second person (202)',
          params: IdParams,
          body: Type.Object(fields, { additionalProperties: false }),
          response: postResponses({ 201: Result, 202: Result }),
        },
      },
      async (req, reply) => {
        const r = await changePosture(ctx, actorOf(req), req.params.id, req.body);
        return reply.status(r.change ? 201 : 202).send(r);
      },
    );

    app.get(
      '/api/posts/:id/posture',
      {
        config: read,
        schema: {
          tags,
          summary: "A post's posture history, newest first",
          params: IdParams,
          response: postResponses({ 200: Type.Object({ history: Type.Array(PostureChangeOut) }) }),
        },
      },
      async (req) => ({ history: await postureHistory(ctx, req.params.id) }),
    );

    app.get(
      '/api/posture-requests',
      {
        config: read,
        schema: {
          tags,
          summary: 'Posture change requests, newest first',
          querystring: Type.Object(
            {
              status: Type.Optional(literals(POSTURE_REQUEST_STATUSES)),
              postId: Type.Optional(Id),
            },
            { additionalProperties: false },
          ),
          response: postResponses({ 200: Type.Object({ requests: Type.Array(RequestOut) }) }),
        },
      },
      async (req) => ({
        requests: await listRequests(ctx, {
          status: req.query.status,
          postId: req.query.postId,
        }),
      }),
    );

    app.get(
      '/api/posture-requests/:id',
      {
        config: read,
        schema: {
          tags,
          summary: 'One posture change request',
          params: IdParams,
          response: postResponses({ 200: Type.Object({ request: RequestOut }) }),
        },
      },
      async (req) => ({ request: await getRequest(ctx, req.params.id) }),
    );

    app.patch(
      '/api/posture-requests/:id',
      {
        config: onRequest,
        schema: {
          tags,
          summary: 'Edit a pending request (its contentHash changes; the editor may no longer approve it)',
          params: IdParams,
          body: Type.Object(
            {
              state: Type.Optional(fields.state),
              departure: Type.Optional(fields.departure),
              services: Type.Optional(fields.services),
              effectiveAt: fields.effectiveAt,
              reason: Type.Optional(fields.reason),
              reviewBy: fields.reviewBy,
              statement: fields.statement,
              coverageDelegateId: fields.coverageDelegateId,
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: postResponses({ 200: Type.Object({ request: RequestOut }) }),
        },
      },
      async (req) => ({ request: await editPostureRequest(ctx, actorOf(req), req.params.id, req.body) }),
    );

    app.post(
      '/api/posture-requests/:id/approve',
      {
        config: onRequest,
        schema: {
          tags,
          summary:
            'Approve the exact content reviewed (contentHash); applies the change and opens the advisory review',
          params: IdParams,
          body: Type.Object(
            { contentHash: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
            { additionalProperties: false },
          ),
          response: postResponses({ 200: Result }),
        },
      },
      async (req) => approvePostureRequest(ctx, actorOf(req), req.params.id, req.body.contentHash),
    );

    app.post(
      '/api/posture-requests/:id/reject',
      {
        config: onRequest,
        schema: {
          tags,
          summary: 'Reject (or, as its requester, withdraw) a pending request, saying why',
          params: IdParams,
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: postResponses({ 200: Type.Object({ request: RequestOut }) }),
        },
      },
      async (req) => ({
        request: await rejectPostureRequest(ctx, actorOf(req), req.params.id, req.body.reason),
      }),
    );
  };
}
