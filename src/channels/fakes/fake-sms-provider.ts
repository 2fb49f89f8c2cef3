import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countSms as smsSegments } from '../../domain/messages/sms.ts';
import { parseTwilioForm } from '../twilio-signature.ts';
import { pickFailure } from './failure-mix.ts';
import { callbackSteps, inboundParams, refusal, sid, signedPost, statusParams } from './twilio-requests.ts';
import {
  type Callback,
  type FakeSmsMessage,
  type FakeSmsProvider,
  type FakeSmsProviderOptions,
  messageJson,
  twilioError,
} from './twilio-shapes.ts';

export type { FakeSmsProvider, FakeSmsProviderOptions } from './twilio-shapes.ts';

/**
 * A local stand-in for Twilio's Messages API, spoken over real HTTP: Basic auth, form bodies,
 * Twilio's JSON resources and error bodies (`{ code, message, more_info, status }`), a failure
 * mix (5xx, 429 with Retry-After, dropped connections, no answer), idempotency tokens, signed
 * status callbacks (queued -> sent -> delivered, or undelivered / failed) and signed inbound
 * SMS. Used by the tests, the benchmarks and `warden demo`.
 */

const DEMO_SID = 'AC00000000000000000000000000demo0';
const E164 = /^\+[1-9]\d{6,14}$/;

export async function startFakeSmsProvider(opts: FakeSmsProviderOptions = {}): Promise<FakeSmsProvider> {
  const accountSid = opts.accountSid ?? DEMO_SID;
  const authToken = opts.authToken ?? randomBytes(16).toString('hex');
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const messages: FakeSmsMessage[] = [];
  const byToken = new Map<string, FakeSmsMessage>();
  const callbacks: Callback[] = [];
  const stats = { requests: 0, accepted: 0, refused: 0, failed: 0, duplicates: 0 };
  const waiters = new Set<() => void>();
  const stalled = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const wake = () => {
    for (const w of waiters) w();
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const post = (url: string, params: Record<string, string>) => signedPost(authToken, url, params);

  function statusCallbacks(m: FakeSmsMessage): void {
    if (opts.callbacks === false || !m.statusCallback) return;
    const steps = callbackSteps(opts.undeliverable?.[m.to]);
    const delay = opts.callbackDelayMs ?? 20;
    const next = (i: number) => {
      if (closed || i >= steps.length) return;
      const [status, errorCode] = steps[i]!;
      m.status = status;
      m.errorCode = errorCode;
      const params = statusParams(m, accountSid);
      const url = m.statusCallback!;
      void post(url, params).then((answer) => {
        callbacks.push({ url, params, answer });
        wake();
        const t = setTimeout(() => {
          timers.delete(t);
          next(i + 1);
        }, delay);
        timers.add(t);
      });
    };
    next(0);
  }

  function create(req: IncomingMessage, res: ServerResponse, form: Record<string, string | string[]>) {
    const field = (k: string) => {
      const v = form[k];
      return typeof v === 'string' ? v : v?.[0];
    };
    const token = String(req.headers['i-twilio-idempotency-token'] ?? '');
    const seen = token && opts.dedupe !== false ? byToken.get(token) : undefined;
    if (seen) {
      stats.duplicates++;
      return send(res, 201, messageJson(seen, accountSid));
    }
    const to = field('To');
    const from = field('From');
    const service = field('MessagingServiceSid');
    const body = field('Body');
    const refuse = (status: number, code: number, message: string) => {
      stats.refused++;
      send(res, status, twilioError(code, message, status));
    };
    if (!to) return refuse(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return refuse(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !service) return refuse(400, 21603, "A 'From' phone number is required.");
    if (!body) return refuse(400, 21602, 'Message body is required.');
    if (body.length > 1600)
      return refuse(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    const code = opts.refuse?.[to];
    if (code) return refuse(400, code, refusal(code, to));
    const m: FakeSmsMessage = {
      sid: sid('SM'),
      to,
      from: from ?? '',
      body,
      messagingServiceSid: service ?? null,
      statusCallback: field('StatusCallback') ?? null,
      idempotencyToken: token || null,
      segments: smsSegments(body).segments,
      status: service ? 'accepted' : 'queued',
      errorCode: null,
      at: new Date(),
    };
    messages.push(m);
    if (opts.keep !== undefined && messages.length > opts.keep) messages.shift();
    if (token) byToken.set(token, m);
    stats.accepted++;
    send(res, 201, messageJson(m, accountSid));
    wake();
    statusCallbacks(m);
  }

  const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages`;

  function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    stats.requests++;
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith('/2010-04-01/Accounts/'))
      return send(res, 404, twilioError(20404, 'The requested resource was not found', 404));
    if (req.headers.authorization !== expectedAuth)
      return send(res, 401, twilioError(20003, 'Authenticate', 401));
    if (!path.startsWith(messagesPath))
      return send(res, 404, twilioError(20404, `The requested resource ${path} was not found`, 404));
    if (req.method === 'GET') {
      const wanted = path.slice(messagesPath.length + 1).replace(/\.json$/, '');
      const m = messages.find((x) => x.sid === wanted);
      return m
        ? send(res, 200, messageJson(m, accountSid))
        : send(res, 404, twilioError(20404, `The requested resource ${path} was not found`, 404));
    }
    if (req.method !== 'POST' || path !== `${messagesPath}.json`)
      return send(res, 405, twilioError(20004, 'Method not allowed', 405));
    const failure = pickFailure(opts.failures);
    if (failure) stats.failed++;
    switch (failure) {
      case null:
        return create(req, res, parseTwilioForm(raw));
      case 'transient':
        return send(res, 503, twilioError(20503, 'Service unavailable', 503));
      case 'rateLimited':
        return send(res, 429, twilioError(20429, 'Too Many Requests', 429), {
          'retry-after': String(opts.retryAfterSeconds ?? 1),
        });
      case 'permanent':
        return send(
          res,
          400,
          twilioError(21611, "This 'From' number has exceeded the maximum number of queued messages", 400),
        );
      case 'disconnect':
        req.socket.destroy();
        return;
      case 'timeout':
        stalled.add(res);
        return;
      default: {
        const never: never = failure;
        throw new TypeError(`unknown failure ${String(never)}`);
      }
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port),
    );
  });

  const waitUntil = <T>(ready: () => boolean, value: () => T, what: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const check = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(value());
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake SMS provider: ${what} not reached within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    port,
    accountSid,
    authToken,
    messages,
    callbacks,
    stats,
    waitFor: (n, timeoutMs = 5000) =>
      waitUntil(
        () => stats.accepted >= n,
        () => messages.slice(),
        `${n} messages`,
        timeoutMs,
      ),
    waitForCallbacks: (n, timeoutMs = 5000) =>
      waitUntil(
        () => callbacks.length >= n,
        () => callbacks.slice(),
        `${n} callbacks`,
        timeoutMs,
      ),
    async simulateInbound(sms) {
      const target = sms.url ?? opts.inboundUrl;
      if (!target) throw new TypeError('fake SMS provider: no inboundUrl');
      const answer = await post(
        target,
        inboundParams(accountSid, sms.from, sms.to ?? '+15005550006', sms.body),
      );
      return typeof answer === 'number' ? answer : 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const t of timers) clearTimeout(t);
        for (const res of stalled) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
