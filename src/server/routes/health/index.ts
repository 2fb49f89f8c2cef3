import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';

export function healthRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const Health = Type.Object({
      status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
      store: Type.Object({ backend: Type.String(), reachable: Type.Boolean() }),
    });
    app.get(
      '/healthz',
      {
        config: { access: Access.public },
        schema: {
          tags: ['ops'],
          summary: 'Liveness and store reachability',
          response: { 200: Health, 503: Health },
        },
      },
      async (_req, reply) => {
        const reachable = await ctx.store.ping();
        return reply
          .status(reachable ? 200 : 503)
          .send({ status: reachable ? 'ok' : 'degraded', store: { backend: ctx.store.backend, reachable } });
      },
    );
  };
}
