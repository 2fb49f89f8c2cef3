import type { Context } from '../context.ts';

const DAY = 86_400_000;

/** The story's anchor: the morning the Basrah consulate was placed on ordered departure (2018). */
export const STORY_DEPARTURE = '2018-09-28T08:00:00.000Z';
/** How many days before the demo is loaded the ordered departure happened. */
export const DEPARTURE_DAYS_AGO = 3;

/**
 * The demo's 2018 story moved to the present: every event keeps its real order, time of day and
 * the days between them, shifted by a whole number of days so that the ordered departure happened
 * DEPARTURE_DAYS_AGO days before the day the demo is loaded. So a newcomer's console shows the
 * live story (incidents in the last 30 days, threats rising now, a posture review still ahead)
 * rather than a world that ended in 2018.
 */
export interface DemoTimeline {
  /** Whole days added to every date of the story. */
  readonly shiftDays: number;
  /** The ordered departure in the loaded world (ISO). */
  readonly departure: string;
  /** A story instant (ISO or epoch ms) as an epoch ms of the loaded world. */
  ms(story: string | number): number;
  /** A story instant as an ISO timestamp of the loaded world. */
  iso(story: string | number): string;
  /** A story day (YYYY-MM-DD or ISO) as a YYYY-MM-DD day of the loaded world. */
  day(story: string): string;
  /** A story day in words, e.g. "8 September 2026", for text the story wrote with its date. */
  words(story: string): string;
  /** The context with its clock stopped at a story instant. */
  at(ctx: Context, story: string | number): Context;
}

const midnight = (ms: number) => Math.floor(ms / DAY) * DAY;

export function demoTimeline(loadedAt: Date): DemoTimeline {
  const story = Date.parse(STORY_DEPARTURE);
  const shiftDays = Math.round(
    (midnight(loadedAt.getTime()) - DEPARTURE_DAYS_AGO * DAY - midnight(story)) / DAY,
  );
  const ms = (s: string | number) => (typeof s === 'number' ? s : Date.parse(s)) + shiftDays * DAY;
  const iso = (s: string | number) => new Date(ms(s)).toISOString();
  return {
    shiftDays,
    departure: iso(STORY_DEPARTURE),
    ms,
    iso,
    day: (s) => iso(s.length === 10 ? `${s}T00:00:00Z` : s).slice(0, 10),
    words: (s) =>
      new Date(ms(s.length === 10 ? `${s}T00:00:00Z` : s)).toLocaleDateString('en-GB', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }),
    at: (ctx, s) => {
      const when = ms(s);
      return { ...ctx, clock: { now: () => new Date(when) } };
    },
  };
}
