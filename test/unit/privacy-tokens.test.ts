import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WardenError } from '../../src/domain/errors.ts';
import {
  derivePrivacyKeys,
  expiresIn,
  numericCode,
  signToken,
  type TokenClaims,
  TokenError,
  type TokenFailure,
  verifyToken,
} from '../../src/domain/privacy/index.ts';

const key = derivePrivacyKeys('a-test-secret-that-is-long-enough-0123456789').tokens;
const otherKey = derivePrivacyKeys('another-secret-that-is-long-enough-9876543210').tokens;
const now = new Date('2026-03-01T12:00:00Z');
const claims: TokenClaims = { sub: 'person-7', purpose: 'verify-email', exp: expiresIn(now, 900), ver: 2 };

function rejects(reason: TokenFailure, fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(TokenError);
  expect(caught).toBeInstanceOf(WardenError);
  expect((caught as TokenError).reason).toBe(reason);
  expect((caught as TokenError).code).toBe('invalid_token');
}

describe('signed tokens', () => {
  it('verifies a genuine token and returns its claims', () => {
    const token = signToken(key, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyToken(key, token, 'verify-email', now)).toEqual(claims);
    // Valid up to the last second before exp.
    expect(verifyToken(key, token, 'verify-email', new Date((claims.exp - 1) * 1000)).sub).toBe('person-7');
  });

  it('reports expiry only for a genuine token', () => {
    const token = signToken(key, claims);
    rejects('expired', () => verifyToken(key, token, 'verify-email', new Date(claims.exp * 1000)));
    const forgedOld = signToken(otherKey, { ...claims, exp: expiresIn(now, -60) });
    rejects('invalid', () => verifyToken(key, forgedOld, 'verify-email', now));
  });

  it('binds the purpose: a verification token is not a manage link', () => {
    const token = signToken(key, claims);
    rejects('invalid', () => verifyToken(key, token, 'manage', now));
  });

  it('refuses a token signed with another key', () => {
    rejects('invalid', () => verifyToken(otherKey, signToken(key, claims), 'verify-email', now));
  });

  it('refuses tampered claims even with a recomputed plain HMAC', () => {
    const [body, sig] = signToken(key, claims).split('.') as [string, string];
    const changed = Buffer.from(JSON.stringify({ ...claims, sub: 'person-8' }), 'utf8').toString('base64url');
    rejects('invalid', () => verifyToken(key, `${changed}.${sig}`, 'verify-email', now));
    // An HMAC without the domain label (as another part of Warden might compute) is not accepted.
    const plain = createHmac('sha256', key).update(changed).digest('base64url');
    rejects('invalid', () => verifyToken(key, `${changed}.${plain}`, 'verify-email', now));
    for (const bad of ['', '.', body, `${body}.`, `${body}.${sig}.x`, `${body}.${sig}=`, 'x'.repeat(5000)]) {
      rejects('invalid', () => verifyToken(key, bad, 'verify-email', now));
    }
  });

  it('never accepts a token with any one character changed (property)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31; // deterministic, so a failure reproduces
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const c: TokenClaims = {
        sub: `p-${rand(1e6)}`,
        purpose: 'manage',
        exp: expiresIn(now, 60 + rand(1e5)),
      };
      const token = signToken(key, c);
      expect(verifyToken(key, token, 'manage', now)).toEqual(c);
      const at = rand(token.length);
      const ch = alphabet[rand(alphabet.length)]!;
      if (ch === token[at]) continue;
      const mutated = token.slice(0, at) + ch + token.slice(at + 1);
      // Signatures are compared as text, so even a change to the unused low bits of the last
      // base64url character (which decodes to the same bytes) is refused.
      rejects('invalid', () => verifyToken(key, mutated, 'manage', now));
    }
  });

  it('refuses to sign malformed claims', () => {
    expect(() => signToken(key, { ...claims, sub: '' })).toThrow(TypeError);
    expect(() => signToken(key, { ...claims, purpose: 'Bad Purpose' })).toThrow(TypeError);
    expect(() => signToken(key, { ...claims, exp: 1.5 })).toThrow(TypeError);
    expect(() => signToken(Buffer.alloc(16), claims)).toThrow(RangeError);
  });
});

describe('numericCode', () => {
  it('gives zero-padded decimal codes of the asked length', () => {
    expect(numericCode()).toMatch(/^[0-9]{6}$/);
    expect(numericCode(8)).toMatch(/^[0-9]{8}$/);
    expect(() => numericCode(3)).toThrow(RangeError);
    expect(() => numericCode(13)).toThrow(RangeError);
  });

  it('covers the whole range roughly uniformly', () => {
    const counts = new Array<number>(10).fill(0);
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const code = numericCode(4);
      seen.add(code);
      for (const d of code) counts[Number(d)]!++;
    }
    // 20000 digits: each of 10 digits expected 2000 times; 1700-2300 is > 6 standard deviations.
    for (const n of counts) expect(n).toBeGreaterThan(1700);
    for (const n of counts) expect(n).toBeLessThan(2300);
    expect(seen.size).toBeGreaterThan(3500); // about 3935 distinct codes expected
  });
});
