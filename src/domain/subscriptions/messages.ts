import type { Indicator, Level } from '../advisories/levels.ts';
import type { RenderedMessage } from '../enrollments/messages.ts';
import { type Catalogue, catalogue, countryIn, isGsm7, type MessageLanguage } from '../messages/catalogue.ts';

/**
 * Messages about advisories: to subscribers (verification, manage links, notices, digests) and
 * to enrolled travellers (notices). Rendered at send time from public facts and a freshly signed
 * link; no message names its recipient. Written in the recipient's language where there is a
 * catalogue for it (domain/messages), else in English.
 */
export const SUBSCRIPTION_TEMPLATES = [
  'subscription_verify',
  'subscription_exists',
  'subscription_welcome',
  'subscription_manage_link',
  'advisory_notice',
  'advisory_digest',
] as const;
export type SubscriptionTemplate = (typeof SUBSCRIPTION_TEMPLATES)[number];

export const isSubscriptionTemplate = (s: string): s is SubscriptionTemplate =>
  (SUBSCRIPTION_TEMPLATES as readonly string[]).includes(s);

export const FREQUENCIES = ['immediate', 'daily'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** The public facts of a notice (advisory_notices.details). */
export type NoticeDetails =
  | {
      readonly kind: 'advisory';
      readonly country: string;
      readonly countryName: string;
      readonly edition: number | null;
      readonly level: Level;
      readonly previousLevel: Level | null;
      readonly indicators: readonly Indicator[];
      readonly summary: string;
      readonly changeNote: string | null;
      readonly publishedAt: string;
    }
  | {
      readonly kind: 'posture';
      readonly country: string;
      readonly countryName: string;
      readonly postName: string;
      readonly state: string;
      readonly previousState: string | null;
      readonly statement: string | null;
      readonly effectiveAt: string;
    };

const changeOf = (d: NoticeDetails & { kind: 'advisory' }): 'raised' | 'lowered' | null =>
  d.previousLevel === null || d.previousLevel === d.level
    ? null
    : d.level > d.previousLevel
      ? 'raised'
      : 'lowered';

const stateIn = (c: Catalogue, d: NoticeDetails & { kind: 'posture' }, short: boolean): string => {
  const words = short ? c.stateTitles : c.stateWords;
  return Object.hasOwn(words, d.state) ? words[d.state as keyof typeof words] : c.otherState(d.state);
};

/** One line naming what happened, used as the subject of a notice and a digest heading. */
export function noticeTitle(d: NoticeDetails, lang: MessageLanguage = 'en'): string {
  const c = catalogue(lang);
  const country = countryIn(lang, d.country, d.countryName);
  if (d.kind === 'advisory') return c.advisoryTitle(country, d.level, c.levels[d.level], changeOf(d));
  return c.postureTitle(country, d.postName, stateIn(c, d, true));
}

/** The body of one notice (without greeting or footer). */
export function noticeBody(d: NoticeDetails, lang: MessageLanguage = 'en'): string[] {
  const c = catalogue(lang);
  const country = countryIn(lang, d.country, d.countryName);
  if (d.kind === 'advisory') {
    const lines = [c.advisoryUpdated(country, d.edition), c.levelLine(d.level, c.levels[d.level])];
    if (d.previousLevel !== null && d.previousLevel !== d.level)
      lines.push(c.previousLevelLine(d.previousLevel, c.levels[d.previousLevel]));
    if (d.indicators.length > 0) lines.push(c.risksLine(c.list(d.indicators.map((i) => c.indicators[i]))));
    lines.push('', d.summary);
    if (d.changeNote) lines.push('', c.whatChanged(d.changeNote));
    return lines;
  }
  const lines = [c.postureLine(d.postName, country, stateIn(c, d, false))];
  if (d.statement) lines.push('', d.statement);
  return lines;
}

/** At most two concatenated SMS segments: 306 characters of GSM-7 text, or 134 of any other. */
export const NOTICE_SMS_MAX = 306;
export const NOTICE_SMS_MAX_UCS2 = 134;

/**
 * A notice as one SMS to a traveller who gave only a phone: what happened in a line, as much of
 * the summary or statement as fits (cut at a word, marked "..."), and the link to change trips
 * or stop messages. Never longer than two SMS segments: NOTICE_SMS_MAX characters when the text
 * is all GSM-7, NOTICE_SMS_MAX_UCS2 when any character is not (Arabic, say).
 */
export function noticeSms(d: NoticeDetails, link: string, lang: MessageLanguage = 'en'): string {
  const c = catalogue(lang);
  const head =
    d.kind === 'advisory'
      ? `${noticeTitle(d, lang)}.`
      : `${c.postureTitle(countryIn(lang, d.country, d.countryName), d.postName, stateIn(c, d, false))}.`;
  const tail = c.smsTail(link);
  const more = (d.kind === 'advisory' ? d.summary : (d.statement ?? '')).replace(/\s+/g, ' ').trim();
  const within = (max: number) => {
    const room = max - head.length - tail.length - 1;
    let body = '';
    if (more && room >= more.length) body = ` ${more}`;
    else if (more && room > 20) {
      const cut = more.slice(0, room - 3);
      const space = cut.lastIndexOf(' ');
      body = ` ${(space > room / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:،]+$/, '')}...`;
    }
    return `${head}${body}${tail}`.slice(0, max);
  };
  const text = within(NOTICE_SMS_MAX);
  return isGsm7(text) ? text : within(NOTICE_SMS_MAX_UCS2);
}

export interface SubscriptionMessageInput {
  /** The verification or manage link. */
  readonly link: string;
  /** advisory_notice: the notice; advisory_digest: the day's notices. */
  readonly notices?: readonly NoticeDetails[];
  /** advisory_digest: the day covered (YYYY-MM-DD). */
  readonly day?: string;
  readonly countries?: readonly string[];
  /** Whom the footer addresses: a subscriber (manage link) or a traveller (enrollment page). */
  readonly audience: 'subscriber' | 'traveller';
  /** The recipient's language (default English). */
  readonly language?: MessageLanguage;
}

export function renderSubscriptionMessage(
  t: SubscriptionTemplate,
  i: SubscriptionMessageInput,
): RenderedMessage {
  const lang = i.language ?? 'en';
  const c = catalogue(lang);
  const countries = i.countries ? c.list(i.countries) : null;
  const footer = i.audience === 'subscriber' ? c.subscriberFooter(i.link) : c.travellerFooter(i.link);
  switch (t) {
    case 'subscription_verify':
      return c.subscriptionVerify(i.link, countries);
    case 'subscription_exists':
      return c.subscriptionExists(i.link);
    case 'subscription_welcome':
      return c.subscriptionWelcome(i.link, countries);
    case 'subscription_manage_link':
      return c.subscriptionManageLink(i.link);
    case 'advisory_notice': {
      const d = i.notices?.[0];
      if (!d) throw new TypeError('advisory_notice needs its notice');
      return { subject: noticeTitle(d, lang), text: [...noticeBody(d, lang), ...footer].join('\n') };
    }
    case 'advisory_digest': {
      const notices = i.notices ?? [];
      const day = i.day ?? c.yesterday;
      const body = notices.flatMap((d) => ['', `== ${noticeTitle(d, lang)}`, '', ...noticeBody(d, lang)]);
      return {
        subject: c.digestSubject(day, notices.length),
        text: [c.digestIntro(day), ...body, ...footer].join('\n'),
      };
    }
    default: {
      const never: never = t;
      throw new TypeError(`unknown template ${String(never)}`);
    }
  }
}
