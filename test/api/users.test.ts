import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

describe.each(backends())('staff users on %s', (backend) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness(backend);
  });
  afterAll(() => h.dispose());

  it('an admin creates an officer with a scope, the password is shown once, and it is audited', async () => {
    const admin = await h.signIn('admin');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { email: 'Officer.Basrah@Example.org', role: 'officer', scope: ['country:iq'] },
    });
    expect(res.statusCode).toBe(201);
    const { user, password } = res.json();
    expect(user).toMatchObject({
      email: 'officer.basrah@example.org',
      role: 'officer',
      scope: ['country:IQ'],
      disabledAt: null,
    });
    expect(password).toHaveLength(24);
    const row = await h.ctx.store.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);

    const login = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'officer.basrah@example.org', password },
    });
    expect(login.statusCode).toBe(200);

    const audit = await h.app.inject({
      method: 'GET',
      url: '/api/audit?action=user.create',
      headers: admin.headers,
    });
    const entry = audit.json().entries.find((e: { target: string }) => e.target === `user:${user.id}`);
    expect(entry).toMatchObject({
      actor: `user:${admin.userId}`,
      action: 'user.create',
      summary: { after: { role: 'officer', scope: ['country:IQ'] } },
    });
    expect(entry.requestId).toBeTruthy();
    expect(JSON.stringify(audit.json())).not.toContain(password);
  });

  it('role changes are audited with before and after', async () => {
    const admin = await h.signIn('admin');
    const v = await h.signIn('viewer');
    const res = await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${v.userId}`,
      headers: admin.headers,
      payload: { role: 'crisis_manager' },
    });
    expect(res.statusCode).toBe(200);
    const audit = await h.app.inject({
      method: 'GET',
      url: '/api/audit?action=user.update&limit=1',
      headers: admin.headers,
    });
    expect(audit.json().entries[0].summary).toMatchObject({
      before: { role: 'viewer' },
      after: { role: 'crisis_manager' },
    });
    const verify = await h.app.inject({ method: 'GET', url: '/api/audit/verify', headers: admin.headers });
    expect(verify.json()).toMatchObject({ ok: true, firstBreak: null });
  });
});
