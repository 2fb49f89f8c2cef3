import { INDICATORS, type Indicator, LEVEL_LABELS, type Level } from '../advisories/levels.ts';
import type { RenderedMessage } from '../enrollments/messages.ts';

/**
 * Messages about advisories: to subscribers (verification, manage links, notices, digests) and
 * to enrolled travellers (notices). Rendered at send time from public facts and a freshly signed
 * link; no message names its recipient. English for now; `language` picks the text later.
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

const STATE_WORDS: Record<string, string> = {
  normal: 'has resumed normal operations',
  authorized_departure: 'is on authorized departure: non-emergency staff and family members may leave',
  ordered_departure: 'is on ordered departure: non-emergency staff and family members must leave',
  suspended: 'has suspended operations',
};

const STATE_TITLES: Record<string, string> = {
  normal: 'resumes normal operations',
  authorized_departure: 'is on authorized departure',
  ordered_departure: 'is on ordered departure',
  suspended: 'suspends operations',
};

/** One line naming what happened, used as the subject of a notice and a digest heading. */
export function noticeTitle(d: NoticeDetails): string {
  if (d.kind === 'advisory') {
    const change =
      d.previousLevel === null || d.previousLevel === d.level
        ? ''
        : d.level > d.previousLevel
          ? ' (raised)'
          : ' (lowered)';
    return `${d.countryName} travel advisory: Level ${d.level}, ${LEVEL_LABELS[d.level]}${change}`;
  }
  return `${d.countryName}: ${d.postName} ${STATE_TITLES[d.state] ?? `is now ${d.state.replace(/_/g, ' ')}`}`;
}

/** The body of one notice (without greeting or footer). */
export function noticeBody(d: NoticeDetails): string[] {
  if (d.kind === 'advisory') {
    const lines = [
      `The travel advisory for ${d.countryName} was updated${d.edition ? ` (edition ${d.edition})` : ''}.`,
      `Level ${d.level}: ${LEVEL_LABELS[d.level]}.`,
    ];
    if (d.previousLevel !== null && d.previousLevel !== d.level)
      lines.push(`It was Level ${d.previousLevel}: ${LEVEL_LABELS[d.previousLevel]}.`);
    if (d.indicators.length > 0) lines.push(`Risks: ${d.indicators.map((i) => INDICATORS[i]).join(', ')}.`);
    lines.push('', d.summary);
    if (d.changeNote) lines.push('', `What changed: ${d.changeNote}`);
    return lines;
  }
  const lines = [`${d.postName} (${d.countryName}) ${STATE_WORDS[d.state] ?? `is now ${d.state}`}.`];
  if (d.statement) lines.push('', d.statement);
  return lines;
}

/** At most two concatenated SMS segments of GSM-7 text (153 characters each). */
export const NOTICE_SMS_MAX = 306;

/**
 * A notice as one SMS to a traveller who gave only a phone: what happened in a line, as much of
 * the summary or statement as fits (cut at a word, marked "..."), and the link to change trips
 * or stop messages. Never longer than NOTICE_SMS_MAX characters.
 */
export function noticeSms(d: NoticeDetails, link: string): string {
  const head =
    d.kind === 'advisory'
      ? `${noticeTitle(d)}.`
      : `${d.countryName}: ${d.postName} ${STATE_WORDS[d.state] ?? `is now ${d.state.replace(/_/g, ' ')}`}.`;
  const tail = ` Trips and stop: ${link}`;
  const more = (d.kind === 'advisory' ? d.summary : (d.statement ?? '')).replace(/\s+/g, ' ').trim();
  const room = NOTICE_SMS_MAX - head.length - tail.length - 1;
  let body = '';
  if (more && room >= more.length) body = ` ${more}`;
  else if (more && room > 20) {
    const cut = more.slice(0, room - 3);
    const space = cut.lastIndexOf(' ');
    body = ` ${(space > room / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:]+$/, '')}...`;
  }
  return `${head}${body}${tail}`.slice(0, NOTICE_SMS_MAX);
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
}

function footer(i: SubscriptionMessageInput): string[] {
  return i.audience === 'subscriber'
    ? ['', '--', `To change your countries or how often you hear from us, or to unsubscribe: ${i.link}`]
    : [
        '',
        '--',
        'You receive this because you enrolled a trip to this country.',
        `To change your trips or stop messages: ${i.link}`,
      ];
}

export function renderSubscriptionMessage(
  t: SubscriptionTemplate,
  i: SubscriptionMessageInput,
): RenderedMessage {
  switch (t) {
    case 'subscription_verify':
      return {
        subject: 'Confirm your subscription to travel advisories',
        text: [
          `Someone (we hope you) asked to receive travel advisory updates for ${i.countries?.join(', ') ?? 'some countries'} at this address.`,
          '',
          `Confirm it here: ${i.link}`,
          '',
          'If this was not you, ignore this message: nothing more will be sent to this address.',
        ].join('\n'),
      };
    case 'subscription_exists':
      return {
        subject: 'You are already subscribed to travel advisories',
        text: [
          'We received a new subscription request for this address, but it is already subscribed.',
          '',
          `To change your countries or how often you hear from us: ${i.link}`,
          '',
          'If this was not you, ignore this message: nothing has changed.',
        ].join('\n'),
      };
    case 'subscription_welcome':
      return {
        subject: 'You are subscribed to travel advisories',
        text: [
          `You will receive travel advisory updates for ${i.countries?.join(', ') ?? 'your countries'}.`,
          '',
          `To change your countries or how often you hear from us, or to unsubscribe: ${i.link}`,
        ].join('\n'),
      };
    case 'subscription_manage_link':
      return {
        subject: 'Your link to manage your travel advisory subscription',
        text: [
          `Use this link to change or cancel your subscription: ${i.link}`,
          '',
          'If you did not ask for it, ignore this message.',
        ].join('\n'),
      };
    case 'advisory_notice': {
      const d = i.notices?.[0];
      if (!d) throw new TypeError('advisory_notice needs its notice');
      return { subject: noticeTitle(d), text: [...noticeBody(d), ...footer(i)].join('\n') };
    }
    case 'advisory_digest': {
      const notices = i.notices ?? [];
      const body = notices.flatMap((d) => ['', `== ${noticeTitle(d)}`, '', ...noticeBody(d)]);
      return {
        subject: `Travel advisory updates for ${i.day ?? 'yesterday'} (${notices.length})`,
        text: [
          `Travel advisory updates published on ${i.day ?? 'yesterday'} (UTC).`,
          ...body,
          ...footer(i),
        ].join('\n'),
      };
    }
    default: {
      const never: never = t;
      throw new TypeError(`unknown template ${String(never)}`);
    }
  }
}
