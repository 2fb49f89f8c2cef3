import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { login, logout, SESSION_COOKIE } from '../../../services/auth/sessions.ts';
import { changePassword } from '../../../services/auth/users.ts';
import { actorOf } from '../../plugins/auth.ts';
import { Email, responses } from '../../schemas.ts';
import { PublicUser } from './schema.ts';

export function authRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const secure = ctx.config.publicUrl.startsWith('https:');

    app.post(
      '/api/auth/login',
      {
        config: { access: Access.public },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with email and password; sets an HttpOnly session cookie',
          body: Type.Object(
            { email: Email, password: Type.String({ minLength: 1, maxLength: 1024 }) },
            { additionalProperties: false },
          ),
          response: responses({ 200: Type.Object({ user: PublicUser, expiresAt: Type.String() }) }),
        },
      },
      async (req, reply) => {
        const { token, principal, expiresAt } = await login(
          ctx,
          actorOf(req),
          req.body.email,
          req.body.password,
          req.ip,
        );
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'strict',
          secure,
          path: '/',
          expires: new Date(expiresAt),
        });
        return {
          user: {
            id: principal.userId,
            email: principal.email,
            role: principal.role,
            scope: [...principal.scope],
          },
          expiresAt,
        };
      },
    );

    app.post(
      '/api/auth/logout',
      {
        config: { access: Access.public },
        schema: {
          tags: ['auth'],
          summary: 'End the current session',
          response: responses({ 204: Type.Null() }),
        },
      },
      async (req, reply) => {
        await logout(ctx, actorOf(req));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/auth/me',
      {
        config: { access: Access.authenticated },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user',
          response: responses({ 200: Type.Object({ user: PublicUser }) }),
        },
      },
      async (req) => {
        const p = req.principal!;
        return { user: { id: p.userId, email: p.email, role: p.role, scope: [...p.scope] } };
      },
    );

    app.post(
      '/api/auth/password',
      {
        config: { access: Access.authenticated },
        schema: {
          tags: ['auth'],
          summary: 'Change your own password (ends your other sessions)',
          body: Type.Object(
            {
              currentPassword: Type.String({ maxLength: 1024 }),
              newPassword: Type.String({ maxLength: 1024 }),
            },
            { additionalProperties: false },
          ),
          response: responses({ 204: Type.Null() }),
        },
      },
      async (req, reply) => {
        await changePassword(ctx, actorOf(req), req.body.currentPassword, req.body.newPassword);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );
  };
}
