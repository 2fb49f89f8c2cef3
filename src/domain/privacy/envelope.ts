import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import type { PiiField } from './fields.ts';

/**
 * Envelope encryption of personal data. Each person has a random data key (DEK); their fields
 * are sealed with it, and the DEK itself is stored sealed ("wrapped") by the key-encryption key
 * (KEK). Rotating the KEK re-wraps one small DEK per person instead of re-encrypting every
 * field, and deleting a person's wrapped DEK makes all their ciphertext unreadable at once.
 *
 * Sealed format: `v1.<nonce>.<ciphertext+tag>`, both base64url; v1 = AES-256-GCM, 96-bit random
 * nonce, 128-bit tag. The version leads so a later algorithm or KEK can live beside this one.
 */

const VERSION = 'v1';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]+$/;

export type DecryptionFailure = 'malformed' | 'unsupported_version' | 'authentication_failed';

/**
 * A sealed value that cannot be opened. `authentication_failed` covers a wrong key, a changed
 * byte, and a ciphertext moved to another person or field: GCM cannot tell these apart, and an
 * attacker should not learn which it was either.
 */
export class DecryptionError extends Error {
  constructor(
    readonly reason: DecryptionFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DecryptionError';
  }
}

function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`${what} must be ${KEY_BYTES} bytes`);
}

function assertPersonId(personId: string): void {
  if (personId === '') throw new RangeError('personId must not be empty');
}

// JSON arrays are unambiguous: no choice of id can make two different (id, field) pairs collide,
// which a plain separator ('a|b' + 'c' vs 'a' + 'b|c') would allow.
const dekAad = (personId: string): string => JSON.stringify(['warden/dek', VERSION, personId]);
const fieldAad = (personId: string, field: string): string =>
  JSON.stringify(['warden/field', VERSION, personId, field]);

// Sealing writes the same texts from parts (JSON.stringify joins array items with bare commas):
// a head with the person's quoted id, then the field. A person's fields are sealed one after
// another, so the last head is kept and the id is stringified once a person, not once a field.
// Opening uses the forms above, so every round trip checks one against the other.
const DEK_HEAD = `${JSON.stringify(['warden/dek', VERSION]).slice(0, -1)},`;
const FIELD_HEAD = `${JSON.stringify(['warden/field', VERSION]).slice(0, -1)},`;
const dekAadText = (personId: string): string => `${DEK_HEAD}${JSON.stringify(personId)}]`;
let lastPersonId = '';
let lastFieldHead = '';

/** fieldAad(personId, field) up to the field. */
function fieldAadHead(personId: string): string {
  if (personId !== lastPersonId) {
    lastFieldHead = FIELD_HEAD + JSON.stringify(personId);
    lastPersonId = personId;
  }
  return lastFieldHead;
}

const fieldAadTails = new Map<string, string>();
function fieldAadTail(field: string): string {
  let tail = fieldAadTails.get(field);
  if (tail === undefined) {
    tail = `,${JSON.stringify(field)}]`;
    fieldAadTails.set(field, tail);
  }
  return tail;
}

// Nonces are cut from a pooled CSPRNG buffer: one randomBytes() call per 12-byte nonce cost about
// a quarter of a whole seal in bulk imports. Each slice is used once, before the pool refills.
// The slices are views made once and kept (a view is ~100 bytes of garbage a seal otherwise): a
// refill puts new random bytes under every view, and the cipher copies its nonce when created.
const NONCES = 1024;
const noncePool = Buffer.alloc(NONCE_BYTES * NONCES);
const nonceViews: Buffer[] = [];
let nonceAt = NONCES;

function freshNonce(): Buffer {
  if (nonceAt === NONCES) {
    randomFillSync(noncePool);
    nonceAt = 0;
  }
  const at = nonceAt++;
  let nonce = nonceViews[at];
  if (nonce === undefined) {
    nonce = noncePool.subarray(at * NONCE_BYTES, (at + 1) * NONCE_BYTES);
    nonceViews[at] = nonce;
  }
  return nonce;
}

const GCM_OPTIONS = { authTagLength: TAG_BYTES };
// The AAD bytes, and the ciphertext and tag, of one seal are laid out in these and used from them
// (seal() is synchronous; setAAD() reads its bytes at once), a longer value in a buffer of its
// own. A Buffer.from() and a Buffer.concat() per seal used up Node's 8 KB buffer pool every few
// dozen seals, and making new pools was ~2-3% of a bulk import. The views of aadBytes are kept
// per length, like the nonce views.
const aadBytes = Buffer.alloc(1024);
const aadViews: Buffer[] = [];
const packing = Buffer.alloc(4096);
// The head last written at the start of aadBytes, and its length in bytes.
let writtenHead = '';
let writtenHeadBytes = 0;

