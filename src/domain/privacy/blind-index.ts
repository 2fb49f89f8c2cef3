import { hmacHex } from '../crypto.ts';
import { normalizeEmail, normalizePhone } from './contact.ts';

export type BlindIndexKind = 'email' | 'phone';

/**
 * A deterministic keyed hash of a contact, so "is this email already enrolled?" and "whose phone
 * answered?" are equality lookups on a column while the contact itself stays encrypted.
 *
 * The value is normalised first (normalizeEmail / normalizePhone), so ' A@B.org ' and 'a@b.org'
 * index the same. The kind is hashed in, so an email and a phone never share an index value.
 * Returns null when the value is not a valid contact of that kind: there is nothing to look up.
 *
 * Anyone holding the key can test a guess (phone numbers are few enough to enumerate), so the
 * key stays server-side, and erasing a person means deleting their index rows too: a
 * crypto-shredded person must not stay findable by their email.
 */
export function blindIndex(
  key: Buffer,
  kind: BlindIndexKind,
  value: string,
  opts: { defaultCountry?: string } = {},
): string | null {
  if (key.length < 32) throw new RangeError('blind index key must be at least 32 bytes');
  const normal = normalizeContact(kind, value, opts.defaultCountry);
  return normal === null ? null : blindIndexOfNormal(key, kind, normal);
}

/**
 * blindIndex() of a value already in its normal form (what normalizeEmail/normalizePhone
 * returned), without normalising it again: bulk imports check each contact once.
 */
export function blindIndexOfNormal(key: Buffer, kind: BlindIndexKind, normal: string): string {
  if (key.length < 32) throw new RangeError('blind index key must be at least 32 bytes');
  return hmacHex(key, `${kind}:${normal}`);
}

function normalizeContact(kind: BlindIndexKind, value: string, defaultCountry?: string): string | null {
  switch (kind) {
    case 'email':
      return normalizeEmail(value);
    case 'phone':
      return normalizePhone(value, defaultCountry);
    default: {
      const never: never = kind;
      throw new TypeError(`unknown blind index kind ${String(never)}`);
    }
  }
}
