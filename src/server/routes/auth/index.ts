import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import type { Principal } from '../../../domain/auth/principal.ts';
import { endMySession, listMySessions, signOutEverywhere } from '../../../services/auth/account.ts';
import { login, logout, SESSION_COOKIE } from '../../../services/auth/sessions.ts';
import { changePassword } from '../../../services/auth/users.ts';
import { actorOf } from '../../plugins/auth.ts';
import { Email, responses } from '../../schemas.ts';
import { PublicUser, SessionSchema } from './schema.ts';

const publicUser = (p: Principal) => ({
  id: p.userId,
  email: p.email,
  role: p.role,
  scope: [...p.scope],
  mustChangePassword: p.mustChangePassword === true,
});

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
          req.headers['user-agent'] ?? null,
        );
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'strict',
          secure,
          path: '/',
          expires: new Date(expiresAt),
        });
        return { user: publicUser(principal), expiresAt };
      },
    );

    app.post(
      '/api/auth/logout',
      {
        config: { access: Access.public, duringPasswordChange: true },
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
        config: { access: Access.authenticated, duringPasswordChange: true },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user',
          response: responses({ 200: Type.Object({ user: PublicUser }) }),
        },
      },
      async (req) => ({ user: publicUser(req.principal!) }),
    );

    app.post(
      '/api/auth/password',
      {
        config: { access: Access.authenticated, duringPasswordChange: true },
        schema: {
          tags: ['auth'],
          summary:
            'Change your own password: this session goes on, your other sessions and your API tokens end',
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
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/auth/sessions',
      {
        config: { access: Access.authenticated },
        schema: {
          tags: ['auth'],
          summary: 'Your active sessions (browsers signed in as you)',
          response: responses({ 200: Type.Object({ sessions: Type.Array(SessionSchema) }) }),
        },
      },
      async (req) => ({ sessions: await listMySessions(ctx, actorOf(req)) }),
    );

    app.delete(
      '/api/auth/sessions/:id',
      {
        config: { access: Access.authenticated },
        schema: {
          tags: ['auth'],
          summary: 'End one of your sessions',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: responses({ 204: Type.Null() }),
        },
      },
      async (req, reply) => {
        await endMySession(ctx, actorOf(req), req.params.id);
        if (req.params.id === req.principal?.sessionId) reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/sign-out-everywhere',
      {
        config: { access: Access.authenticated, duringPasswordChange: true },
        schema: {
          tags: ['auth'],
          summary: 'End every session of yours, this one included',
          response: responses({ 200: Type.Object({ ended: Type.Integer() }) }),
        },
      },
      async (req, reply) => {
        const ended = await signOutEverywhere(ctx, actorOf(req));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ended };
      },
    );
  };
}
