import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import type { ResourceScope } from '../../../domain/auth/principal.ts';
import { WardenError } from '../../../domain/errors.ts';
import { districtReport } from '../../../services/posts/coverage.ts';
import {
  createPost,
  getPostView,
  listPostViews,
  setCoverageDelegate,
  updatePost,
} from '../../../services/posts/posts.ts';
import { createRestriction, postRestrictions } from '../../../services/posts/restrictions.ts';
import { findPost } from '../../../store/posts/posts.ts';
import { actorOf } from '../../plugins/auth.ts';
import { CountryCode, Id, IdParams, Nullable } from '../../schemas.ts';
import { TaskOut } from '../tasks/schema.ts';
import {
  DistrictReportOut,
  PostBody,
  PostOut,
  PostPatch,
  paramId,
  postResponses,
  RestrictionBody,
  RestrictionOut,
} from './schema.ts';

/** Scope of a request on /api/posts/:id...: the post and its country; null when there is no such post. */
export async function postScope(ctx: Context, req: FastifyRequest): Promise<ResourceScope | null> {
  const post = await findPost(ctx.store.db, paramId(req));
  return post ? { postIds: [post.id], country: post.country } : null;
}

export function postRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const read = { access: Access.authenticated };
    const postWrite = {
      access: Access.scoped('admin', 'crisis_manager', 'officer'),
      resourceScope: (req: FastifyRequest) => postScope(ctx, req),
    };
    const tags = ['posts'];

    app.get(
      '/api/posts',
      {
        config: read,
        schema: {
          tags,
          summary: 'Posts with their current posture (optionally of one country)',
          querystring: Type.Object({ country: Type.Optional(CountryCode) }, { additionalProperties: false }),
          response: postResponses({ 200: Type.Object({ posts: Type.Array(PostOut) }) }),
        },
      },
      async (req) => ({ posts: await listPostViews(ctx, { country: req.query.country }) }),
    );

    app.post(
      '/api/posts',
      {
        config: { access: Access.roles('admin', 'crisis_manager') },
        schema: {
          tags,
          summary: 'Create a post; its district may not overlap another (district_overlap)',
          body: PostBody,
          response: postResponses({ 201: Type.Object({ post: PostOut }) }),
        },
      },
      async (req, reply) => reply.status(201).send({ post: await createPost(ctx, actorOf(req), req.body) }),
    );

    app.get(
      '/api/posts/validation',
      {
        config: read,
        schema: {
          tags,
          summary:
            'District overlaps, gaps and unserved districts per country (every country with posts by default)',
          querystring: Type.Object({ country: Type.Optional(CountryCode) }, { additionalProperties: false }),
          response: postResponses({ 200: Type.Object({ countries: Type.Array(DistrictReportOut) }) }),
        },
      },
      async (req) => ({ countries: await districtReport(ctx, req.query.country) }),
    );

    app.get(
      '/api/posts/:id',
      {
        config: read,
        schema: {
          tags,
          summary: 'One post',
          params: IdParams,
          response: postResponses({ 200: Type.Object({ post: PostOut }) }),
        },
      },
      async (req) => {
        const post = await getPostView(ctx, req.params.id);
        if (!post) throw new WardenError('not_found', 'Post not found.', { id: req.params.id });
        return { post };
      },
    );

    app.patch(
      '/api/posts/:id',
      {
        config: postWrite,
        schema: {
          tags,
          summary: "Edit a post's details or district (the country cannot change)",
          params: IdParams,
          body: PostPatch,
          response: postResponses({ 200: Type.Object({ post: PostOut }) }),
        },
      },
      async (req) => ({ post: await updatePost(ctx, actorOf(req), req.params.id, req.body) }),
    );

    app.put(
      '/api/posts/:id/coverage',
      {
        config: postWrite,
        schema: {
          tags,
          summary: "Set (or clear with null) the post that serves this post's district while it cannot",
          params: IdParams,
          body: Type.Object({ coverageDelegateId: Nullable(Id) }, { additionalProperties: false }),
          response: postResponses({ 200: Type.Object({ post: PostOut }) }),
        },
      },
      async (req) => ({
        post: await setCoverageDelegate(ctx, actorOf(req), req.params.id, req.body.coverageDelegateId),
      }),
    );

    app.post(
      '/api/posts/:id/restrictions',
      {
        config: postWrite,
        schema: {
          tags,
          summary: 'Declare an area staff must avoid; opens a public_notice task',
          params: IdParams,
          body: RestrictionBody,
          response: postResponses({ 201: Type.Object({ restriction: RestrictionOut, task: TaskOut }) }),
        },
      },
      async (req, reply) =>
        reply.status(201).send(await createRestriction(ctx, actorOf(req), req.params.id, req.body)),
    );

    app.get(
      '/api/posts/:id/restrictions',
      {
        config: read,
        schema: {
          tags,
          summary: "A post's staff movement restrictions, newest first",
          params: IdParams,
          response: postResponses({ 200: Type.Object({ restrictions: Type.Array(RestrictionOut) }) }),
        },
      },
      async (req) => ({ restrictions: await postRestrictions(ctx, req.params.id) }),
    );
  };
}
