import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/domain/auth/principal.ts';
import { buildApp } from '../../src/server/app.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { createUser } from '../../src/services/auth/users.ts';
import { type Backend, createTestContext, type TestContext } from './context.ts';

export interface Caller {
  readonly email: string;
  readonly password: string;
  readonly userId: string;
  /** Cookie header value of a signed-in session. */
  readonly cookie: string;
  readonly headers: Record<string, string>;
}

export interface ApiHarness {
  readonly ctx: TestContext;
  readonly app: FastifyInstance;
  /** Creates a user with this role (and scope) and signs them in. */
  signIn(role: Role, scope?: string[]): Promise<Caller>;
  dispose(): Promise<void>;
}

let n = 0;

export async function createApiHarness(
  backend: Backend,
  env: Record<string, string> = {},
): Promise<ApiHarness> {
  const ctx = await createTestContext(backend, { env: { WARDEN_LOGIN_PER_IP_PER_MINUTE: '10000', ...env } });
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    async signIn(role, scope = role === 'officer' ? ['country:IQ'] : []) {
      const email = `${role}.${++n}.${process.pid}@example.org`;
      const password = `correct horse battery ${n}`;
      const { user } = await createUser(ctx, cliActor, { email, role, scope, password });
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
      const cookie = sessionCookie(res);
      return { email, password, userId: user.id, cookie, headers: { cookie, 'x-warden-csrf': '1' } };
    },
    async dispose() {
      await app.close();
      await ctx.dispose();
    },
  };
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'warden_session');
  if (!c) throw new Error('no session cookie');
  return `warden_session=${c.value}`;
}

export const errorCode = (res: LightMyRequestResponse): string | undefined =>
  (res.json() as { error?: { code?: string } }).error?.code;
