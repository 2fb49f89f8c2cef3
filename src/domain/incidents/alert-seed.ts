import { subTypeLabel, typeLabel } from './taxonomy.ts';
import type { GeoPrecision, Incident } from './types.ts';

export interface AlertSeed {
  readonly area: {
    readonly circle: { readonly lat: number; readonly lon: number; readonly radiusKm: number };
  };
  readonly time: string;
  readonly headline: string;
  readonly description: string;
}

/**
 * Radius of the seeded circle: the place is known to within about this much at each precision
 * (ACLED's "near" is a town or district; "region" is an admin region, so the circle is wide and
 * the drafter should redraw it).
 */
export const SEED_RADIUS_KM: Record<GeoPrecision, number> = { exact: 2, near: 10, region: 50 };

const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

export function whenText(i: Incident): string {
  const d = new Date(i.occurredAt);
  switch (i.timePrecision) {
    case 'exact':
      return `On ${DATE.format(d)} at ${TIME.format(d)} UTC`;
    case 'day':
      return `On ${DATE.format(d)}`;
    case 'week':
      return `In the week of ${DATE.format(d)}`;
    default: {
      const never: never = i.timePrecision;
      return never;
    }
  }
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The parts of an alert draft an incident suggests: a circle around it, its time, a headline and
 * a factual description. Attribution is worded by confidence ("suspected"), never stronger.
 */
export function alertSeed(
  i: Incident,
  names: { country: string; region: string | null; targetPost: string | null },
): AlertSeed {
  const what = subTypeLabel(i.type, i.subType);
  const label = i.subType === 'other' ? typeLabel(i.type) : what;
  const place = i.location.place ?? names.region ?? names.country;
  const where = [i.location.place, names.region, names.country].filter((x): x is string => !!x);
  const parts = [
    `${whenText(i)}, ${label.toLowerCase()} reported ${i.location.precision === 'exact' ? 'in' : 'near'} ${[...new Set(where)].join(', ')}.`,
  ];
  const target = names.targetPost ?? i.target.text;
  if (target) parts.push(`Target: ${target}.`);
  const casualties: string[] = [];
  if (i.fatalities !== null) casualties.push(count(i.fatalities, 'fatality', 'fatalities'));
  if (i.injuries !== null) casualties.push(count(i.injuries, 'injury', 'injuries'));
  if (casualties.length) parts.push(`${casualties.join(' and ')} reported.`);
  const perpetrators = i.actors.filter((a) => a.role === 'perpetrator' && !/^unidentified/i.test(a.name));
  if (perpetrators.length) {
    parts.push(`Attributed to ${perpetrators.map((a) => `${a.name} (${a.confidence})`).join(', ')}.`);
  }
  return {
    area: {
      circle: { lat: i.location.lat, lon: i.location.lon, radiusKm: SEED_RADIUS_KM[i.location.precision] },
    },
    time: i.occurredAt,
    headline: `${label} near ${place}`,
    description: parts.join(' '),
  };
}
