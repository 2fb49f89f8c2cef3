import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import { resolveTask, visibleTasks } from '../../../services/tasks/tasks.ts';
import { findTask } from '../../../store/tasks/tasks.ts';
import { actorOf } from '../../plugins/auth.ts';
import { IdParams } from '../../schemas.ts';
import { paramId, postResponses } from '../posts/schema.ts';
import { ResolveBody, TaskOut, TaskQuery } from './schema.ts';

export function taskRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['tasks'];

    app.get(
      '/api/tasks',
      {
        config: { access: Access.authenticated },
        schema: {
          tags,
          summary:
            'Tasks the caller may see (all for HQ roles, their posts/countries for officers), newest first',
          querystring: TaskQuery,
          response: postResponses({ 200: Type.Object({ tasks: Type.Array(TaskOut) }) }),
        },
      },
      async (req) => {
        const p = req.principal;
        if (!p) throw new WardenError('unauthenticated', 'Sign in to continue.', {});
        const q = req.query;
        const tasks = await visibleTasks(ctx, p, {
          status: q.status,
          kind: q.kind,
          country: q.country?.toUpperCase(),
          postId: q.postId,
        });
        return { tasks };
      },
    );

    app.post(
      '/api/tasks/:id/resolve',
      {
        config: {
          access: Access.scoped('admin', 'crisis_manager', 'officer'),
          resourceScope: async (req: FastifyRequest) => {
            const t = await findTask(ctx.store.db, paramId(req));
            if (!t) return null;
            return { country: t.country ?? undefined, postIds: t.postId ? [t.postId] : undefined };
          },
        },
        schema: {
          tags,
          summary: 'Resolve a task with a link (advisory edition or alert) or a recorded reason',
          params: IdParams,
          body: ResolveBody,
          response: postResponses({ 200: Type.Object({ task: TaskOut }) }),
        },
      },
      async (req) => ({
        task: await resolveTask(ctx, actorOf(req), req.params.id, {
          reason: req.body.reason,
          link: req.body.link as { kind: 'advisory_edition' | 'alert'; id: string } | undefined,
        }),
      }),
    );
  };
}
