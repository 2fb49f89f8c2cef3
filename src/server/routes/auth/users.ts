import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { ROLES } from '../../../domain/auth/principal.ts';
import { createUser, presentUser, resetPassword, updateUser } from '../../../services/auth/users.ts';
import { listUserDirectory, listUsers } from '../../../store/auth/users.ts';
import { actorOf } from '../../plugins/auth.ts';
import { Email, responses } from '../../schemas.ts';
import { DirectoryEntry, UserSchema } from './schema.ts';

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

    app.get(
      '/api/users/directory',
      {
        config: { access: Access.authenticated },
        schema: {
          tags: ['users'],
          summary: 'Every staff user by id and email, so records name people rather than ids',
          response: responses({ 200: Type.Object({ users: Type.Array(DirectoryEntry) }) }),
        },
      },
      async () => ({ users: await listUserDirectory(ctx.store.db) }),
    );

    app.post(
      '/api/users/:id/password-reset',
      {
        config: admin,
        schema: {
          tags: ['users'],
          summary:
            "Reset a user's password: a new one is returned once, must be changed at the next sign-in, and their sessions and tokens end",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: responses({ 200: Type.Object({ password: Type.String() }) }),
        },
      },
      async (req) => ({ password: await resetPassword(ctx, actorOf(req), req.params.id) }),
    );

    app.post(
      '/api/users',
      {
        config: admin,
        schema: {
          tags: ['users'],
          summary:
            'Create a staff user; the password is returned once when generated, and must be changed at first sign-in',
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
        // Whoever passes the password on has seen it: it is one-time whether typed or generated.
        const { user, password } = await createUser(ctx, actorOf(req), {
          ...req.body,
          mustChangePassword: true,
        });
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
