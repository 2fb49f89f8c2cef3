import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, type Caller, createApiHarness, errorCode, sessionCookie } from '../support/api.ts';
import { backends } from '../support/context.ts';

/** Issue 16: users admin, one-time passwords, "My account" (sessions, tokens), the staff directory. */
describe.each(backends())('staff accounts on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
  });
  afterAll(() => h.dispose());

  const login = async (email: string, password: string, userAgent = 'test-browser/1') => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'user-agent': userAgent },
      payload: { email, password },
    });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = sessionCookie(res);
    return { body: res.json(), cookie, headers: { cookie, 'x-warden-csrf': '1' } };
  };
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: object,
    payload?: object,
  ) => h.app.inject({ method, url, headers: headers as Record<string, string>, ...(payload && { payload }) });

  it('a user created by an admin must set their own password before anything else', async () => {
    const created = await call('POST', '/api/users', admin.headers, {
      email: 'officer.basrah@example.org',
      role: 'officer',
      scope: ['country:IQ'],
    });
    expect(created.statusCode).toBe(201);
    const { user, password } = created.json();
    expect(user.mustChangePassword).toBe(true);

    const first = await login(user.email, password);
    expect(first.body.user).toMatchObject({ email: user.email, mustChangePassword: true });
    // Only "me", "change password" and "sign out" are open.
    const me = await call('GET', '/api/auth/me', first.headers);
    expect(me.json().user.mustChangePassword).toBe(true);
    const posts = await call('GET', '/api/posts', first.headers);
    expect(posts.statusCode).toBe(403);
    expect(errorCode(posts)).toBe('password_change_required');
    const token = await call('POST', '/api/tokens', first.headers, { name: 'sneaky' });
    expect(errorCode(token)).toBe('password_change_required');
    // The same password again is not a change.
    const same = await call('POST', '/api/auth/password', first.headers, {
      currentPassword: password,
      newPassword: password,
    });
    expect(errorCode(same)).toBe('validation_failed');

    const changed = await call('POST', '/api/auth/password', first.headers, {
      currentPassword: password,
      newPassword: 'my own long password',
    });
    expect(changed.statusCode).toBe(204);
    // The session that changed it goes on, now unrestricted.
    expect((await call('GET', '/api/posts', first.headers)).statusCode).toBe(200);
    expect((await call('GET', '/api/auth/me', first.headers)).json().user.mustChangePassword).toBe(false);

    const audit = await call('GET', `/api/audit?target=user:${user.id}`, admin.headers);
    expect(audit.json().entries.map((e: { action: string }) => e.action)).toEqual([
      'user.password_change',
      'auth.login',
      'user.create',
    ]);
    expect(audit.json().entries[0].summary).toMatchObject({ replacedOneTime: true });
  });

  it('an admin resets a password: sessions and tokens end, the new one is one-time', async () => {
    const v = await h.signIn('viewer');
    const tok = await call('POST', '/api/tokens', v.headers, { name: 'script' });
    expect(tok.statusCode).toBe(201);
    const { secret } = tok.json();

    const reset = await call('POST', `/api/users/${v.userId}/password-reset`, admin.headers);
    expect(reset.statusCode).toBe(200);
    const { password } = reset.json();
    expect(password).toHaveLength(24);
    expect((await call('GET', '/api/auth/me', { cookie: v.cookie })).statusCode).toBe(401);
    expect((await call('GET', '/api/auth/me', { authorization: `Bearer ${secret}` })).statusCode).toBe(401);
    const again = await login(v.email, password);
    expect(again.body.user.mustChangePassword).toBe(true);

    const missing = await call('POST', '/api/users/no-such-user/password-reset', admin.headers);
    expect(errorCode(missing)).toBe('not_found');
    const byViewer = await call('POST', `/api/users/${admin.userId}/password-reset`, again.headers);
    expect(byViewer.statusCode).toBe(403);
    const audit = await call('GET', '/api/audit?action=user.password_reset&limit=5', admin.headers);
    const entry = audit.json().entries.find((e: { target: string }) => e.target === `user:${v.userId}`);
    expect(entry.summary).toMatchObject({ sessionsEnded: 1, tokensRevoked: 1 });
    expect(JSON.stringify(audit.json())).not.toContain(password);
  });

  it('disable and enable: a disabled user cannot sign in, enabling does not revive tokens', async () => {
    const o = await h.signIn('officer');
    const tok = (await call('POST', '/api/tokens', o.headers, { name: 'feed reader' })).json();
    const off = await call('PATCH', `/api/users/${o.userId}`, admin.headers, { disabled: true });
    expect(off.json().user.disabledAt).not.toBeNull();
    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: o.email, password: o.password },
    });
    expect(refused.statusCode).toBe(401);
    const on = await call('PATCH', `/api/users/${o.userId}`, admin.headers, { disabled: false });
    expect(on.json().user.disabledAt).toBeNull();
    await login(o.email, o.password);
    const listed = await call('GET', `/api/tokens?userId=${o.userId}`, admin.headers);
    expect(listed.json().tokens).toEqual([
      expect.objectContaining({ id: tok.token.id, userId: o.userId, revokedAt: expect.any(String) }),
    ]);
  });

  it("an admin lists one user's tokens and revokes one; others list only their own", async () => {
    const a = await h.signIn('crisis_manager');
    const b = await h.signIn('crisis_manager');
    const ta = (await call('POST', '/api/tokens', a.headers, { name: 'a' })).json().token;
    await call('POST', '/api/tokens', b.headers, { name: 'b' });
    const ofA = await call('GET', `/api/tokens?userId=${a.userId}`, admin.headers);
    expect(ofA.json().tokens.map((t: { name: string }) => t.name)).toEqual(['a']);
    expect((await call('GET', `/api/tokens?userId=${a.userId}`, b.headers)).statusCode).toBe(403);
    expect(
      (await call('GET', '/api/tokens', b.headers)).json().tokens.map((t: { name: string }) => t.name),
    ).toEqual(['b']);
    expect((await call('DELETE', `/api/tokens/${ta.id}`, b.headers)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/tokens/${ta.id}`, admin.headers)).statusCode).toBe(204);
    const after = await call('GET', `/api/tokens?userId=${a.userId}`, admin.headers);
    expect(after.json().tokens[0].revokedAt).not.toBeNull();
  });

  it('my sessions: listed with their browser, one ended, then everywhere', async () => {
    const v = await h.signIn('viewer');
    const laptop = await login(v.email, v.password, 'Laptop Firefox');
    const phone = await login(v.email, v.password, 'Phone Safari');
    const list = await call('GET', '/api/auth/sessions', laptop.headers);
    const sessions = list.json().sessions as Array<{ id: string; userAgent: string; current: boolean }>;
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['Laptop Firefox']);
    const phoneSession = sessions.find((s) => s.userAgent === 'Phone Safari')!;

    // Someone else's session is not found, whoever asks.
    const other = await h.signIn('viewer');
    expect((await call('DELETE', `/api/auth/sessions/${phoneSession.id}`, other.headers)).statusCode).toBe(
      404,
    );
    expect((await call('DELETE', `/api/auth/sessions/${phoneSession.id}`, laptop.headers)).statusCode).toBe(
      204,
    );
    expect((await call('GET', '/api/auth/me', phone.headers)).statusCode).toBe(401);
    expect((await call('GET', '/api/auth/sessions', laptop.headers)).json().sessions).toHaveLength(2);

    const everywhere = await call('POST', '/api/auth/sign-out-everywhere', laptop.headers);
    expect(everywhere.json()).toEqual({ ended: 2 });
    expect((await call('GET', '/api/auth/me', laptop.headers)).statusCode).toBe(401);
    expect((await call('GET', '/api/auth/me', { cookie: v.cookie })).statusCode).toBe(401);
    expect((await call('GET', '/api/auth/me', other.headers)).statusCode).toBe(200);
  });

  it('every signed-in user can name colleagues by email', async () => {
    const v = await h.signIn('viewer');
    const res = await call('GET', '/api/users/directory', v.headers);
    expect(res.statusCode).toBe(200);
    const users = res.json().users as Array<{ id: string; email: string }>;
    expect(users).toContainEqual({ id: admin.userId, email: admin.email });
    expect(Object.keys(users[0]!).sort()).toEqual(['email', 'id']);
  });
});
