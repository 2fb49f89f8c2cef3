import type { MessageLanguage } from '../messages/languages.ts';
import { countCosts, type SmsCosts, type SmsEncoding, smsCosts } from '../messages/sms.ts';
import { type AlertMessageInput, localizeAlert } from './localize.ts';

/** Three segments: 459 GSM-7 characters or 201 of Arabic, enough for the headline and the actions. */
export const ALERT_SMS_MAX_SEGMENTS = 3;

/** Less of the actions than this many characters is not worth sending: the link has them all. */
const MIN_BODY = 20;

export interface RenderedAlertSms {
  readonly text: string;
  readonly encoding: SmsEncoding;
  readonly segments: number;
  /** Whether anything of the alert was cut or left out to fit. */
  readonly truncated: boolean;
  readonly language: MessageLanguage;
  readonly textLanguage: MessageLanguage;
  readonly fallback: boolean;
}

// The same headline and actions go to every recipient in a language; only the links differ.
const costCache = new Map<string, SmsCosts>();
function costs(s: string): SmsCosts {
  let c = costCache.get(s);
  if (!c) {
    if (costCache.size >= 256) costCache.delete(costCache.keys().next().value!);
    c = smsCosts(s);
    costCache.set(s, c);
  }
  return c;
}

const prefix = (c: SmsCosts, n: number): SmsCosts => ({
  clusters: c.clusters.slice(0, n),
  gsm: c.gsm.slice(0, n),
  ucs: c.ucs.slice(0, n),
});

/** The first n clusters, cut back to a word when one ends in the second half, marked "...". */
function cut(c: SmsCosts, n: number): string {
  let kept = c.clusters.slice(0, n);
  const space = kept.lastIndexOf(' ');
  if (space > n / 2) kept = kept.slice(0, space);
  return `${kept.join('').replace(/[\s.,;:،!?-]+$/u, '')}...`;
}

/**
 * The alert as one SMS of at most maxSegments segments: drill prefix and Update/Cancel marker
 * (never cut), "(in English)" when the text falls back, kind and headline, as much of the actions
 * to take as fits (cut at a word), then the alert link and, when check-ins are asked for, the
 * check-in link. To fit, it cuts the actions, then leaves them out, then the alert link (the
 * check-in page links the alert), then cuts the headline. Longer than maxSegments only if the
 * prefix and one link alone are.
 */
export function renderAlertSms(i: AlertMessageInput, maxSegments = ALERT_SMS_MAX_SEGMENTS): RenderedAlertSms {
  const c = i.alert.content;
  const l = localizeAlert(c, i.language);
  const w = l.words;
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  const marks = [l.drillPrefix, c.msgType === 'Alert' ? null : w.msgTypeMarker[c.msgType]]
    .filter((x) => x !== null)
    .map((m) => `${m}${w.separator}`)
    .join('');
  const head = `${marks}${l.fallback ? `${w.fallbackShort} ` : ''}${w.kinds[c.kind]}${w.separator}${oneLine(l.text.headline)}`;
  const body = costs(oneLine(l.text.sections.actionsToTake));
  const checkIn =
    c.checkIn.requested && i.links.checkIn
      ? w.checkInShort(i.links.checkIn, i.links.replyCode ?? null)
      : null;
  // Fewer words around the links as room runs out; the bare link last.
  const tails = checkIn
    ? [` ${i.links.alert} ${checkIn}`, ` ${checkIn}`, ` ${i.links.replyCode ? checkIn : i.links.checkIn}`]
    : [` ${i.links.alert}`];
  const done = (text: string, truncated: boolean): RenderedAlertSms => {
    const n = countCosts([smsCosts(text)]);
    return {
      text,
      ...n,
      truncated,
      language: i.language,
      textLanguage: l.textLanguage,
      fallback: l.fallback,
    };
  };
  const fits = (...parts: SmsCosts[]) => countCosts(parts).segments <= maxSegments;
  const headCosts = costs(head);
  const space = costs(' ');
  const dots = costs('...');
  for (const [t, tail] of tails.entries()) {
    const tailCosts = smsCosts(tail);
    const truncated = t > 0;
    if (fits(headCosts, space, body, tailCosts)) {
      return done(`${head} ${body.clusters.join('')}${tail}`, truncated);
    }
    // The longest part of the actions that fits (more never takes fewer segments).
    let lo = 0;
    let hi = body.clusters.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (fits(headCosts, space, prefix(body, mid), dots, tailCosts)) lo = mid;
      else hi = mid - 1;
    }
    if (lo >= MIN_BODY) return done(`${head} ${cut(body, lo)}${tail}`, true);
    if (fits(headCosts, tailCosts)) return done(`${head}${tail}`, true);
  }
  const tail = tails[tails.length - 1]!;
  const tailCosts = smsCosts(tail);
  const rest = costs(head.slice(marks.length));
  let lo = 0;
  let hi = rest.clusters.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fits(costs(marks), prefix(rest, mid), dots, tailCosts)) lo = mid;
    else hi = mid - 1;
  }
  return done(`${marks}${lo > 0 ? cut(rest, lo) : ''}${tail}`.replace(/\s+/g, ' ').trim(), true);
}
