import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.ts';
import { buildApp } from '../../src/server/app.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends, testConfig } from '../support/context.ts';
import { testLogger } from '../support/log.ts';

describe.each(backends())('sign-in and token hardening on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;

  beforeAll(async () => {
    h = await createApiHarness(backend, { WARDEN_LOGIN_PER_IP_PER_MINUTE: '10000' });
    admin = await h.signIn('admin');
  });
  afterAll(() => h.dispose());

  const login = (
    email: string,
    password: string,
    remoteAddress = '127.0.0.1',
    app: FastifyInstance = h.app,
  ) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress });
  const makeToken = async (who: Caller) =>
    (
      await h.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: who.headers,
        payload: { name: 'ci' },
      })
    ).json().secret as string;
  const withToken = (secret: string) =>
    h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${secret}` } });

  it('a password change revokes the user’s API tokens', async () => {
    const me = await h.signIn('officer');
    const secret = await makeToken(me);
    expect((await withToken(secret)).statusCode).toBe(200);
    const change = await h.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: me.headers,
      payload: { currentPassword: me.password, newPassword: 'a brand new passphrase 42' },
    });
    expect(change.statusCode).toBeLessThan(300);
    expect((await withToken(secret)).statusCode).toBe(401);
  });

  it('disabling revokes tokens for good: enabling the user again does not revive them', async () => {
    const user = await h.signIn('viewer');
    const secret = await makeToken(user);
    const patch = (disabled: boolean) =>
      h.app.inject({
        method: 'PATCH',
        url: `/api/users/${user.userId}`,
        headers: admin.headers,
        payload: { disabled },
      });
    expect((await patch(true)).statusCode).toBe(200);
    expect((await withToken(secret)).statusCode).toBe(401);
    expect((await patch(false)).statusCode).toBe(200);
    expect((await withToken(secret)).statusCode).toBe(401);
    const audit = (
      await h.app.inject({
        method: 'GET',
        url: '/api/audit?action=user.update&limit=2',
        headers: admin.headers,
      })
    ).json().entries;
    expect(audit[1].summary).toMatchObject({ after: { disabled: true }, tokensRevoked: 1 });
  });

  it('five bad passwords from one address lock that address out of the account, not its owner elsewhere', async () => {
    const victim = await h.signIn('admin');
    for (let i = 0; i < 5; i++)
      expect((await login(victim.email, 'guess', '203.0.113.7')).statusCode).toBe(401);
    const attacker = await login(victim.email, victim.password, '203.0.113.7');
    expect(attacker.statusCode).toBe(429);
    expect(errorCode(attacker)).toBe('rate_limited');
    expect((await login(victim.email, victim.password, '198.51.100.20')).statusCode).toBe(200);
    const entry = (
      await h.app.inject({
        method: 'GET',
        url: '/api/audit?action=auth.locked_out&limit=1',
        headers: admin.headers,
      })
    ).json().entries[0];
    expect(entry).toMatchObject({ target: `user:${victim.userId}`, summary: { lock: 'address' } });
  });

  it('guessing spread over many addresses meets a slower, shorter lock of the account; unknown emails alike', async () => {
    for (const email of [(await h.signIn('crisis_manager')).email, 'nobody.at.all@example.org']) {
      // Four addresses, five failures each (each address then locked for itself): 20 in the window.
      for (let a = 1; a <= 4; a++) for (let i = 0; i < 5; i++) await login(email, 'guess', `192.0.2.${a}`);
      const fresh = await login(email, 'guess', '192.0.2.99');
      expect(fresh.statusCode).toBe(429);
      expect(Number(fresh.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    h.ctx.clock.advance(61_000);
    admin = await h.signIn('admin'); // sessions follow the clock
    expect((await login('nobody.at.all@example.org', 'guess', '192.0.2.99')).statusCode).toBe(401);
  });

  it('the per-address limit is kept in the store, so two processes share it', async () => {
    const config = testConfig(h.ctx.config.database, { WARDEN_LOGIN_PER_IP_PER_MINUTE: '10' });
    const [c1, c2] = [
      await createContext(config, { clock: h.ctx.clock, log: testLogger() }),
      await createContext(config, { clock: h.ctx.clock, log: testLogger() }),
    ];
    const [a1, a2] = [await buildApp(c1), await buildApp(c2)];
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await login(`someone${i}@example.org`, 'guess', '198.18.0.1', i % 2 ? a2 : a1);
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await a1.close();
      await a2.close();
      await c1.close();
      await c2.close();
    }
  });
});
