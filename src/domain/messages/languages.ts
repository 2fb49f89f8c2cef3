/*
 * Which languages messages are written in (a catalogue each, see catalogue.ts). Apart from the
 * catalogues, so that the web forms can say the same without bundling them.
 */
export const MESSAGE_LANGUAGES = ['en', 'ar', 'fr'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

/** The language messages are written in for a chosen tag ('ar-IQ' -> 'ar'; unknown -> 'en'). */
export function messageLanguage(tag: string | null | undefined): MessageLanguage {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (MESSAGE_LANGUAGES as readonly string[]).includes(primary) ? (primary as MessageLanguage) : 'en';
}
