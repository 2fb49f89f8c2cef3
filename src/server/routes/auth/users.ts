import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { ROLES } from '../../../domain/auth/principal.ts';
import { createUser, presentUser, updateUser } from '../../../services/auth/users.ts';
import { listUsers } from '../../../store/auth/users.ts';
import { actorOf } from '../../plugins/auth.ts';
import { Email, responses } from '../../schemas.ts';
import { UserSchema } from './schema.ts';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const ScopeSchema = Type.Array(Type.String({ maxLength: 80 }), { maxItems: 500 });
export function userRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const admin = { access: Access.roles('admin') };

    app.get(
      '/api/users',
      {
        config: admin,
        schema: {
          tags: ['users'],
          summary: 'List staff users',
          response: responses({ 200: Type.Object({ users: Type.Array(UserSchema) }) }),
        },
      },
      async () => ({ users: (await listUsers(ctx.store.db)).map(presentUser) }),
    );

    app.post(
      '/api/users',
      {
        config: admin,
        schema: {
          tags: ['users'],
          summary: 'Create a staff user; the password is returned once when generated',
          body: Type.Object(
            {
              email: Email,
              role: RoleSchema,
              scope: Type.Optional(ScopeSchema),
              password: Type.Optional(Type.String({ minLength: 12, maxLength: 1024 })),
            },
            { additionalProperties: false },
          ),
          response: responses({
            201: Type.Object({ user: UserSchema, password: Type.Optional(Type.String()) }),
          }),
        },
      },
      async (req, reply) => {
        const { user, password } = await createUser(ctx, actorOf(req), req.body);
        return reply
          .status(201)
          .send({ user: presentUser(user), ...(req.body.password ? {} : { password }) });
      },
    );

    app.patch(
      '/api/users/:id',
      {
        config: admin,
        schema: {
          tags: ['users'],
          summary:
            "Change a user's role, scope or disabled state (ends their sessions when it narrows access)",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: Type.Object(
            {
              role: Type.Optional(RoleSchema),
              scope: Type.Optional(ScopeSchema),
              disabled: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: responses({ 200: Type.Object({ user: UserSchema }) }),
        },
      },
      async (req) => ({ user: presentUser(await updateUser(ctx, actorOf(req), req.params.id, req.body)) }),
    );
  };
}
