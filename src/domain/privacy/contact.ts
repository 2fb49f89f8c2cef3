import { domainToASCII } from 'node:url';
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/*
 * One normal form per email address and phone number: it is what we send to, what we show back,
 * and what the blind index hashes, so "the same contact" means the same string everywhere.
 */

const MAX_EMAIL = 254; // RFC 5321 path limit minus the angle brackets
const MAX_LOCAL = 64;
// RFC 5322 dot-atom: no quoted local parts, no comments, no IP-literal domains. Travellers'
// real addresses fit this; the exotic forms mostly appear in abuse.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Trimmed and lower-cased email address, or null if it is not one we can deliver to.
 *
 * Deliberately simple: no provider-specific folding (dots and +tags in Gmail are kept), because
 * guessing wrong would merge two people's enrolments. The local part must be ASCII; an
 * internationalised domain is converted to its punycode (xn--) form, which every SMTP server
 * accepts. The domain needs at least two labels and a non-numeric top-level label.
 */
export function normalizeEmail(input: string): string | null {
  if (typeof input !== 'string') return null;
  const s = input.trim();
  if (s.length === 0 || s.length > MAX_EMAIL) return null;
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return null;
  // Checked before lower-casing: toLowerCase() maps some non-ASCII letters (the Kelvin sign)
  // to ASCII ones, which would let a look-alike address normalise onto someone else's.
  const local = s.slice(0, at);
  if (local.length > MAX_LOCAL || !LOCAL.test(local)) return null;
  const domain = asciiDomain(s.slice(at + 1));
  if (domain === null) return null;
  const email = `${local.toLowerCase()}@${domain}`;
  return email.length <= MAX_EMAIL ? email : null;
}

// Domains repeat (an organisation's import is mostly its own domain): each is converted and
// checked once, not once an address.
const domains = new Map<string, string | null>();

/** The punycode form of a domain we can deliver to, or null. */
function asciiDomain(input: string): string | null {
  let domain = domains.get(input);
  if (domain === undefined) {
    domain = domainToASCII(input);
    const labels = domain.split('.');
    const tld = labels[labels.length - 1] ?? '';
    if (domain === '' || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^[0-9]+$/.test(tld)) {
      domain = null;
    }
    if (domains.size >= 10_000) domains.clear();
    domains.set(input, domain);
  }
  return domain;
}

// Kept per code given: an import checks every phone number against its row's country.
const countries = new Map<string, CountryCode | undefined>();

function countryOrUndefined(code: string | undefined): CountryCode | undefined {
  if (code === undefined) return undefined;
  if (countries.has(code)) return countries.get(code);
  const upper = code.toUpperCase();
  const country = isSupportedCountry(upper) ? upper : undefined;
  if (countries.size >= 1000) countries.clear();
  countries.set(code, country);
  return country;
}

/**
 * A phone number in E.164 (`+9647801234567`), or null. `defaultCountry` (ISO 3166 alpha-2)
 * reads national forms (`0780 123 4567` in IQ) and the country's international prefix
 * (`00964…` from IQ or GB); an unknown code is ignored rather than guessed at.
 *
 * The whole input must be the number (no "call me on …"), it must be valid by the full
 * libphonenumber metadata (not just plausible in length), and it must have no extension: an
 * extension means a switchboard, which can neither receive an SMS nor be reached unattended.
 */
export function normalizePhone(input: string, defaultCountry?: string): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const parsed = parsePhoneNumberFromString(input.trim(), {
    defaultCountry: countryOrUndefined(defaultCountry),
    extract: false,
  });
  if (!parsed?.isValid() || parsed.ext) return null;
  return parsed.number;
}

/**
 * The ISO alpha-2 region a normalised number belongs to (`+447911123456` -> GB, `+1684…` -> AS),
 * for per-country sending caps and prices; null for non-geographic numbers (+881 satellite…)
 * or anything that is not an E.164 string.
 */
export function phoneCountry(e164: string): string | null {
  if (typeof e164 !== 'string' || !/^\+[1-9][0-9]{6,14}$/.test(e164)) return null;
  return parsePhoneNumberFromString(e164, { extract: false })?.country ?? null;
}
