import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { isDataPath, securityHeaders } from '../../src/server/plugins/security-headers.ts';

/** What helmet's middleware sets on a real Node response for these options. */
async function helmetLive(options: Parameters<typeof helmet>[0]): Promise<Record<string, string>> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => helmet(options)(req, res, () => res.end()));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  try {
    const r = await fetch(`http://127.0.0.1:${port}/`);
    const out: Record<string, string> = {};
    const skip = ['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'];
    r.headers.forEach((v, k) => {
      if (!skip.includes(k)) out[k] = v;
    });
    return out;
  } finally {
    server.close();
  }
}

describe('security headers computed once', () => {
  const options = {
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], upgradeInsecureRequests: null } },
    crossOriginEmbedderPolicy: false,
  };

  it('replays on pages exactly what helmet sets per request', async () => {
    expect(securityHeaders(options).page).toEqual(await helmetLive(options));
  });

  it('gives data routes a short set that keeps nosniff, no framing and HSTS', () => {
    const { page, data } = securityHeaders(options);
    expect(data['x-content-type-options']).toBe('nosniff');
    expect(data['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(data['strict-transport-security']).toBe(page['strict-transport-security']);
    const bytes = (h: Record<string, string>) =>
      Object.entries(h).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    expect(bytes(data)).toBeLessThan(bytes(page) / 2);
  });

  it('tells data paths from pages', () => {
    for (const u of ['/api/public/coverage?lat=1&lon=2', '/feeds/advisories.atom', '/healthz', '/api/posts'])
      expect(isDataPath(u)).toBe(true);
    for (const u of ['/', '/map', '/api/docs', '/api/docs/static/index.html', '/assets/app.js', '/healthzz'])
      expect(isDataPath(u)).toBe(false);
  });
});
