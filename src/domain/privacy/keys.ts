import { deriveKey } from '../crypto.ts';

/** The keys personal-data protection needs, each derived for one purpose from WARDEN_SECRET_KEY. */
export interface PrivacyKeys {
  /** Wraps each person's data key (envelope encryption). */
  readonly kek: Buffer;
  /** Keys the blind indexes of emails and phone numbers. */
  readonly blindIndex: Buffer;
  /** Signs magic-link and verification tokens. */
  readonly tokens: Buffer;
}

/**
 * Separate keys so that a leak of one (say the token key, which signs what leaves the building)
 * says nothing about the others. The `/v1` in each label is the hook for rotation: a new label
 * gives a new key, and what was written under the old one names its version.
 */
export function derivePrivacyKeys(secret: string): PrivacyKeys {
  if (secret.length < 32) throw new RangeError('the secret key must be at least 32 characters');
  return Object.freeze({
    kek: deriveKey(secret, 'kek/v1'),
    blindIndex: deriveKey(secret, 'blind-index/v1'),
    tokens: deriveKey(secret, 'tokens/v1'),
  });
}
