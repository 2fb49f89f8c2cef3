import { decryptField, encryptField, newDataKey, unwrapDataKey, wrapDataKey } from './envelope.ts';
import type { PiiField } from './fields.ts';

/** Some of a person's fields; null stands for "not given" and passes through unchanged. */
export type PersonFields = Partial<Record<PiiField, string | null>>;

/**
 * One person's data key, opened for the length of a use case. Typical use:
 *
 *   const { cipher, wrappedKey } = PersonCipher.create(keys.kek, personId); // enrol: store wrappedKey
 *   const cipher = PersonCipher.open(keys.kek, personId, row.wrappedKey);   // later reads and writes
 *   cipher.decrypt('email', row.emailEnc);
 *
 * Crypto-shredding a person = deleting their wrapped key; open() then has nothing to open.
 */
export class PersonCipher {
  // An ES private field: the key is not enumerable, so logging or serialising a cipher by
  // mistake prints no key material.
  readonly #dek: Buffer;

  private constructor(
    readonly personId: string,
    dek: Buffer,
  ) {
    this.#dek = dek;
  }

  /** A new person: a fresh data key, and its wrapped form to store with the person. */
  static create(kek: Buffer, personId: string): { cipher: PersonCipher; wrappedKey: string } {
    const dek = newDataKey();
    const wrappedKey = wrapDataKey(kek, personId, dek);
    return { cipher: new PersonCipher(personId, dek), wrappedKey };
  }

  /** An existing person; throws DecryptionError if the wrapped key is not theirs or was altered. */
  static open(kek: Buffer, personId: string, wrappedKey: string): PersonCipher {
    return new PersonCipher(personId, unwrapDataKey(kek, personId, wrappedKey));
  }

  /** The same data key wrapped under another KEK: the whole of a KEK rotation for one person. */
  rewrap(newKek: Buffer): string {
    return wrapDataKey(newKek, this.personId, this.#dek);
  }

  encrypt(field: PiiField, plaintext: string): string {
    return encryptField(this.#dek, this.personId, field, plaintext);
  }

  decrypt(field: PiiField, ciphertext: string): string {
    return decryptField(this.#dek, this.personId, field, ciphertext);
  }

  /** Seals every present field of a record; null and undefined stay as they are. */
  encryptFields(values: PersonFields): PersonFields {
    return this.#map(values, (field, v) => this.encrypt(field, v));
  }

  /** Opens every present field of a record sealed by encryptFields(). */
  decryptFields(values: PersonFields): PersonFields {
    return this.#map(values, (field, v) => this.decrypt(field, v));
  }

  #map(values: PersonFields, fn: (field: PiiField, value: string) => string): PersonFields {
    const out: PersonFields = {};
    for (const [field, value] of Object.entries(values) as Array<[PiiField, string | null | undefined]>) {
      if (value === undefined) continue;
      out[field] = value === null ? null : fn(field, value);
    }
    return out;
  }
}
