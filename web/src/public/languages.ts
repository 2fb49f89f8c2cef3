import { messageLanguage } from '../../../src/domain/messages/languages.ts';

// Languages a traveller can ask for messages in (BCP 47 primary tags), named in themselves so a
// reader finds their own. The server accepts any well-formed tag; messages are written in the
// languages it has a catalogue for (src/domain/messages/languages.ts) and in English otherwise,
// which the form says.
export const LANGUAGES: ReadonlyArray<readonly [code: string, name: string]> = [
  ['en', 'English'],
  ['ar', 'العربية (Arabic)'],
  ['de', 'Deutsch (German)'],
  ['es', 'Español (Spanish)'],
  ['fa', 'فارسی (Persian)'],
  ['fr', 'Français (French)'],
  ['hi', 'हिन्दी (Hindi)'],
  ['it', 'Italiano (Italian)'],
  ['ja', '日本語 (Japanese)'],
  ['ko', '한국어 (Korean)'],
  ['ku', 'Kurdî (Kurdish)'],
  ['nl', 'Nederlands (Dutch)'],
  ['pl', 'Polski (Polish)'],
  ['pt', 'Português (Portuguese)'],
  ['ru', 'Русский (Russian)'],
  ['sw', 'Kiswahili (Swahili)'],
  ['tr', 'Türkçe (Turkish)'],
  ['uk', 'Українська (Ukrainian)'],
  ['ur', 'اردو (Urdu)'],
  ['zh', '中文 (Chinese)'],
];

/** The browser's language when it is one of ours, else English. */
export function defaultLanguage(): string {
  const tag = (navigator.language || 'en').toLowerCase().split('-')[0] ?? 'en';
  return LANGUAGES.some(([code]) => code === tag) ? tag : 'en';
}

/** The options for a stored language, keeping one that is not in the list selectable. */
export function languageOptions(current: string): ReadonlyArray<readonly [string, string]> {
  return LANGUAGES.some(([code]) => code === current) ? LANGUAGES : [[current, current], ...LANGUAGES];
}

/** What the form says about the chosen language (messages have a catalogue, or go in English). */
export function messageLanguageHint(code: string): string {
  return messageLanguage(code) === code.toLowerCase().split('-')[0]
    ? 'Messages will be written in this language.'
    : 'Messages are written in English, Arabic or French for now; in English for this language.';
}
