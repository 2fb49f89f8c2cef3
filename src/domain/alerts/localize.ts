import { type AlertWords, catalogue } from '../messages/catalogue.ts';
import type { MessageLanguage } from '../messages/languages.ts';
import type { AlertContent, AlertText } from './types.ts';

/*
 * An alert as each channel shows it to one recipient, in their language: the words around the text
 * (kind, section titles, drill banner, footer) from the recipient's catalogue, the alert's own text
 * in that language or, when it has none, in English under a note saying so. Every message of an
 * Exercise or Test starts with "EXERCISE"/"TEST" in the recipient's language. Rendered at send time
 * from the sent alert and the recipient's links; nothing names the recipient.
 */

export interface AlertMessageInput {
  readonly alert: { readonly id: string; readonly content: AlertContent; readonly sentAt: string };
  /** The recipient's catalogue language (messageLanguage(tag)). */
  readonly language: MessageLanguage;
  readonly links: {
    /** The public alert page (or, for a non-public alert, the recipient's view of it). */
    readonly alert: string;
    /** Change trips or stop all messages. */
    readonly manage: string;
    /** The recipient's "are you safe?" link, when the alert asks for check-ins. */
    readonly checkIn?: string | null;
    /** Email: the one-click answers (the answer page with "safe" or "need help" already chosen). */
    readonly checkInSafe?: string | null;
    readonly checkInHelp?: string | null;
    /** SMS: the alert's reply code (`SAFE 4821`), which replaces the link (services/checkins/links.ts). */
    readonly replyCode?: string | null;
  };
}

export interface LocalizedAlert {
  readonly words: AlertWords;
  readonly text: AlertText;
  /** The language the text is in: the recipient's, or English as a fallback. */
  readonly textLanguage: MessageLanguage;
  readonly fallback: boolean;
  /** "EXERCISE", "TEST" (translated) or null for an Actual alert. */
  readonly drillPrefix: string | null;
  /** Drill prefix, Update/Cancel marker, kind and headline: "EXERCISE: Demonstration alert: …". */
  readonly title: string;
}

export function localizeAlert(c: AlertContent, lang: MessageLanguage): LocalizedAlert {
  const words = catalogue(lang).alert;
  const own = c.texts[lang];
  const text = own ?? c.texts.en;
  const drillPrefix = c.status === 'Actual' ? null : words.drillPrefix[c.status];
  const marker = c.msgType === 'Alert' ? null : words.msgTypeMarker[c.msgType];
  const title = [drillPrefix, marker, words.kinds[c.kind], text.headline]
    .filter((x) => x !== null)
    .join(words.separator);
  return { words, text, textLanguage: own ? lang : 'en', fallback: !own, drillPrefix, title };
}
