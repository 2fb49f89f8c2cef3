import type { Indicator, Level } from '../advisories/levels.ts';
import type { AlertKind, AlertSections } from '../alerts/types.ts';
import { AR } from './ar.ts';
import { EN } from './en.ts';
import { FR } from './fr.ts';
import { MESSAGE_LANGUAGES, type MessageLanguage, messageLanguage } from './languages.ts';

export { MESSAGE_LANGUAGES, type MessageLanguage, messageLanguage };

/*
 * The words of every message Warden sends travellers and subscribers, per language. A traveller
 * or subscriber chooses a language (any BCP 47 tag); messages are written in it when there is a
 * catalogue for its primary subtag, and in English otherwise. Each catalogue has every entry (the
 * type checker holds them to it), so a message is never half translated. Staff-written text (an
 * advisory's summary, a post's name and statement) stays as written; country names come from the
 * runtime's CLDR data (Intl.DisplayNames).
 */

export interface Rendered {
  readonly subject: string;
  readonly text: string;
}

export type PostureStateWords = Readonly<
  Record<'normal' | 'authorized_departure' | 'ordered_departure' | 'suspended', string>
>;

export interface Catalogue {
  readonly levels: Readonly<Record<Level, string>>;
  readonly indicators: Readonly<Record<Indicator, string>>;
  /** What a post now does, after its name: "is on ordered departure: …". */
  readonly stateWords: PostureStateWords;
  /** The same, short, for a title. */
  readonly stateTitles: PostureStateWords;
  /** A state without words of its own (its code, underscores as given). */
  otherState(state: string): string;
  readonly yesterday: string;
  /** Joins a list of names. */
  list(items: readonly string[]): string;

  verifyPhone(code: string): string;
  verifyEmail(link: string): Rendered;
  alreadyEnrolled(link: string): Rendered;
  manageLink(link: string): Rendered;
  confirmPresence(link: string): Rendered;

  subscriptionVerify(link: string, countries: string | null): Rendered;
  subscriptionExists(link: string): Rendered;
  subscriptionWelcome(link: string, countries: string | null): Rendered;
  subscriptionManageLink(link: string): Rendered;

  advisoryTitle(country: string, level: Level, label: string, change: 'raised' | 'lowered' | null): string;
  postureTitle(country: string, post: string, title: string): string;
  advisoryUpdated(country: string, edition: number | null): string;
  levelLine(level: Level, label: string): string;
  previousLevelLine(level: Level, label: string): string;
  risksLine(risks: string): string;
  whatChanged(note: string): string;
  postureLine(post: string, country: string, words: string): string;
  subscriberFooter(link: string): string[];
  travellerFooter(link: string): string[];
  digestSubject(day: string, count: number): string;
  digestIntro(day: string): string;
  /** Ends an SMS notice: the link to change trips or stop messages. */
  smsTail(link: string): string;

  readonly alert: AlertWords;
}

/** The words around an alert's own text (which staff write per language). Times come formatted. */
export interface AlertWords {
  readonly kinds: Readonly<Record<AlertKind, string>>;
  /** Between the parts of a title: ": ", or " : " in French. */
  readonly separator: string;
  /** Starts every message of a drill, so it is never mistaken for the real thing. */
  readonly drillPrefix: Readonly<Record<'Exercise' | 'Test', string>>;
  /** The first line of a drill's email and page. */
  readonly drillBanner: Readonly<Record<'Exercise' | 'Test', string>>;
  /** Marks an Update or a Cancel in its title. */
  readonly msgTypeMarker: Readonly<Record<'Update' | 'Cancel', string>>;
  readonly sections: Readonly<Record<keyof AlertSections, string>>;
  /** When the alert has no text in the reader's language, above the English text. */
  readonly fallbackNote: string;
  /** The same, short, for SMS. */
  readonly fallbackShort: string;
  validity(from: string, until: string): string;
  checkIn(link: string, deadline: string): string;
  /** Email: the two one-click answers (each opens the answer page with its choice made). */
  checkInSafe(link: string): string;
  checkInHelp(link: string): string;
  /** Short form for SMS; with the alert's reply code, the reply to send instead of the link. */
  checkInShort(link: string, replyCode?: string | null): string;
  fullAlert(link: string): string;
  footer(link: string): string[];
  /** The text of a Cancel drafted in one click (staff may change it before sending). */
  cancelEvent(sentAt: string): string;
  readonly cancelActions: string;
}

const CATALOGUES: Readonly<Record<MessageLanguage, Catalogue>> = { en: EN, ar: AR, fr: FR };

export const catalogue = (lang: MessageLanguage): Catalogue => CATALOGUES[lang];

const regionNames = new Map<MessageLanguage, Intl.DisplayNames>();

/** A country's name in the language; English keeps the gazetteer's name it was given. */
export function countryIn(lang: MessageLanguage, code: string, english: string): string {
  if (lang === 'en') return english;
  let names = regionNames.get(lang);
  if (!names) {
    names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
    regionNames.set(lang, names);
  }
  try {
    return names.of(code) ?? english;
  } catch {
    return english;
  }
}

// GSM 03.38: the basic set and its extension table. An SMS of these characters only takes 160
// a segment (153 when concatenated); any other character makes the whole message UCS-2, 70 (67).
const GSM7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€',
);

/** Whether a text goes as GSM 7-bit SMS (else it is sent as UCS-2). */
export const isGsm7 = (text: string): boolean => {
  for (const ch of text) if (!GSM7.has(ch)) return false;
  return true;
};