/** The UTF-8 bytes of head + tail, valid until the next call. */
function aadOf(head: string, tail: string): Buffer {
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so a text this short always fits whole.
  if ((head.length + tail.length) * 3 > aadBytes.length) return Buffer.from(head + tail, 'utf8');
  if (head !== writtenHead) {
    writtenHeadBytes = aadBytes.write(head, 0, 'utf8');
    writtenHead = head;
  }
  const length = writtenHeadBytes + aadBytes.write(tail, writtenHeadBytes, 'utf8');
  let view = aadViews[length];
  if (view === undefined) {
    view = aadBytes.subarray(0, length);
    aadViews[length] = view;
  }
  return view;
}

/**
 * The plaintext goes to the cipher as a string and the body is encoded from a reused buffer, which
 * makes less garbage per seal than a Buffer each for the plaintext and AAD, a concat and two
 * encodings (figures: docs/performance-history.md). The output is the same byte for byte.
 */
function seal(key: Buffer, aadHead: string, aadTail: string, plaintext: string | Buffer): string {
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce, GCM_OPTIONS);
  cipher.setAAD(aadOf(aadHead, aadTail));
  const text = typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext);
  // GCM is a stream mode: final() adds no bytes, it only computes the tag.
  cipher.final();
  const tag = cipher.getAuthTag();
  const length = text.length + TAG_BYTES;
  const body = length <= packing.length ? packing : Buffer.allocUnsafe(length);
  text.copy(body, 0);
  tag.copy(body, text.length);
  return `${VERSION}.${nonce.toString('base64url')}.${body.toString('base64url', 0, length)}`;
}

function open(key: Buffer, aad: string, sealed: string): Buffer {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  if (parts.length !== 3) throw new DecryptionError('malformed', 'not a sealed value');
  const [version, nonceText, bodyText] = parts as [string, string, string];
  if (version !== VERSION) {
    throw new DecryptionError('unsupported_version', `sealed with unknown version "${version.slice(0, 8)}"`);
  }
  if (!B64URL.test(nonceText) || !B64URL.test(bodyText)) {
    throw new DecryptionError('malformed', 'sealed value is not base64url');
  }
  const nonce = Buffer.from(nonceText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) {
    throw new DecryptionError('malformed', 'sealed value has the wrong length');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError('authentication_failed', 'sealed value failed authentication');
  }
}

// Data keys likewise: one randomBytes() call per person cost about as much as two seals in bulk
// imports. Each key is copied out of the pool (the pool is refilled, never reused) into a buffer
// of its own, so no key shares memory with another.
const keyPool = Buffer.alloc(KEY_BYTES * 256);
let keyPoolAt = keyPool.length;

/** A fresh random 256-bit data key for one person. Never store it unwrapped. */
export function newDataKey(): Buffer {
  if (keyPoolAt + KEY_BYTES > keyPool.length) {
    randomFillSync(keyPool);
    keyPoolAt = 0;
  }
  const key = Buffer.alloc(KEY_BYTES);
  keyPool.copy(key, 0, keyPoolAt, keyPoolAt + KEY_BYTES);
  // Wiped once copied: the pool never holds a key that is in use.
  keyPool.fill(0, keyPoolAt, keyPoolAt + KEY_BYTES);
  keyPoolAt += KEY_BYTES;
  return key;
}

/** Seals a person's DEK under the KEK; the result is what the store keeps. */
export function wrapDataKey(kek: Buffer, personId: string, dek: Buffer): string {
  assertKey(kek, 'KEK');
  assertKey(dek, 'data key');
  assertPersonId(personId);
  return seal(kek, dekAadText(personId), '', dek);
}

/** Opens a wrapped DEK; throws DecryptionError for another person's key, another KEK or tampering. */
export function unwrapDataKey(kek: Buffer, personId: string, wrapped: string): Buffer {
  assertKey(kek, 'KEK');
  assertPersonId(personId);
  const dek = open(kek, dekAad(personId), wrapped);
  if (dek.length !== KEY_BYTES) throw new DecryptionError('malformed', 'wrapped key has the wrong length');
  return dek;
}

/** Seals one field of one person; each call uses a new nonce, so equal values look different. */
export function encryptField(dek: Buffer, personId: string, field: PiiField, plaintext: string): string {
  assertKey(dek, 'data key');
  assertPersonId(personId);
  return seal(dek, fieldAadHead(personId), fieldAadTail(field), plaintext);
}

/** Opens a field sealed by encryptField() for the same person and field name. */
export function decryptField(dek: Buffer, personId: string, field: PiiField, ciphertext: string): string {
  assertKey(dek, 'data key');
  assertPersonId(personId);
  return open(dek, fieldAad(personId, field), ciphertext).toString('utf8');
}
