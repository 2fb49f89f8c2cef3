import { type Catalogue, catalogue, countryIn } from '../domain/messages/catalogue.ts';
import { MESSAGE_LANGUAGES, type MessageLanguage } from '../domain/messages/languages.ts';
import { type SiteWords, siteWords } from './messages/index.ts';

/** Everything a page needs to speak the visitor's language: words, direction, dates, numbers. */
export interface Locale {
  readonly lang: MessageLanguage;
  readonly dir: 'ltr' | 'rtl';
  readonly words: SiteWords;
  /** The message catalogue's words: levels, indicators, posture states, alert sections. */
  readonly messages: Catalogue;
  /** A date (ISO 8601) in the locale's format, in UTC. */
  date(iso: string): string;
  dateTime(iso: string): string;
  number(n: number, digits?: number): string;
  /** A country's name in the language (CLDR), the given English name otherwise. */
  country(code: string, english: string): string;
}

const RTL: ReadonlySet<MessageLanguage> = new Set(['ar']);

/** Native names for the language switcher: a reader finds their own. */
export const LANGUAGE_NAMES: Readonly<Record<MessageLanguage, string>> = {
  en: 'English',
  ar: 'العربية',
  fr: 'Français',
};

const cache = new Map<MessageLanguage, Locale>();

export function locale(lang: MessageLanguage): Locale {
  let l = cache.get(lang);
  if (l) return l;
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' });
  const dayTime = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  const numbers = new Map<number, Intl.NumberFormat>();
  l = {
    lang,
    dir: RTL.has(lang) ? 'rtl' : 'ltr',
    words: siteWords(lang),
    messages: catalogue(lang),
    date: (iso) => day.format(new Date(iso)),
    dateTime: (iso) => `${dayTime.format(new Date(iso))} UTC`,
    number: (n, digits = 0) => {
      let f = numbers.get(digits);
      if (!f) {
        f = new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits });
        numbers.set(digits, f);
      }
      return f.format(n);
    },
    country: (code, english) => countryIn(lang, code, english),
  };
  cache.set(lang, l);
  return l;
}

export const SITE_LANGUAGES = MESSAGE_LANGUAGES;

/**
 * The language for a visitor without one in the URL: the first of Accept-Language's tags, by
 * q-value, that has a catalogue; English otherwise.
 */
export function preferredLanguage(acceptLanguage: string | undefined): MessageLanguage {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { primary: tag.split('-')[0] ?? '', q: q ? Number(q.trim().slice(2)) : 1, i };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const t of ranked) {
    if ((MESSAGE_LANGUAGES as readonly string[]).includes(t.primary)) return t.primary as MessageLanguage;
  }
  return 'en';
}
