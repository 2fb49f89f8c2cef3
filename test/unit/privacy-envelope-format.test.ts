import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DecryptionError,
  decryptField,
  encryptField,
  newDataKey,
  PersonCipher,
  type PiiField,
  unwrapDataKey,
  wrapDataKey,
} from '../../src/domain/privacy/index.ts';

/*
 * seal() packs its output from reused buffers and writes its associated data from parts. These
 * tests hold it to the v1 format as first written: a reader and a writer kept here, made the
 * plain way (JSON.stringify AAD, Buffer.concat), must open what it seals and be opened by it.
 */

const fieldAad = (id: string, field: string) => JSON.stringify(['warden/field', 'v1', id, field]);
const dekAad = (id: string) => JSON.stringify(['warden/dek', 'v1', id]);

function referenceSeal(key: Buffer, aad: string, plaintext: Buffer): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const text = cipher.update(plaintext);
  cipher.final();
  const body = Buffer.concat([text, cipher.getAuthTag()]);
  return `v1.${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

function referenceOpen(key: Buffer, aad: string, sealed: string): Buffer {
  const [version, nonceText, bodyText] = sealed.split('.') as [string, string, string];
  expect(version).toBe('v1');
  const nonce = Buffer.from(nonceText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  expect(nonce.length).toBe(12);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
}

const IDS = [
  '0190f2a4-5b6c-7d8e-9f01-23456789abcd',
  'id "with" \\ quotes',
  'ünïcødé-id-名前',
  // Longer than the AAD scratch buffer holds: the unpooled path.
  'x'.repeat(400),
];
const FIELDS: PiiField[] = ['name', 'email', 'phone', 'emergencyContactName', 'emergencyContactPhone'];
const VALUES = [
  '',
  'a',
  'ab',
  'abc',
  'Zainab Al-Rashid',
  'ünïcødé 名前 😀',
  // A lone surrogate is sealed as U+FFFD, as Buffer.from() encoded it.
  'lone \ud800 surrogate',
  // Longer than the packing buffer: the unpooled path.
  'y'.repeat(5000),
];
const SEALED = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/;

describe('the v1 sealed format', () => {
  it('seals fields that the original reader opens, and opens what the original writer sealed', () => {
    for (const id of IDS) {
      const dek = newDataKey();
      for (const field of FIELDS) {
        for (const value of VALUES) {
          const expected = Buffer.from(value, 'utf8');
          const sealed = encryptField(dek, id, field, value);
          expect(sealed).toMatch(SEALED);
          expect(referenceOpen(dek, fieldAad(id, field), sealed)).toEqual(expected);
          const old = referenceSeal(dek, fieldAad(id, field), expected);
          expect(decryptField(dek, id, field, old)).toBe(expected.toString('utf8'));
        }
      }
    }
  });

  it('wraps data keys that the original reader unwraps, and the other way round', () => {
    const kek = randomBytes(32);
    for (const id of IDS) {
      const dek = newDataKey();
      expect(referenceOpen(kek, dekAad(id), wrapDataKey(kek, id, dek))).toEqual(dek);
      expect(unwrapDataKey(kek, id, referenceSeal(kek, dekAad(id), dek))).toEqual(dek);
    }
  });

  it("binds each person's fields to that person when seals of several people interleave", () => {
    const kek = randomBytes(32);
    const people = IDS.map((id) => ({ id, ...PersonCipher.create(kek, id) }));
    const sealed: Array<{ id: string; field: PiiField; value: string; text: string }> = [];
    for (const field of FIELDS) {
      for (const p of people) {
        const value = `${p.id.slice(0, 8)} ${field}`;
        sealed.push({ id: p.id, field, value, text: p.cipher.encrypt(field, value) });
      }
    }
    for (const s of sealed) {
      const dek = unwrapDataKey(kek, s.id, people.find((p) => p.id === s.id)!.wrappedKey);
      expect(referenceOpen(dek, fieldAad(s.id, s.field), s.text).toString('utf8')).toBe(s.value);
      const other = IDS.find((id) => id !== s.id)!;
      expect(() => decryptField(dek, other, s.field, s.text)).toThrow(DecryptionError);
    }
  });

  it('never repeats a nonce, across refills of the nonce pool', () => {
    const dek = newDataKey();
    const nonces = new Set<string>();
    for (let i = 0; i < 3000; i++) nonces.add(encryptField(dek, IDS[0]!, 'name', 'same').split('.')[1]!);
    expect(nonces.size).toBe(3000);
  });
});
