import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness, errorCode, sessionCookie } from '../support/api.ts';
import { backends } from '../support/context.ts';

describe.each(backends())('sign-in, sessions and tokens on %s', (backend) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness(backend, {
      WARDEN_LOGIN_MAX_FAILURES: '3',
      WARDEN_LOGIN_LOCKOUT_MINUTES: '15',
    });
  });
  afterAll(() => h.dispose());

  const login = (email: string, password: string) =>
    h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  it('signs in with an HttpOnly SameSite cookie and signs out', async () => {
    const officer = await h.signIn('officer', ['country:IQ']);
    const res = await login(officer.email, officer.password);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ email: officer.email, role: 'officer', scope: ['country:IQ'] });
    const raw = String(res.headers['set-cookie']);
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Strict/i);
    const cookie = sessionCookie(res);

    const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(officer.email);

    const out = await h.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-warden-csrf': '1' },
    });
    expect(out.statusCode).toBe(204);
    const after = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(errorCode(after)).toBe('unauthenticated');
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const v = await h.signIn('viewer');
    const wrong = await login(v.email, 'not the password');
    const unknown = await login('nobody@example.org', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(errorCode(wrong)).toBe('invalid_credentials');
  });

  it('locks an account after repeated failures, even with the right password, then lets it in again', async () => {
    const v = await h.signIn('viewer');
    for (let i = 0; i < 3; i++) expect((await login(v.email, 'wrong password!')).statusCode).toBe(401);
    const locked = await login(v.email, v.password);
    expect(locked.statusCode).toBe(429);
    expect(errorCode(locked)).toBe('rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Unknown emails lock the same way, so the lock does not reveal who has an account.
    for (let i = 0; i < 3; i++) await login('ghost@example.org', 'wrong password!');
    expect((await login('ghost@example.org', 'x')).statusCode).toBe(429);

    h.ctx.clock.advance(16 * 60_000);
    expect((await login(v.email, v.password)).statusCode).toBe(200);
    const audit = await h.ctx.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.locked_out')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('expires sessions', async () => {
    const v = await h.signIn('viewer');
    h.ctx.clock.advance(13 * 3600_000);
    const res = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: v.cookie } });
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('session_expired');
  });

  it('refuses forged cookies and tokens', async () => {
    const forged = await h.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: 'warden_session=forged-value' },
    });
    expect(forged.statusCode).toBe(401);
    expect(errorCode(forged)).toBe('unauthenticated');
    for (const authorization of ['Bearer wdn_forged', 'Bearer nope', 'Basic abc']) {
      const res = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization } });
      expect(res.statusCode).toBe(401);
      expect(errorCode(res)).toBe('invalid_token');
    }
  });

  it('refuses a cookie-authenticated change without the CSRF header', async () => {
    const admin = await h.signIn('admin');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: admin.cookie },
      payload: { name: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('csrf_failed');
  });

  it('issues API tokens shown once, hashed at rest, usable until revoked', async () => {
    const cm = await h.signIn('crisis_manager');
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: cm.headers,
      payload: { name: 'feed sync' },
    });
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json() as { token: { id: string }; secret: string };
    expect(secret).toMatch(/^wdn_/);
    const stored = await h.ctx.store.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(secret);

    const bearer = { authorization: `Bearer ${secret}` };
    const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer });
    expect(me.json().user.role).toBe('crisis_manager');
    // Bearer requests need no CSRF header: no browser attaches them on its own.
    const second = await h.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer,
      payload: { name: 'second' },
    });
    expect(second.statusCode).toBe(201);

    // Another user cannot revoke (or even see) it.
    const other = await h.signIn('viewer');
    const steal = await h.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${token.id}`,
      headers: other.headers,
    });
    expect(steal.statusCode).toBe(404);
    const list = await h.app.inject({ method: 'GET', url: '/api/tokens', headers: other.headers });
    expect(list.json().tokens).toEqual([]);

    const revoke = await h.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${token.id}`,
      headers: cm.headers,
    });
    expect(revoke.statusCode).toBe(204);
    const after = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(errorCode(after)).toBe('invalid_token');
  });

  it('a token of a viewer cannot do what an admin can', async () => {
    const v = await h.signIn('viewer');
    const t = await h.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: v.headers,
      payload: { name: 'ro' },
    });
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/users',
      headers: { authorization: `Bearer ${t.json().secret}` },
    });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('forbidden');
  });

  it('a disabled user loses their sessions and tokens at once', async () => {
    const admin = await h.signIn('admin');
    const v = await h.signIn('viewer');
    const t = (
      await h.app.inject({ method: 'POST', url: '/api/tokens', headers: v.headers, payload: { name: 'x' } })
    ).json();
    const dis = await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${v.userId}`,
      headers: admin.headers,
      payload: { disabled: true },
    });
    expect(dis.statusCode).toBe(200);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: v.cookie } })).statusCode,
    ).toBe(401);
    const tok = await h.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${t.secret}` },
    });
    expect(tok.statusCode).toBe(401);
    expect((await login(v.email, v.password)).statusCode).toBe(401);
  });

  it('changes a password: this session goes on, the other sessions end', async () => {
    const v = await h.signIn('viewer');
    const other = await login(v.email, v.password);
    const otherCookie = `warden_session=${other.cookies.find((c) => c.name === 'warden_session')!.value}`;
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: v.headers,
      payload: { currentPassword: 'wrong', newPassword: 'a brand new password' },
    });
    expect(errorCode(bad)).toBe('invalid_credentials');
    const short = await h.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: v.headers,
      payload: { currentPassword: v.password, newPassword: 'short' },
    });
    expect(errorCode(short)).toBe('validation_failed');
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: v.headers,
      payload: { currentPassword: v.password, newPassword: 'a brand new password' },
    });
    expect(ok.statusCode).toBe(204);
    const me = (cookie: string) => h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect((await me(v.cookie)).statusCode).toBe(200);
    expect((await me(otherCookie)).statusCode).toBe(401);
    expect((await login(v.email, v.password)).statusCode).toBe(401);
    expect((await login(v.email, 'a brand new password')).statusCode).toBe(200);
  });
});
