import { createHmac, randomInt } from 'node:crypto';
import { safeEqual } from '../crypto.ts';
import { WardenError } from '../errors.ts';

/*
 * Signed, expiring, purpose-bound tokens for magic links and contact verification:
 * `<base64url(JSON claims)>.<base64url(HMAC-SHA256)>`. Stateless, so they cannot be revoked one
 * by one: keep them short-lived, and for a link that acts (confirm, unsubscribe, manage) put a
 * state claim in them (say the contact's verification version) that the action checks and moves
 * on, which makes each link work once.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface TokenClaims {
  /** Whom the token is about (a person or enrolment id). */
  sub: string;
  /** What the token may be used for; verifyToken() refuses any other use. */
  purpose: string;
  /** Expiry, in seconds since the Unix epoch (as in JWT). */
  exp: number;
  [claim: string]: JsonValue;
}

export type TokenFailure = 'invalid' | 'expired';

/**
 * A token that must not be honoured. `expired` is reported only for a genuine token (the
 * signature is checked first), so the page can offer "send me a new link"; everything else is
 * `invalid` and says nothing about why.
 */
export class TokenError extends WardenError {
  constructor(readonly reason: TokenFailure) {
    super('invalid_token', reason === 'expired' ? 'The link has expired.' : 'The link is not valid.', {
      reason,
    });
    this.name = 'TokenError';
  }
}

const MAX_TOKEN = 4096;
const PURPOSE = /^[a-z][a-z0-9_.:-]{0,63}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

// The label separates these MACs from any other HMAC made with a key derived from the same secret.
const mac = (key: Buffer, body: string): string =>
  createHmac('sha256', key).update(`warden-token/v1.${body}`).digest('base64url');

function assertKey(key: Buffer): void {
  if (key.length < 32) throw new RangeError('token key must be at least 32 bytes');
}

/** Seconds-since-epoch expiry `seconds` from `now`, for the `exp` claim. */
export const expiresIn = (now: Date, seconds: number): number => Math.floor(now.getTime() / 1000) + seconds;

export function signToken(key: Buffer, claims: TokenClaims): string {
  assertKey(key);
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new TypeError('token sub must be a string');
  if (!PURPOSE.test(claims.purpose)) throw new TypeError(`token purpose "${claims.purpose}" is not valid`);
  if (!Number.isSafeInteger(claims.exp)) throw new TypeError('token exp must be whole seconds');
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The claims of a genuine, unexpired token for `purpose`; otherwise throws TokenError. */
export function verifyToken(key: Buffer, token: string, purpose: string, now: Date): TokenClaims {
  assertKey(key);
  if (typeof token !== 'string' || token.length > MAX_TOKEN) throw new TokenError('invalid');
  const parts = token.split('.');
  if (parts.length !== 2) throw new TokenError('invalid');
  const [body, signature] = parts as [string, string];
  if (!B64URL.test(body) || !safeEqual(mac(key, body), signature)) throw new TokenError('invalid');

  const claims = parseClaims(body);
  if (!claims || claims.purpose !== purpose) throw new TokenError('invalid');
  if (now.getTime() >= claims.exp * 1000) throw new TokenError('expired');
  return claims;
}

function parseClaims(body: string): TokenClaims | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const c = value as Record<string, unknown>;
  const ok = typeof c.sub === 'string' && typeof c.purpose === 'string' && Number.isSafeInteger(c.exp);
  return ok ? (c as TokenClaims) : null;
}

/**
 * A uniformly random numeric code for SMS verification (`042917`), from the CSPRNG. Six digits
 * is a million guesses: store it hashed, compare it with safeEqual, and cap the attempts.
 */
export function numericCode(digits = 6): string {
  if (!Number.isInteger(digits) || digits < 4 || digits > 12) throw new RangeError('digits must be 4-12');
  return randomInt(0, 10 ** digits)
    .toString()
    .padStart(digits, '0');
}
