/**
 * Personal-data protection: pure functions, no I/O. The store keeps only what these return.
 *
 * Keys — `derivePrivacyKeys(secret)` -> `{ kek, blindIndex, tokens }`, each an HKDF key of
 * WARDEN_SECRET_KEY for one purpose ('kek/v1', 'blind-index/v1', 'tokens/v1').
 *
 * Envelope encryption (AES-256-GCM, sealed strings `v1.<nonce>.<ciphertext+tag>`):
 *   newDataKey()                                   -> 32 random bytes, one per person
 *   wrapDataKey(kek, personId, dek)                -> string to store with the person
 *   unwrapDataKey(kek, personId, wrapped)          -> dek
 *   encryptField(dek, personId, field, plaintext)  -> string
 *   decryptField(dek, personId, field, ciphertext) -> plaintext
 *   PersonCipher.create(kek, id) / .open(kek, id, wrapped); .encrypt/.decrypt(field, v);
 *     .encryptFields/.decryptFields(record); .rewrap(newKek)
 * Each ciphertext is bound to its person id and field name (GCM associated data): moved to
 * another person or field it fails, as do tampering and a wrong key, with DecryptionError
 * (reason 'malformed' | 'unsupported_version' | 'authentication_failed') — never garbage.
 * `field` is a PiiField: only names in PII_FIELDS can be encrypted, and person ids and field
 * names are bound forever (renaming either means re-encrypting).
 *
 * Crypto-shredding: delete the person's wrapped key, and every copy of their ciphertext is
 * noise. Caveat for operations: that holds for a backup only if the backup does not also hold
 * the wrapped key while WARDEN_SECRET_KEY still exists; keep wrapped keys where their backups
 * expire quickly, or their deletion is undone by a restore. Delete the blind-index rows too.
 *
 * Lookups without decrypting — `blindIndex(key, 'email' | 'phone', value, { defaultCountry })`
 *   -> hex HMAC-SHA256 of the normalised value, or null when the value is not valid.
 *
 * Contacts — `normalizeEmail(s)` -> lower-cased address or null; `normalizePhone(s, country?)`
 *   -> E.164 or null; `phoneCountry(e164)` -> ISO alpha-2 region or null.
 *
 * Tokens — `signToken(key, { sub, purpose, exp, ...claims })` -> string;
 *   `verifyToken(key, token, purpose, now)` -> claims, or throws TokenError (a WardenError
 *   'invalid_token', reason 'expired' | 'invalid'); `expiresIn(now, seconds)` -> exp;
 *   `numericCode(digits = 6)` -> random decimal code for SMS.
 *
 * `PII_FIELDS` lists the personal fields (for typing the above and for log redaction).
 */
export { type BlindIndexKind, blindIndex, blindIndexOfNormal } from './blind-index.ts';
export { normalizeEmail, normalizePhone, phoneCountry } from './contact.ts';
export {
  DecryptionError,
  type DecryptionFailure,
  decryptField,
  encryptField,
  newDataKey,
  unwrapDataKey,
  wrapDataKey,
} from './envelope.ts';
export { isPiiField, PII_FIELDS, type PiiField } from './fields.ts';
export { derivePrivacyKeys, type PrivacyKeys } from './keys.ts';
export { PersonCipher, type PersonFields } from './person-cipher.ts';
export {
  expiresIn,
  type JsonValue,
  numericCode,
  signToken,
  type TokenClaims,
  TokenError,
  type TokenFailure,
  verifyToken,
} from './tokens.ts';
