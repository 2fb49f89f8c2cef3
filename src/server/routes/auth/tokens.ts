import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { createToken, listOwnTokens, presentToken, revokeToken } from '../../../services/auth/tokens.ts';
import { actorOf } from '../../plugins/auth.ts';
import { responses } from '../../schemas.ts';
import { TokenSchema } from './schema.ts';

export function tokenRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const signedIn = { access: Access.authenticated };

    app.get(
      '/api/tokens',
      {
        config: signedIn,
        schema: {
          tags: ['tokens'],
          summary: 'Your API tokens (an admin sees everyone’s, or one user’s with ?userId=)',
          querystring: Type.Object(
            { userId: Type.Optional(Type.String({ maxLength: 64 })) },
            { additionalProperties: false },
          ),
          response: responses({ 200: Type.Object({ tokens: Type.Array(TokenSchema) }) }),
        },
      },
      async (req) => ({
        tokens: (await listOwnTokens(ctx, actorOf(req), req.query.userId)).map(presentToken),
      }),
    );

    app.post(
      '/api/tokens',
      {
        config: signedIn,
        schema: {
          tags: ['tokens'],
          summary: 'Create an API token for automation; the secret is shown once and stored only as a hash',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 100 }),
              expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            },
            { additionalProperties: false },
          ),
          response: responses({ 201: Type.Object({ token: TokenSchema, secret: Type.String() }) }),
        },
      },
      async (req, reply) => {
        const { token, secret } = await createToken(ctx, actorOf(req), req.body);
        return reply.status(201).send({ token: presentToken(token), secret });
      },
    );

    app.delete(
      '/api/tokens/:id',
      {
        config: signedIn,
        schema: {
          tags: ['tokens'],
          summary: 'Revoke a token (your own; an admin may revoke any)',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: responses({ 204: Type.Null() }),
        },
      },
      async (req, reply) => {
        await revokeToken(ctx, actorOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
