import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DecryptionError,
  type DecryptionFailure,
  decryptField,
  derivePrivacyKeys,
  encryptField,
  newDataKey,
  PersonCipher,
  unwrapDataKey,
  wrapDataKey,
} from '../../src/domain/privacy/index.ts';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const { kek } = derivePrivacyKeys(SECRET);
const otherKek = derivePrivacyKeys('another-secret-that-is-long-enough-9876543210').kek;

function failsWith(reason: DecryptionFailure, fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DecryptionError);
  expect((caught as DecryptionError).reason).toBe(reason);
}

/** Flips one bit of the decoded part `index` (1 = nonce, 2 = ciphertext+tag) of a sealed value. */
function flipBit(sealed: string, index: 1 | 2, byte = 0): string {
  const parts = sealed.split('.');
  const buf = Buffer.from(parts[index]!, 'base64url');
  buf[byte]! ^= 0x01;
  parts[index] = buf.toString('base64url');
  return parts.join('.');
}

describe('envelope encryption', () => {
  it('round-trips fields, including empty and non-Latin text', () => {
    const dek = newDataKey();
    for (const text of ['', 'Layla Hassan', 'ليلى حسن', '😀 +964 780 123 4567', 'x'.repeat(10_000)]) {
      const ct = encryptField(dek, 'p1', 'name', text);
      expect(ct).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(decryptField(dek, 'p1', 'name', ct)).toBe(text);
    }
  });

  it('uses a fresh nonce each time, so equal values do not look equal', () => {
    const dek = newDataKey();
    const a = encryptField(dek, 'p1', 'email', 'a@b.org');
    const b = encryptField(dek, 'p1', 'email', 'a@b.org');
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('binds a ciphertext to its person and field', () => {
    const dek = newDataKey();
    const ct = encryptField(dek, 'person-1', 'email', 'layla@example.org');
    failsWith('authentication_failed', () => decryptField(dek, 'person-2', 'email', ct));
    failsWith('authentication_failed', () => decryptField(dek, 'person-1', 'phone', ct));
    // A separator in the id must not let ('a|b', c) pose as ('a', 'b|c').
    const tricky = encryptField(dek, 'a","email', 'name', 'x');
    failsWith('authentication_failed', () => decryptField(dek, 'a', 'name', tricky));
  });

  it('refuses a tampered nonce, body or tag, and a wrong data key', () => {
    const dek = newDataKey();
    const ct = encryptField(dek, 'p1', 'phone', '+9647801234567');
    const bodyLength = Buffer.from(ct.split('.')[2]!, 'base64url').length;
    failsWith('authentication_failed', () => decryptField(dek, 'p1', 'phone', flipBit(ct, 1)));
    failsWith('authentication_failed', () => decryptField(dek, 'p1', 'phone', flipBit(ct, 2)));
    failsWith('authentication_failed', () =>
      decryptField(dek, 'p1', 'phone', flipBit(ct, 2, bodyLength - 1)),
    );
    failsWith('authentication_failed', () => decryptField(newDataKey(), 'p1', 'phone', ct));
  });

  it('tells malformed and unknown-version values apart from forgeries', () => {
    const dek = newDataKey();
    const ct = encryptField(dek, 'p1', 'name', 'x');
    failsWith('unsupported_version', () => decryptField(dek, 'p1', 'name', ct.replace(/^v1/, 'v9')));
    for (const bad of [
      '',
      'v1',
      'v1..',
      'v1.abc.def',
      `${ct}.x`,
      'v1.!!!!!!!!!!!!!!!!.AAAA',
      ct.slice(0, 30),
    ]) {
      failsWith('malformed', () => decryptField(dek, 'p1', 'name', bad));
    }
  });

  it('wraps a data key that only the same KEK and person can unwrap', () => {
    const dek = newDataKey();
    const wrapped = wrapDataKey(kek, 'p1', dek);
    expect(unwrapDataKey(kek, 'p1', wrapped).equals(dek)).toBe(true);
    // Same secret -> same KEK: a restart can still read yesterday's keys.
    expect(unwrapDataKey(derivePrivacyKeys(SECRET).kek, 'p1', wrapped).equals(dek)).toBe(true);
    failsWith('authentication_failed', () => unwrapDataKey(otherKek, 'p1', wrapped));
    failsWith('authentication_failed', () => unwrapDataKey(kek, 'p2', wrapped));
    failsWith('authentication_failed', () => unwrapDataKey(kek, 'p1', flipBit(wrapped, 2)));
    // A field ciphertext is not a wrapped key even if someone stores it in the key column.
    const field = encryptField(kek, 'p1', 'name', 'x'.repeat(32));
    failsWith('authentication_failed', () => unwrapDataKey(kek, 'p1', field));
  });

  it('refuses keys of the wrong size and an empty person id', () => {
    expect(() => encryptField(randomBytes(16), 'p1', 'name', 'x')).toThrow(RangeError);
    expect(() => wrapDataKey(kek, 'p1', randomBytes(31))).toThrow(RangeError);
    expect(() => encryptField(newDataKey(), '', 'name', 'x')).toThrow(RangeError);
  });
});

describe('PersonCipher', () => {
  it('creates, stores and reopens a person', () => {
    const { cipher, wrappedKey } = PersonCipher.create(kek, 'p-42');
    const row = cipher.encryptFields({ name: 'Sam Doe', email: 'sam@example.org', phone: null });
    expect(row.phone).toBeNull();
    expect(row.name).not.toContain('Sam');
    expect('address' in row).toBe(false);

    const reopened = PersonCipher.open(kek, 'p-42', wrappedKey);
    expect(reopened.decryptFields(row)).toEqual({ name: 'Sam Doe', email: 'sam@example.org', phone: null });
    expect(reopened.decrypt('email', cipher.encrypt('email', 'x@y.org'))).toBe('x@y.org');
  });

  it('keeps the data key out of logs and JSON', () => {
    const { cipher } = PersonCipher.create(kek, 'p-1');
    expect(JSON.stringify(cipher)).toBe('{"personId":"p-1"}');
    expect(Object.keys(cipher)).toEqual(['personId']);
  });

  it('rewraps under a new KEK without touching the field ciphertexts', () => {
    const { cipher } = PersonCipher.create(kek, 'p-1');
    const ct = cipher.encrypt('name', 'Sam');
    const rewrapped = cipher.rewrap(otherKek);
    expect(PersonCipher.open(otherKek, 'p-1', rewrapped).decrypt('name', ct)).toBe('Sam');
    failsWith('authentication_failed', () => PersonCipher.open(kek, 'p-1', rewrapped));
  });

  it('crypto-shredding: once the wrapped key is gone, no copy of the data decrypts', () => {
    // The person rows are copied into a backup; the wrapped keys live apart (see index.ts).
    const keyTable = new Map<string, string>();
    const { cipher, wrappedKey } = PersonCipher.create(kek, 'p-erase');
    keyTable.set('p-erase', wrappedKey);
    const live = cipher.encryptFields({ name: 'Erase Me', email: 'erase@example.org' });
    const backup = structuredClone(live);
    const open = (): PersonCipher => PersonCipher.open(kek, 'p-erase', keyTable.get('p-erase') ?? '');
    expect(open().decryptFields(backup)).toEqual({ name: 'Erase Me', email: 'erase@example.org' });

    keyTable.delete('p-erase'); // the erasure

    failsWith('malformed', open);
    for (const copy of [live, backup]) {
      for (const field of ['name', 'email'] as const) {
        // Neither the KEK (which survives) nor any other key opens the data.
        failsWith('authentication_failed', () => decryptField(kek, 'p-erase', field, copy[field]!));
        failsWith('authentication_failed', () => decryptField(newDataKey(), 'p-erase', field, copy[field]!));
      }
    }
    // Re-enrolling the same person id makes a new key, which does not open the old data either.
    const again = PersonCipher.create(kek, 'p-erase').cipher;
    failsWith('authentication_failed', () => again.decrypt('name', backup.name!));
  });
});
