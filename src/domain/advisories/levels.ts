import { WardenError } from '../errors.ts';

// Pure (no Node imports): the console imports this table too, so the staff map, its badges and the
// public GeoJSON feed paint every level in the same colour.

/** The four advisory levels, from the least to the most severe. */
export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];

export const isLevel = (value: unknown): value is Level => (LEVELS as readonly unknown[]).includes(value);

export const LEVEL_LABELS: Readonly<Record<Level, string>> = {
  1: 'Exercise normal precautions',
  2: 'Exercise increased caution',
  3: 'Reconsider travel',
  4: 'Do not travel',
};

/**
 * Map colours per level (green, yellow, orange, red), so every consumer paints the same map.
 * Level 1 was blue, which over the map read as water (Kuwait looked like sea, issue 16); its green
 * is dark enough for white badge text (WCAG AA, 5.3:1).
 */
export const LEVEL_COLORS: Readonly<Record<Level, string>> = {
  1: '#2f7a47',
  2: '#f2c230',
  3: '#ef8a2c',
  4: '#c9252c',
};

/** Text colour that stays readable on each level's colour (badges). */
export const LEVEL_TEXT_COLORS: Readonly<Record<Level, string>> = {
  1: '#ffffff',
  2: '#1c2733',
  3: '#1c2733',
  4: '#ffffff',
};

/** Risk indicators, in the order they are always listed. */
export const INDICATORS = {
  C: 'Crime',
  T: 'Terrorism',
  U: 'Civil unrest',
  H: 'Health',
  N: 'Natural disaster',
  E: 'Time-limited event',
  K: 'Kidnapping or hostage taking',
  D: 'Wrongful detention',
  O: 'Other',
} as const;

export type Indicator = keyof typeof INDICATORS;

/** The indicator codes in their canonical order. */
export const INDICATOR_CODES = Object.keys(INDICATORS) as readonly Indicator[];

export const isIndicator = (s: string): s is Indicator => (INDICATOR_CODES as readonly string[]).includes(s);

export function parseLevel(value: unknown, field: string): Level {
  if (isLevel(value)) return value;
  throw new WardenError('validation_failed', 'The level must be 1, 2, 3 or 4.', { field, value });
}

/** Upper-cases, removes duplicates and sorts into the canonical order; unknown codes are an error. */
export function parseIndicators(values: readonly string[], field: string): Indicator[] {
  const upper = values.map((v) => v.trim().toUpperCase());
  const unknown = upper.filter((v) => !isIndicator(v));
  if (unknown.length > 0) {
    throw new WardenError('unknown_indicator', `Unknown risk indicator(s): ${unknown.join(', ')}.`, {
      field,
      invalid: unknown,
      known: INDICATOR_CODES,
    });
  }
  return INDICATOR_CODES.filter((code) => upper.includes(code));
}

/** How long a published edition stands before it must be reviewed: shorter for the higher levels. */
export const reviewIntervalMonths = (level: Level): number => (level <= 2 ? 12 : 6);

/** Calendar months in UTC; the day is clamped (31 August + 6 months = 28/29 February). */
export function addMonthsUtc(d: Date, months: number): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(d.getTime());
  out.setUTCFullYear(y, m, Math.min(d.getUTCDate(), lastDay));
  return out;
}

export const defaultNextReview = (level: Level, from: Date): Date =>
  addMonthsUtc(from, reviewIntervalMonths(level));
