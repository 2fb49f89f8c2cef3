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
import { Id, IdParams, literals } from '../../schemas.ts';
import { postScope } from './index.ts';
import {
  PostureBody,
  PostureChangeOut,
  PostureRequestOut,
  PostureRequestPatch,
  PostureResultOut,
  RejectBody,
} from './posture-schema.ts';
import { paramId, postResponses } from './schema.ts';

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
            'Change posture: between normal and authorized departure it applies at once (201); any change into or out of ordered departure or suspension opens a request for a second person (202)',
          params: IdParams,
          body: PostureBody,
          response: postResponses({ 201: PostureResultOut, 202: PostureResultOut }),
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
          response: postResponses({ 200: Type.Object({ requests: Type.Array(PostureRequestOut) }) }),
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
          response: postResponses({ 200: Type.Object({ request: PostureRequestOut }) }),
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
          body: PostureRequestPatch,
          response: postResponses({ 200: Type.Object({ request: PostureRequestOut }) }),
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
          response: postResponses({ 200: PostureResultOut }),
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
          body: RejectBody,
          response: postResponses({ 200: Type.Object({ request: PostureRequestOut }) }),
        },
      },
      async (req) => ({
        request: await rejectPostureRequest(ctx, actorOf(req), req.params.id, req.body.reason),
      }),
    );
  };
}
