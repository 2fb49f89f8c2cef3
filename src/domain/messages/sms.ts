/*
 * SMS segments, counted the way the network carries them (3GPP TS 23.038 and 23.040): a message
 * whose every character is in the GSM 7-bit alphabet goes as GSM-7, 160 septets in one segment or
 * 153 per segment when concatenated (the user data header takes the rest), a character of the
 * extension table (€ [ ] { } \ ^ ~ | and form feed) taking two septets; any other character makes
 * the whole message UCS-2, 70 UTF-16 units in one segment or 67 per segment. A character is never
 * split between two segments, and neither is a cluster a reader sees as one (a letter and its
 * marks, an emoji sequence), as in Twilio's segment calculator (sms-segments-calculator, which the
 * tests hold this to). That calculator takes milliseconds per message; this takes microseconds, so
 * a message can be fitted per recipient at send time.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

/**
 * What one segment holds, alone or concatenated, in septets (GSM-7) or UTF-16 units (UCS-2).
 */
export const SEGMENT_SIZE = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

/**
 * Clusters kept whole: a regional-indicator pair (a flag), or a character with its combining marks,
 * variation selectors, skin-tone modifiers and zero-width-joined followers. "\r\n" stays two.
 */
const CLUSTER =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: the classes list single joiners and marks on purpose.
  /\p{Regional_Indicator}{2}|[^\p{M}\u200D\uFE0E\uFE0F\u{1F3FB}-\u{1F3FF}](?:[\p{M}\uFE0E\uFE0F\u{1F3FB}-\u{1F3FF}]|\u200D[^\p{M}\u200D]?)*|[\s\S]/gu;

/** A text as clusters, each with its cost in septets (null when not GSM-7) and in UTF-16 units. */
export interface SmsCosts {
  readonly gsm: readonly (number | null)[];
  readonly ucs: readonly number[];
  readonly clusters: readonly string[];
}

export function smsCosts(text: string): SmsCosts {
  const clusters = text.match(CLUSTER) ?? [];
  return {
    clusters,
    gsm: clusters.map((c) => (GSM_BASIC.has(c) ? 1 : GSM_EXTENSION.has(c) ? 2 : null)),
    ucs: clusters.map((c) => c.length),
  };
}

/** Segments for a run of cluster costs, filled in order without splitting one. */
export function segmentsOf(costs: Iterable<number>, encoding: SmsEncoding): number {
  const { single, multi } = SEGMENT_SIZE[encoding];
  let total = 0;
  let segments = 1;
  let used = 0;
  for (const c of costs) {
    total += c;
    if (used + c > multi) {
      segments++;
      used = 0;
    }
    used += c;
  }
  return total <= single ? 1 : segments;
}

export interface SmsCount {
  readonly encoding: SmsEncoding;
  readonly segments: number;
  /** Septets (GSM-7) or UTF-16 units (UCS-2). */
  readonly units: number;
}

export function countSms(text: string): SmsCount {
  return countCosts([smsCosts(text)]);
}

/** The count of texts sent as one message, from their costs (see smsCosts). */
export function countCosts(parts: readonly SmsCosts[]): SmsCount {
  const gsm = parts.every((p) => p.gsm.every((c) => c !== null));
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  const costs = parts.flatMap((p) => (gsm ? (p.gsm as number[]) : p.ucs));
  return { encoding, segments: segmentsOf(costs, encoding), units: costs.reduce((a, b) => a + b, 0) };
}
