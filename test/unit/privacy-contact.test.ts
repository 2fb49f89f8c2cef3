import { describe, expect, it } from 'vitest';
import {
  blindIndex,
  derivePrivacyKeys,
  normalizeEmail,
  normalizePhone,
  phoneCountry,
} from '../../src/domain/privacy/index.ts';

const keys = derivePrivacyKeys('a-test-secret-that-is-long-enough-0123456789');

describe('normalizeEmail', () => {
  it('trims and lower-cases, keeping dots and plus-tags', () => {
    expect(normalizeEmail('  Layla.Hassan+STEP@Example.ORG \n')).toBe('layla.hassan+step@example.org');
    expect(normalizeEmail("o'brien@mail.example.co.uk")).toBe("o'brien@mail.example.co.uk");
  });

  it('converts an internationalised domain to punycode', () => {
    expect(normalizeEmail('info@Bücher.de')).toBe('info@xn--bcher-kva.de');
  });

  it('refuses what is not a deliverable address', () => {
    const bad = [
      '',
      'plain',
      '@example.org',
      'a@',
      'a@@example.org',
      'a b@example.org',
      '.a@example.org',
      'a..b@example.org',
      'a.@example.org',
      '"quoted"@example.org',
      'a@localhost',
      'a@-example.org',
      'a@example-.org',
      'a@exa_mple.org',
      'a@1.2.3.4',
      'a@[127.0.0.1]',
      'ö@example.org',
      '\u212Aelvin@example.org', // the Kelvin sign lower-cases to an ASCII k
      `${'a'.repeat(65)}@example.org`,
      `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.org`,
    ];
    for (const s of bad) expect(normalizeEmail(s), s).toBeNull();
    expect(normalizeEmail(`${'a'.repeat(64)}@example.org`)).not.toBeNull();
  });
});

describe('normalizePhone', () => {
  it('reads Iraqi numbers in international, IDD and national form', () => {
    expect(normalizePhone('+964 780 123 4567')).toBe('+9647801234567');
    expect(normalizePhone('009647801234567', 'IQ')).toBe('+9647801234567');
    expect(normalizePhone('0780 123 4567', 'iq')).toBe('+9647801234567');
    expect(normalizePhone('+964 1 543 2100')).toBe('+96415432100'); // Baghdad landline
  });

  it('reads UK and US numbers', () => {
    expect(normalizePhone('+44 7400 123456')).toBe('+447400123456');
    expect(normalizePhone('07400 123456', 'GB')).toBe('+447400123456');
    expect(normalizePhone('+44 (0) 7400 123456')).toBe('+447400123456');
    expect(normalizePhone('(202) 555-0143', 'US')).toBe('+12025550143');
    expect(normalizePhone('+1 202-555-0143')).toBe('+12025550143');
    // The default country decides what "00" means: an exit code in GB, digits in the US.
    expect(normalizePhone('009647801234567', 'GB')).toBe('+9647801234567');
    expect(normalizePhone('009647801234567', 'US')).toBeNull();
  });

  it('refuses garbage, invalid numbers, national forms without a country, and extensions', () => {
    const bad: Array<[string, string?]> = [
      [''],
      ['   '],
      ['hello'],
      ['+'],
      ['07400 123456'], // national form, no default country
      ['07400 123456', 'XX'], // unknown default country is ignored, not guessed
      ['+964 780 123 456'], // one digit short
      ['+1 555 555 5555'], // no such US area code
      ['+44 7400 1234567'],
      ['call me on +44 7400 123456'],
      ['+44 7400 123456 ext. 12'],
      ['+44 7400 123456;'],
      ['1'.repeat(100)],
    ];
    for (const [s, c] of bad) expect(normalizePhone(s, c), `${s} ${c ?? ''}`).toBeNull();
  });

  it('names the calling region of a normalised number', () => {
    expect(phoneCountry('+9647801234567')).toBe('IQ');
    expect(phoneCountry('+447400123456')).toBe('GB');
    expect(phoneCountry('+12025550143')).toBe('US');
    expect(phoneCountry('+16847331234')).toBe('AS'); // +1 is shared: American Samoa
    expect(phoneCountry('+441534123456')).toBe('JE'); // +44 is shared: Jersey
    expect(phoneCountry('+447911123456')).toBe('GG'); // and a Guernsey mobile range
    expect(phoneCountry('+881612345678')).toBeNull(); // satellite, no country
    expect(phoneCountry('07911123456')).toBeNull();
    expect(phoneCountry('+44 7400 123456')).toBeNull(); // not E.164
  });
});

describe('blindIndex', () => {
  it('is equal for equivalent inputs', () => {
    const a = blindIndex(keys.blindIndex, 'email', ' A@B.org ');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(blindIndex(keys.blindIndex, 'email', 'a@b.org')).toBe(a);

    const p = blindIndex(keys.blindIndex, 'phone', '+964 780 123 4567');
    expect(blindIndex(keys.blindIndex, 'phone', '009647801234567', { defaultCountry: 'IQ' })).toBe(p);
    expect(blindIndex(keys.blindIndex, 'phone', '0780 123 4567', { defaultCountry: 'IQ' })).toBe(p);
  });

  it('differs for different values, kinds and keys', () => {
    const k = keys.blindIndex;
    expect(blindIndex(k, 'email', 'a.b@b.org')).not.toBe(blindIndex(k, 'email', 'ab@b.org'));
    expect(blindIndex(k, 'email', 'a+x@b.org')).not.toBe(blindIndex(k, 'email', 'a@b.org'));
    const other = derivePrivacyKeys('another-secret-that-is-long-enough-9876543210').blindIndex;
    expect(blindIndex(other, 'email', 'a@b.org')).not.toBe(blindIndex(k, 'email', 'a@b.org'));
    // The index key is not the KEK or the token key.
    expect(keys.blindIndex.equals(keys.kek)).toBe(false);
    expect(keys.blindIndex.equals(keys.tokens)).toBe(false);
  });

  it('is stable, because index values are stored and looked up across releases', () => {
    // The first 128 bits of HMAC-SHA256(key, 'email:a@b.org') and (key, 'phone:+9647801234567'),
    // checked by hand. Before migration 0010 the index was the whole HMAC, given here after the
    // '|': that migration cut stored values to the part before it, so they must stay its prefix.
    const key = Buffer.alloc(32, 7);
    expect(blindIndex(key, 'email', 'A@B.org')).toBe(
      'd11b4df4453163596585c2149e06623e|8a56d6fd7d0ba8c93928c5408b2a20c1'.split('|')[0],
    );
    expect(blindIndex(key, 'phone', '+9647801234567')).toBe(
      'e3f9877e976227eb1a208f281db8502d|4469969a3bc49e1e15ef3dc9c25f1b91'.split('|')[0],
    );
  });

  it('never matches across kinds', () => {
    expect(blindIndex(keys.blindIndex, 'phone', 'a@b.org')).toBeNull();
    expect(blindIndex(keys.blindIndex, 'email', '+447400123456')).toBeNull();
  });

  it('returns null for invalid values and refuses short keys', () => {
    expect(blindIndex(keys.blindIndex, 'email', 'nope')).toBeNull();
    expect(blindIndex(keys.blindIndex, 'phone', '12')).toBeNull();
    expect(() => blindIndex(Buffer.alloc(8), 'email', 'a@b.org')).toThrow(RangeError);
  });
});
