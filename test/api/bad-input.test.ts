import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

describe.each(backends())('bad input on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  beforeAll(async () => {
    h = await createApiHarness(backend, { WARDEN_BODY_LIMIT: '4096' });
    admin = await h.signIn('admin');
  });
  afterAll(() => h.dispose());

  const post = (url: string, payload: string | object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { ...admin.headers, ...headers }, payload });

  function expectError(
    res: { statusCode: number; body: string; json(): unknown },
    status: number,
    code: string,
  ) {
    expect(res.statusCode).toBe(status);
    const body = res.json() as { error: { code: string; message: string; details: unknown } };
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    expect(body.error.details).toBeTypeOf('object');
    // No stack traces or internals, ever.
    expect(res.body).not.toMatch(/at .*\.ts:\d+|node_modules|Error:/);
  }

  it('wrong types are refused, not coerced', async () => {
    const res = await post('/api/users', { email: 'x@example.org', role: 'viewer', scope: 'country:IQ' });
    expectError(res, 400, 'validation_failed');
    const num = await post('/api/tokens', { name: 'x', expiresInDays: '30' });
    expectError(num, 400, 'validation_failed');
    expect(JSON.stringify(num.json().error.details)).toContain('expiresInDays');
  });

  it('missing fields name the field', async () => {
    const res = await post('/api/users', { role: 'viewer' });
    expectError(res, 400, 'validation_failed');
    expect(res.json().error.details.problems).toContainEqual(expect.objectContaining({ field: 'email' }));
  });

  it('unknown fields are refused rather than silently dropped', async () => {
    const res = await post('/api/users', { email: 'y@example.org', role: 'viewer', isAdmin: true });
    expectError(res, 400, 'validation_failed');
    expect(res.json().error.details.problems).toContainEqual(expect.objectContaining({ field: 'isAdmin' }));
    const users = await h.app.inject({ method: 'GET', url: '/api/users', headers: admin.headers });
    expect(users.json().users.map((u: { email: string }) => u.email)).not.toContain('y@example.org');
  });

  it('bad values get precise codes', async () => {
    expectError(
      await post('/api/users', { email: 'not-an-email', role: 'viewer' }),
      400,
      'validation_failed',
    );
    expectError(
      await post('/api/users', { email: 'z@example.org', role: 'overlord' }),
      400,
      'validation_failed',
    );
    expectError(await post('/api/users', { email: 'z@example.org', role: 'officer' }), 400, 'invalid_scope');
    expectError(
      await post('/api/users', { email: 'z@example.org', role: 'officer', scope: ['IQ'] }),
      400,
      'invalid_scope',
    );
    expectError(
      await post('/api/users', { email: 'z@example.org', role: 'officer', scope: ['country:XX'] }),
      400,
      'unknown_country',
    );
    expectError(
      await post('/api/users', { email: 'z@example.org', role: 'viewer', password: 'short' }),
      400,
      'validation_failed',
    );
  });

  it('malformed JSON is refused', async () => {
    expectError(
      await post('/api/users', '{"email": "a@example.org", ', { 'content-type': 'application/json' }),
      400,
      'invalid_json',
    );
    expectError(await post('/api/users', '', { 'content-type': 'application/json' }), 400, 'invalid_json');
  });

  it('a body over the limit is refused with 413', async () => {
    const big = JSON.stringify({ email: 'big@example.org', role: 'viewer', pad: 'x'.repeat(10_000) });
    expectError(await post('/api/users', big, { 'content-type': 'application/json' }), 413, 'body_too_large');
  });

  it('an unsupported content type is refused with 415', async () => {
    expectError(
      await post('/api/users', '<user/>', { 'content-type': 'application/xml' }),
      415,
      'unsupported_media_type',
    );
  });

  it('a form post (what a cross-site page could send) does not parse as JSON', async () => {
    const res = await post('/api/tokens', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expectError(res, 415, 'unsupported_media_type');
  });

  it('unknown routes and query parameters', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/api/nope' }), 404, 'route_not_found');
    expectError(await h.app.inject({ method: 'DELETE', url: '/healthz' }), 404, 'route_not_found');
    const q = await h.app.inject({ method: 'GET', url: '/api/audit?limit=abc', headers: admin.headers });
    expectError(q, 400, 'validation_failed');
    const extra = await h.app.inject({ method: 'GET', url: '/api/audit?sort=evil', headers: admin.headers });
    expectError(extra, 400, 'validation_failed');
  });

  it('unknown ids are 404 and duplicates are 409', async () => {
    const patch = await h.app.inject({
      method: 'PATCH',
      url: '/api/users/nope',
      headers: admin.headers,
      payload: { role: 'viewer' },
    });
    expectError(patch, 404, 'not_found');
    expectError(await post('/api/users', { email: admin.email, role: 'viewer' }), 409, 'email_taken');
    const empty = await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${admin.userId}`,
      headers: admin.headers,
      payload: {},
    });
    expectError(empty, 400, 'validation_failed');
  });

  it('the last admin cannot be demoted, and nothing is half-written', async () => {
    const solo = await createApiHarness(backend);
    try {
      const a = await solo.signIn('admin');
      const res = await solo.app.inject({
        method: 'PATCH',
        url: `/api/users/${a.userId}`,
        headers: a.headers,
        payload: { role: 'viewer' },
      });
      expectError(res, 409, 'last_admin');
      const me = await solo.app.inject({ method: 'GET', url: '/api/auth/me', headers: a.headers });
      expect(me.json().user.role).toBe('admin');
    } finally {
      await solo.dispose();
    }
  });

  it('throttles sign-in attempts per address', async () => {
    const tight = await createApiHarness(backend, { WARDEN_LOGIN_PER_IP_PER_MINUTE: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await tight.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `n${i}@example.org`, password: 'x' },
        });
        codes.push(r.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await tight.dispose();
    }
  });

  it('sets security headers and a request id', async () => {
    // Data routes: the short set (plugins/security-headers.ts), a CSP that allows nothing.
    const res = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/[\w-]{8,}/);
    expect(res.json()).toEqual({ status: 'ok', store: { backend, reachable: true } });
    // A public data answer carries no page policy: its headers were ~1 KB for ~600 bytes of JSON.
    const cov = await h.app.inject({ method: 'GET', url: '/api/public/coverage?lat=30.51&lon=47.81' });
    const headerBytes = Object.entries(cov.headers).reduce(
      (n, [k, v]) => n + k.length + String(v).length + 4,
      0,
    );
    expect(cov.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(cov.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(headerBytes).toBeLessThan(700);
    // Pages: helmet's headers for the console's policy, computed once at start-up.
    const page = await h.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });
});
