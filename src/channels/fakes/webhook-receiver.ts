import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { type FailureMix, pickFailure } from './failure-mix.ts';

/**
 * A webhook receiver on this machine, for tests, benchmarks and the demo: it records every
 * request, checks its Standard Webhooks signature with the reference `standardwebhooks` package,
 * and misbehaves on request (a failure mix, or a behaviour per request: redirect, 410, a body
 * that never ends, no answer at all).
 */

export interface ReceivedWebhook {
  readonly at: Date;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** `webhook-id`: the delivery's idempotency key. */
  readonly webhookId: string;
  /** Signature checked against `secret` (false without a secret, or when it does not match). */
  readonly verified: boolean;
  /** What this request was answered: an HTTP status, or the misbehaviour. */
  readonly answered: number | 'stream' | 'stall' | 'disconnect';
}

/** How to answer one request. */
export type Behaviour =
  | { status: number; headers?: Record<string, string>; body?: string }
  /** 200 with headers, then a body that never ends. */
  | 'stream'
  /** Read the request, never answer. */
  | 'stall'
  /** Close the connection without an answer. */
  | 'disconnect';

export interface WebhookReceiverOptions {
  host?: string;
  port?: number;
  /** `whsec_…`: requests are verified with it (`verified` on each record). */
  secret?: string;
  /** Answer requests with a bad or missing signature 401 (default false: record and accept). */
  requireSignature?: boolean;
  /** Random misbehaviour: transient 503, rateLimited 429 + Retry-After, permanent 410, ... */
  failures?: FailureMix;
  /** Seconds sent in Retry-After with a 429 (default 1). */
  retryAfterSeconds?: number;
  /** Decide per request (takes precedence over `failures`); undefined = the normal answer. */
  behave?: (req: { path: string; headers: Record<string, string>; body: string }) => Behaviour | undefined;
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Keep at most this many records (default: all). */
  keep?: number;
}

export interface WebhookReceiver {
  /** `http(s)://127.0.0.1:<port>`; append any path. */
  readonly url: string;
  readonly port: number;
  /** Every request in arrival order, answered or not. */
  readonly requests: ReceivedWebhook[];
  /** Requests answered 2xx. */
  delivered(): ReceivedWebhook[];
  readonly stats: { requests: number; delivered: number; failed: number };
  /** Resolves once at least n requests were answered 2xx. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

const FAILURE: Record<'transient' | 'rateLimited' | 'permanent', number> = {
  transient: 503,
  rateLimited: 429,
  permanent: 410,
};

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export async function startWebhookReceiver(opts: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const stats = { requests: 0, delivered: 0, failed: 0 };
  const waiters = new Set<() => void>();
  const verifier = opts.secret ? new Webhook(opts.secret) : null;
  const open = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  function verify(headers: Record<string, string>, body: string): boolean {
    if (!verifier) return false;
    try {
      verifier.verify(body, headers);
      return true;
    } catch {
      return false;
    }
  }

  function decide(path: string, headers: Record<string, string>, body: string, verified: boolean): Behaviour {
    const chosen = opts.behave?.({ path, headers, body });
    if (chosen) return chosen;
    if (opts.requireSignature && !verified) return { status: 401, body: '{"error":"bad signature"}' };
    const failure = pickFailure(opts.failures);
    if (failure === 'timeout') return 'stall';
    if (failure === 'disconnect') return 'disconnect';
    if (failure === 'rateLimited')
      return { status: 429, headers: { 'retry-after': String(opts.retryAfterSeconds ?? 1) } };
    if (failure) return { status: FAILURE[failure] };
    return { status: 204 };
  }

  function answer(res: ServerResponse, b: Behaviour): void {
    if (b === 'disconnect') {
      res.socket?.destroy();
      return;
    }
    if (b === 'stall') {
      open.add(res);
      return;
    }
    if (b === 'stream') {
      open.add(res);
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = (): void => {
        if (res.destroyed || res.writableEnded) return;
        const t = setTimeout(() => {
          timers.delete(t);
          if (res.write(chunk)) pump();
          else res.once('drain', pump);
        }, 1);
        timers.add(t);
      };
      pump();
      return;
    }
    res.writeHead(b.status, b.headers ?? {});
    res.end(b.body ?? '');
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1024 * 1024) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const headers = flatHeaders(req);
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = verify(headers, body);
      const path = req.url ?? '/';
      const b = decide(path, headers, body, verified);
      const answered = typeof b === 'string' ? b : b.status;
      requests.push({
        at: new Date(),
        path,
        headers,
        body,
        webhookId: headers['webhook-id'] ?? '',
        verified,
        answered,
      });
      if (opts.keep !== undefined && requests.length > opts.keep) requests.shift();
      stats.requests++;
      if (typeof answered === 'number' && answered >= 200 && answered < 300) stats.delivered++;
      else stats.failed++;
      answer(res, b);
      for (const wake of waiters) wake();
    });
  };

  const server: Server = opts.tls
    ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler)
    : createHttpServer(handler);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port),
    );
  });
  const delivered = () =>
    requests.filter((r) => typeof r.answered === 'number' && r.answered >= 200 && r.answered < 300);

  return {
    url: `${opts.tls ? 'https' : 'http'}://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    requests,
    stats,
    delivered,
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (stats.delivered < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(delivered());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`expected ${n} delivered webhook(s) within ${timeoutMs} ms, got ${stats.delivered}`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
