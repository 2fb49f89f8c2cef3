import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

type Headers = Readonly<Record<string, string>>;

/**
 * Security headers computed once at start-up and set from a frozen object per request.
 * `@fastify/helmet` ran helmet's middleware on every request, which rebuilt the
 * Content-Security-Policy string each time (about 13% of the CPU samples of
 * `/api/public/coverage`, issue 11) although nothing in it varies: no nonces, no per-request
 * directives. So helmet runs once here, against a recording response, and its exact headers are
 * replayed: pages get what helmet would have sent.
 *
 * Data routes (the JSON API, feeds, /healthz) are never rendered as documents, so they get a
 * short set instead of the page policy (~580 bytes less on an 810-byte coverage answer): nosniff,
 * a CSP that allows nothing (should a browser be tricked into rendering one), no referrer, no
 * framing, same-origin resource policy (public reads widen it to cross-origin themselves), and
 * HSTS where helmet would send it.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): { page: Headers; data: Headers } {
  const page: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      page[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete page[name.toLowerCase()];
    },
  };
  let failed: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failed = err;
  });
  if (failed) throw failed;
  const hsts = page['strict-transport-security'];
  const data: Record<string, string> = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    ...(hsts && { 'strict-transport-security': hsts }),
  };
  return { page: Object.freeze(page), data: Object.freeze(data) };
}

/** Paths that answer data, never a document for a browser to render (the API's docs UI is a page). */
export function isDataPath(url: string): boolean {
  return (
    (url.startsWith('/api/') && !url.startsWith('/api/docs')) ||
    url.startsWith('/feeds/') ||
    url === '/healthz' ||
    url.startsWith('/healthz?')
  );
}

export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const { page, data } = securityHeaders(options);
  // Callback style: an async hook costs a promise and a microtask on every request.
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(isDataPath(req.url) ? data : page);
    done();
  });
}
