/**
 * The personal fields Warden stores encrypted, one name per value a person gives us.
 *
 * Two uses keep this list honest: encryptField()/PersonCipher accept only these names (so every
 * encrypted value is on the list), and the logger can redact the same names. A field name is
 * bound into each ciphertext as associated data, so a name is forever: add new names, never
 * rename one without re-encrypting what was stored under it.
 */
export const PII_FIELDS = [
  'name',
  'email',
  'phone',
  'dateOfBirth',
  'address',
  'passportNumber',
  'emergencyContactName',
  'emergencyContactRelation',
  'emergencyContactEmail',
  'emergencyContactPhone',
  // A traveller's own webhook URL (migration 0012 sealed the plaintext ones).
  'webhookUrl',
  // A traveller's check-in answer: their note and the location they shared (migration 0019).
  'checkinNote',
  'checkinLocation',
] as const;

export type PiiField = (typeof PII_FIELDS)[number];

const KNOWN: ReadonlySet<string> = new Set(PII_FIELDS);

/** Runtime guard for names that arrive untyped (CSV headers, JSON keys). */
export const isPiiField = (name: string): name is PiiField => KNOWN.has(name);
