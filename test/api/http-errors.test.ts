import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedLogs } from '../support/log.ts';
import { startTestServer } from '../support/server.ts';

/** Sends bytes as they are (no client library normalises the path) and reads the whole answer. */
function raw(port: number, request: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => {
      data += d;
    });
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const type = /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '';
      resolve({ status, type, body });
    });
    socket.on('error', reject);
  });
}

const get = (path: string, accept = '*/*') =>
  `GET ${path} HTTP/1.1\r\nHost: localhost\r\nAccept: ${accept}\r\nConnection: close\r\n\r\n`;

// Traversal and encoding tricks of the kind a scanner sends (issue 11 found 12 of 24 answering 500).
const TRAVERSALS = [
  '/assets/../../package.json',
  '/assets/../../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/%2e%2e/%2e%2e/package.json',
  '/assets/%2e%2e/%2e%2e/package.json',
  '/assets/%2E%2E/%2E%2E/etc/passwd',
  '/assets/..%2f..%2fpackage.json',
  '/assets/..%2F..%2Fetc%2Fpasswd',
  '/..%5c..%5cpackage.json',
  '/assets/..%5c..%5cpackage.json',
  '/assets/%00',
  '/assets/%00.js',
  '/index.html%00',
  '/%00',
  '/api/%00',
  '/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '/assets/%252e%252e/%252e%252e/package.json',
  '/....//....//etc/passwd',
  '/assets/....//....//package.json',
  '/./././../package.json',
  '/assets/.%2e/.%2e/package.json',
  '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/assets/x%ZZ',
  '/%E0%A4%A',
];

describe('errors outside the JSON format (issue 11)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let port = 0;
  beforeAll(async () => {
    server = await startTestServer();
    port = Number(new URL(server.url).port);
  });
  afterAll(() => server.close());

  const expectJsonError = (r: { status: number; type: string; body: string }, label: string) => {
    expect(r.status, label).toBeGreaterThanOrEqual(400);
    expect(r.status, label).toBeLessThan(500);
    expect(r.type, label).toMatch(/^application\/json/);
    const body = JSON.parse(r.body);
    expect(Object.keys(body), label).toEqual(['error']);
    expect(body.error, label).toEqual({
      code: expect.stringMatching(/^[a-z_]+$/),
      message: expect.any(String),
      details: expect.any(Object),
    });
    return body.error.code as string;
  };

  it('path traversal and NUL bytes answer 4xx in our format, never 500, and log nothing at error level', async () => {
    const errorsBefore = capturedLogs.filter((l) => /"level":(50|60)/.test(l)).length;
    for (const path of TRAVERSALS) {
      for (const accept of ['*/*', 'text/html']) {
        const r = await raw(port, get(path, accept));
        const code = expectJsonError(r, `${path} (${accept})`);
        expect(['route_not_found', 'invalid_url', 'bad_request'], path).toContain(code);
        expect(r.body).not.toContain('"name"'); // no package.json
        expect(r.body).not.toContain('root:');
      }
    }
    expect(capturedLogs.filter((l) => /"level":(50|60)/.test(l)).length).toBe(errorsBefore);
  });

  it('bad percent-encoding is 400 invalid_url', async () => {
    for (const path of ['/%E0%A4%A', '/api/posts/%E0%A4%A', '/assets/x%ZZ']) {
      const r = await raw(port, get(path));
      expect(r.status).toBe(400);
      expect(expectJsonError(r, path)).toBe('invalid_url');
    }
  });

  it('an oversized header or query is 431, malformed HTTP is 400, both in our format', async () => {
    const big = 'x'.repeat(20_000);
    const header = await raw(
      port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\nConnection: close\r\n\r\n`,
    );
    expect(header.status).toBe(431);
    expect(expectJsonError(header, 'header')).toBe('headers_too_large');
    const query = await raw(port, `GET /healthz?q=${big} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(query.status).toBe(431);
    expect(expectJsonError(query, 'query')).toBe('headers_too_large');
    for (const bad of [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nBad Header: y\r\n\r\n',
    ]) {
      const r = await raw(port, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(expectJsonError(r, bad)).toBe('bad_request');
    }
  });

  it('a missing asset is a 404, not the console shell', async () => {
    const r = await raw(port, get('/assets/nothing-here.js', 'text/html'));
    expect(r.status).toBe(404);
    expect(expectJsonError(r, 'asset')).toBe('route_not_found');
  });
});
