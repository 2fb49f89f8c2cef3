import { request } from 'undici';
import { networkReason, parseRetryAfter, readLimited, shortBody } from './http.ts';
import { blockedReason, createGuardedAgent, type GuardOptions, type Resolver, urlProblem } from './ssrf.ts';
import {
  type Channel,
  IDEMPOTENCY_KEY,
  type OutboundMessage,
  type Outcome,
  type ProviderAnswer,
  permanent,
  transient,
} from './types.ts';
import { secretKey, webhookHeaders } from './webhook-signature.ts';

export interface WebhookChannelOptions extends GuardOptions {
  /** The `whsec_…` secret for messages that carry none of their own. */
  secret?: string;
  /** Whole attempt, connect to last byte read (default 10 s). */
  timeoutMs?: number;
  /** Bytes of the receiver's answer read at most (default 16 KiB); the rest is cut off. */
  maxResponseBytes?: number;
  /** Connections per receiver origin (default 8). */
  connections?: number;
  /** Extra CA certificates to trust (tests' local HTTPS receivers). */
  ca?: string | Buffer;
  resolve?: Resolver;
}

/**
 * How a receiver's HTTP status ends an attempt. 2xx delivered. 3xx is permanent: redirects are
 * never followed (a redirect could lead past the SSRF guard, and the same URL will redirect
 * again), so a human must update the URL. 410 Gone is permanent (Standard Webhooks: endpoint
 * removed). 413 is permanent (the same body stays too large). Every other status is
 * transient, as Standard Webhooks senders do: a 404 or 401 is as often a receiver mid-deploy or
 * rotating its secret as a dead endpoint, and the engine's attempt limit still ends it.
 */
export function classifyWebhookStatus(
  status: number,
  answer: ProviderAnswer,
  retryAfterMs?: number,
): Outcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', answer };
  if (status >= 300 && status < 400)
    return permanent(`receiver redirected (${status}); redirects are not followed`, answer);
  if (status === 410) return permanent('receiver gone (410)', answer);
  if (status === 413) return permanent('receiver refused the body as too large (413)', answer);
  return transient(`receiver answered ${status}`, answer, retryAfterMs);
}

const defaultBody = (m: OutboundMessage, now: Date): unknown => ({
  type: 'warden.message',
  timestamp: now.toISOString(),
  data: { id: m.id, ...(m.subject !== undefined && { subject: m.subject }), text: m.text },
});

/** Signed JSON webhooks (Standard Webhooks) through the SSRF-guarded dispatcher. */
export function createWebhookChannel(opts: WebhookChannelOptions = {}): Channel {
  const fallbackKey = opts.secret === undefined ? null : secretKey(opts.secret);
  if (opts.secret !== undefined && !fallbackKey)
    throw new TypeError('webhook channel: secret must be whsec_<base64>');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxResponseBytes ?? 16 * 1024;
  const agent = createGuardedAgent({ ...opts, connectTimeoutMs: Math.min(timeoutMs, 5000) });

  return {
    kind: 'webhook',

    async send(m: OutboundMessage): Promise<Outcome> {
      if (!IDEMPOTENCY_KEY.test(m.id))
        return permanent('message id must be 1-128 letters, digits, ".", "_" or "-"');
      const key = m.secret === undefined ? fallbackKey : secretKey(m.secret);
      if (!key) return permanent('no valid whsec_ signing secret for this endpoint');
      const refused = urlProblem(m.to, opts);
      if (refused) return permanent(`webhook URL refused: ${refused}`);
      const now = new Date();
      const body = JSON.stringify(m.json ?? defaultBody(m, now));
      try {
        const res = await request(m.to, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Warden-Webhooks/1',
            ...webhookHeaders(key, m.id, body, now),
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const { text } = await readLimited(res.body, maxBytes);
        const answer = { status: res.statusCode, body: shortBody(text) };
        return classifyWebhookStatus(res.statusCode, answer, parseRetryAfter(res.headers['retry-after']));
      } catch (err) {
        const blocked = blockedReason(err);
        if (blocked) return permanent(`webhook destination refused: ${blocked}`);
        return transient(networkReason(err));
      }
    },

    async close(): Promise<void> {
      await agent.close();
    },
  };
}
