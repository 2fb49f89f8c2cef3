import type { Context } from '../context.ts';
import { loadGeography } from '../domain/geo/index.ts';
import type { IncidentSubType, IncidentType } from '../domain/incidents/taxonomy.ts';
import { subTypeLabel, typeLabel } from '../domain/incidents/taxonomy.ts';
import type { ActorType } from '../domain/incidents/types.ts';
import { importIncidentsCsv } from '../imports/incidents/import.ts';
import { type Actor, systemActor } from '../services/audit/audit.ts';
import { addRelation, createActor } from '../services/incidents/actors.ts';
import { createIncident } from '../services/incidents/incidents.ts';
import { listPosts } from '../store/posts/posts.ts';
import { type DemoTimeline, demoTimeline, STORY_DEPARTURE } from './timeline.ts';

/** The story's moment: the morning the Basrah consulate is placed on ordered departure (2018). */
const DEMO_MOMENT = STORY_DEPARTURE;
const START = Date.parse('2017-09-29T00:00:00Z');
const DAY = 86_400_000;

/** mulberry32: the same world on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mix = ReadonlyArray<readonly [IncidentType, IncidentSubType, number]>;
const NORTH: Mix = [
  ['battles', 'armed_clash', 30],
  ['explosions_remote_violence', 'remote_explosive_landmine_ied', 25],
  ['violence_against_civilians', 'attack', 12],
  ['violence_against_civilians', 'abduction_forced_disappearance', 6],
  ['strategic_developments', 'disrupted_weapons_use', 10],
  ['strategic_developments', 'arrests', 7],
  ['explosions_remote_violence', 'air_drone_strike', 6],
  ['explosions_remote_violence', 'shelling_artillery_missile_attack', 4],
];
const CAPITAL: Mix = [
  ['explosions_remote_violence', 'remote_explosive_landmine_ied', 30],
  ['violence_against_civilians', 'attack', 20],
  ['protests', 'peaceful_protest', 15],
  ['strategic_developments', 'arrests', 20],
  ['explosions_remote_violence', 'grenade', 10],
  ['explosions_remote_violence', 'suicide_bomb', 5],
];
const SOUTH: Mix = [
  ['protests', 'peaceful_protest', 45],
  ['violence_against_civilians', 'attack', 20],
  ['strategic_developments', 'arrests', 15],
  ['riots', 'mob_violence', 10],
  ['explosions_remote_violence', 'grenade', 10],
];
const KURDISTAN: Mix = [
  ['explosions_remote_violence', 'air_drone_strike', 40],
  ['protests', 'peaceful_protest', 35],
  ['strategic_developments', 'agreement', 25],
];

interface Place {
  readonly name: string;
  readonly admin1: string;
  readonly lat: number;
  readonly lon: number;
  /** Events a year in the background. */
  readonly perYear: number;
  readonly spreadDeg: number;
  readonly mix: Mix;
}

const PLACES: readonly Place[] = [
  { name: 'Baghdad', admin1: 'Baghdad', lat: 33.32, lon: 44.36, perYear: 700, spreadDeg: 0.12, mix: CAPITAL },
  { name: 'Mosul', admin1: 'Ninewa', lat: 36.34, lon: 43.13, perYear: 330, spreadDeg: 0.25, mix: NORTH },
  { name: 'Kirkuk', admin1: 'Kirkuk', lat: 35.47, lon: 44.39, perYear: 260, spreadDeg: 0.25, mix: NORTH },
  { name: 'Ramadi', admin1: 'Anbar', lat: 33.42, lon: 43.3, perYear: 200, spreadDeg: 0.3, mix: NORTH },
  { name: 'Fallujah', admin1: 'Anbar', lat: 33.35, lon: 43.78, perYear: 120, spreadDeg: 0.15, mix: NORTH },
  { name: 'Baqubah', admin1: 'Diyala', lat: 33.75, lon: 44.64, perYear: 240, spreadDeg: 0.25, mix: NORTH },
  { name: 'Tikrit', admin1: 'Salah al-Din', lat: 34.6, lon: 43.68, perYear: 180, spreadDeg: 0.3, mix: NORTH },
  {
    name: 'Samarra',
    admin1: 'Salah al-Din',
    lat: 34.2,
    lon: 43.88,
    perYear: 100,
    spreadDeg: 0.15,
    mix: NORTH,
  },
  { name: 'Basrah', admin1: 'Basrah', lat: 30.5, lon: 47.8, perYear: 60, spreadDeg: 0.08, mix: SOUTH },
  { name: 'Nasiriyah', admin1: 'Dhi-Qar', lat: 31.05, lon: 46.26, perYear: 70, spreadDeg: 0.1, mix: SOUTH },
  { name: 'Najaf', admin1: 'Al-Najaf', lat: 32.0, lon: 44.34, perYear: 50, spreadDeg: 0.08, mix: SOUTH },
  { name: 'Karbala', admin1: 'Karbala', lat: 32.62, lon: 44.02, perYear: 40, spreadDeg: 0.08, mix: SOUTH },
  { name: 'Amarah', admin1: 'Maysan', lat: 31.84, lon: 47.15, perYear: 50, spreadDeg: 0.08, mix: SOUTH },
  { name: 'Kut', admin1: 'Wasit', lat: 32.51, lon: 45.82, perYear: 40, spreadDeg: 0.08, mix: SOUTH },
  { name: 'Hillah', admin1: 'Babil', lat: 32.48, lon: 44.43, perYear: 50, spreadDeg: 0.1, mix: SOUTH },
  { name: 'Erbil', admin1: 'Erbil', lat: 36.19, lon: 44.01, perYear: 60, spreadDeg: 0.4, mix: KURDISTAN },
  {
    name: 'Sulaymaniyah',
    admin1: 'Sulaymaniyah',
    lat: 35.56,
    lon: 45.43,
    perYear: 50,
    spreadDeg: 0.3,
    mix: KURDISTAN,
  },
];

const ACLED_ACTOR: Record<IncidentType, readonly [string, ActorType, string, ActorType]> = {
  battles: ['Military Forces of Iraq (2014-)', 'state_forces', 'Islamic State (Iraq)', 'rebel_group'],
  explosions_remote_violence: ['Islamic State (Iraq)', 'rebel_group', 'Civilians (Iraq)', 'civilians'],
  violence_against_civilians: [
    'Unidentified Armed Group (Iraq)',
    'political_militia',
    'Civilians (Iraq)',
    'civilians',
  ],
  protests: ['Protesters (Iraq)', 'protesters', '', 'unknown'],
  riots: ['Rioters (Iraq)', 'rioters', 'Civilians (Iraq)', 'civilians'],
  strategic_developments: ['Police Forces of Iraq (2014-)', 'state_forces', '', 'unknown'],
  other: ['Unidentified Armed Group (Iraq)', 'political_militia', '', 'unknown'],
};

const INTER: Record<ActorType, string> = {
  state_forces: '1',
  rebel_group: '2',
  political_militia: '3',
  identity_militia: '4',
  rioters: '5',
  protesters: '6',
  civilians: '7',
  external_forces: '8',
  unknown: '0',
};

const COLUMNS =
  'event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp';

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

interface Row {
  readonly day: number;
  readonly type: IncidentType;
  readonly subType: IncidentSubType;
  readonly place: string;
  readonly admin1: string;
  readonly lat: number;
  readonly lon: number;
  readonly fatalities: number;
  /** Replaces the type's usual actors (ACLED codes unattributed indirect fire to an unidentified group). */
  readonly actors?: readonly [string, ActorType, string, ActorType];
  readonly notes?: string;
}

/** One ACLED row, its date moved by `shiftDays` (the demo timeline). */
function csvRow(id: number, r: Row, shiftDays: number): string {
  const [a1, t1, a2, t2] = r.actors ?? ACLED_ACTOR[r.type];
  const date = new Date(START + (r.day + shiftDays) * DAY).toISOString().slice(0, 10);
  const what = subTypeLabel(r.type, r.subType);
  const notes = r.notes
    ? `On ${date}, ${r.notes}`
    : `On ${date}, ${what.toLowerCase()} reported in ${r.place}${r.fatalities ? `; ${r.fatalities} killed` : ''}. (Synthetic demo event.)`;
  return [
    `IRQDEMO${String(id).padStart(5, '0')}`,
    date,
    date.slice(0, 4),
    '1',
    r.type === 'protests'
      ? 'Demonstrations'
      : r.type === 'strategic_developments'
        ? 'Strategic developments'
        : 'Political violence',
    typeLabel(r.type),
    what,
    a1,
    '',
    INTER[t1],
    a2,
    '',
    INTER[t2],
    '',
    '',
    '368',
    'Middle East',
    'Iraq',
    r.admin1,
    '',
    '',
    r.place,
    r.lat.toFixed(4),
    r.lon.toFixed(4),
    '1',
    'Warden demo generator',
    'Other',
    notes,
    String(r.fatalities),
    '',
    '1538118000',
  ]
    .map(csvField)
    .join(',');
}

/** A point near (lat, lon) that lies in Iraq (the spread never crosses into Iran or the Gulf). */
function pointNear(random: () => number, lat: number, lon: number, spread: number): [number, number] {
  const geo = loadGeography();
  for (let i = 0; i < 20; i++) {
    const p: [number, number] = [lat + (random() * 2 - 1) * spread, lon + (random() * 2 - 1) * spread];
    if (geo.regionAt(p[0], p[1], { toleranceKm: 0 })?.country === 'IQ') return p;
  }
  return [lat, lon];
}

function pick<T extends readonly [...unknown[], number]>(random: () => number, items: readonly T[]): T {
  const total = items.reduce((s, x) => s + (x[x.length - 1] as number), 0);
  let r = random() * total;
  for (const x of items) {
    r -= x[x.length - 1] as number;
    if (r <= 0) return x;
  }
  return items[items.length - 1]!;
}

const dayOf = (iso: string) => Math.floor((Date.parse(iso) - START) / DAY);

/** The year of events, oldest first: background, the summer protests, then the indirect fire. */
function generateRows(): Row[] {
  const random = rng(2018);
  const rows: Row[] = [];
  const days = dayOf(DEMO_MOMENT);
  for (const p of PLACES) {
    const n = Math.round(p.perYear * (days / 365));
    for (let i = 0; i < n; i++) {
      const [type, subType] = pick(random, p.mix);
      const [lat, lon] = pointNear(random, p.lat, p.lon, p.spreadDeg);
      const violent = type === 'battles' || type === 'explosions_remote_violence';
      rows.push({
        day: Math.floor(random() * days),
        type,
        subType,
        place: p.name,
        admin1: p.admin1,
        lat,
        lon,
        fatalities: violent ? Math.floor(random() * random() * 8) : 0,
      });
    }
  }
  // July-August 2018: protests over water, power and jobs spread across the south.
  for (let i = 0; i < 90; i++) {
    const p = PLACES.filter((x) => x.mix === SOUTH)[Math.floor(random() * 7)]!;
    const [lat, lon] = pointNear(random, p.lat, p.lon, p.spreadDeg);
    rows.push({
      day: dayOf('2018-07-08T00:00:00Z') + Math.floor(random() * 50),
      type: 'protests',
      subType: random() < 0.8 ? 'peaceful_protest' : 'protest_with_intervention',
      place: p.name,
      admin1: p.admin1,
      lat,
      lon,
      fatalities: 0,
    });
  }
  // 3-8 September: protests in Basrah's central business district turn violent.
  for (let i = 0; i < 18; i++) {
    const riot = i % 3 !== 0;
    rows.push({
      day: dayOf('2018-09-03T00:00:00Z') + Math.floor(random() * 6),
      type: riot ? 'riots' : 'protests',
      subType: riot ? 'violent_demonstration' : 'excessive_force_against_protesters',
      place: 'Basrah',
      admin1: 'Basrah',
      lat: 30.505 + random() * 0.02,
      lon: 47.785 + random() * 0.04,
      fatalities: riot ? 0 : Math.floor(random() * 3),
    });
  }
  // Indirect fire at the consulate area: rare through the summer, then weekly and more.
  for (const when of ['2018-06-19', '2018-08-02']) {
    rows.push(idf(random, when, 30.51, 47.81, 'Basrah'));
  }
  for (const when of [
    '2018-09-06',
    '2018-09-07',
    '2018-09-08',
    '2018-09-12',
    '2018-09-16',
    '2018-09-20',
    '2018-09-23',
  ]) {
    rows.push(idf(random, when, 30.51, 47.81, 'Basrah'));
  }
  for (const when of ['2018-07-11', '2018-09-06', '2018-09-17']) {
    rows.push(idf(random, when, 33.3, 44.39, 'Baghdad'));
  }
  return rows.sort((a, b) => a.day - b.day);
}

function idf(random: () => number, when: string, lat: number, lon: number, place: string): Row {
  const [plat, plon] = pointNear(random, lat, lon, 0.04);
  return {
    day: dayOf(`${when}T00:00:00Z`),
    type: 'explosions_remote_violence',
    subType: 'shelling_artillery_missile_attack',
    place,
    admin1: place,
    lat: plat,
    lon: plon,
    fatalities: 0,
    actors: ['Unidentified Armed Group (Iraq)', 'political_militia', '', 'unknown'],
    notes: `Katyusha rockets or mortar rounds landed near the US ${place === 'Basrah' ? 'consulate at Basrah airport' : 'embassy in the International Zone'}. (Synthetic demo event.)`,
  };
}

/** The attacks staff logged themselves: exact times, the post targeted, a suspected militia. */
const LOGGED: ReadonlyArray<{
  at: string;
  post: 'basrah' | 'baghdad';
  lat: number;
  lon: number;
  notes: string;
}> = [
  {
    at: '2018-09-08T01:20:00Z',
    post: 'basrah',
    lat: 30.514,
    lon: 47.817,
    notes: 'Three rockets landed inside the consulate perimeter overnight; no casualties.',
  },
  {
    at: '2018-09-18T19:45:00Z',
    post: 'basrah',
    lat: 30.507,
    lon: 47.803,
    notes: 'Two rockets impacted 600 m from the consulate compound.',
  },
  {
    at: '2018-09-25T22:10:00Z',
    post: 'basrah',
    lat: 30.52,
    lon: 47.812,
    notes: 'One rocket landed near the consulate gate; minor damage to a perimeter wall.',
  },
  {
    at: '2018-09-06T20:30:00Z',
    post: 'baghdad',
    lat: 33.301,
    lon: 44.388,
    notes: 'Three mortar rounds landed in the International Zone near the embassy.',
  },
  {
    at: '2018-09-27T21:40:00Z',
    post: 'baghdad',
    lat: 33.303,
    lon: 44.385,
    notes: 'A rocket struck open ground inside the International Zone, 300 m from the embassy.',
  },
];

export interface DemoIncidents {
  readonly imported: number;
  readonly logged: number;
  readonly actors: Readonly<Record<'quds' | 'kh' | 'aah' | 'pmf', string>>;
}

/**
 * A year of incidents in Iraq up to the demo's moment: a few thousand synthetic ACLED-style
 * events (deterministic) imported through the real importer, the summer protests in the south,
 * violent protests in Basrah's CBD in early September, and a rise in indirect fire at the Basrah
 * consulate and the Baghdad embassy, the last within 24 hours, attributed (suspected) to
 * Kata'ib Hezbollah, a militia directed by Iran's IRGC Quds Force.
 */
export async function loadDemoIncidents(
  ctx: Context,
  actor: Actor = systemActor,
  tl: DemoTimeline = demoTimeline(ctx.clock.now()),
): Promise<DemoIncidents> {
  const at = tl.at;
  const early = at(ctx, '2018-01-02T09:00:00Z');
  const make = (name: string, type: ActorType, notes: string) =>
    createActor(early, actor, { name, type, notes });
  const quds = await make(
    'Islamic Revolutionary Guard Corps - Quds Force',
    'external_forces',
    "The IRGC's external operations branch.",
  );
  const pmf = await make(
    'PMF: Popular Mobilization Forces',
    'political_militia',
    'State-sanctioned umbrella of militias.',
  );
  const kh = await make("Kata'ib Hezbollah", 'political_militia', 'Shia militia; a PMF brigade.');
  const aah = await make("Asa'ib Ahl al-Haq", 'political_militia', 'Shia militia; a PMF brigade.');
  for (const [from, relation, to, confidence] of [
    [kh, 'directed_by', quds, 'suspected'],
    [aah, 'directed_by', quds, 'suspected'],
    [kh, 'part_of', pmf, 'confirmed'],
    [aah, 'part_of', pmf, 'confirmed'],
  ] as const) {
    await addRelation(early, actor, from.id, { relation, toActorId: to.id, confidence });
  }

  const rows = generateRows();
  const csv = [COLUMNS, ...rows.map((r, i) => csvRow(i + 1, r, tl.shiftDays))].join('\n');
  const report = await importIncidentsCsv(at(ctx, '2018-09-28T06:00:00Z'), actor, [csv]);

  const posts = await listPosts(ctx.store.db, { country: 'IQ' });
  const postId = (city: string) => posts.find((p) => p.city === city)?.id ?? null;
  const ids = { basrah: postId('Basrah'), baghdad: postId('Baghdad') };
  for (const e of LOGGED) {
    await createIncident(at(ctx, Date.parse(e.at) + 3_600_000), actor, {
      occurredAt: tl.iso(e.at),
      timePrecision: 'exact',
      location: {
        lat: e.lat,
        lon: e.lon,
        precision: 'exact',
        place: e.post === 'basrah' ? 'Basrah' : 'Baghdad - International Zone',
      },
      type: 'explosions_remote_violence',
      subType: 'shelling_artillery_missile_attack',
      target: {
        text: e.post === 'basrah' ? 'U.S. Consulate General Basrah' : 'U.S. Embassy Baghdad',
        postId: ids[e.post],
      },
      actors: [{ actorId: kh.id, role: 'perpetrator', confidence: 'suspected' }],
      fatalities: 0,
      injuries: 0,
      sources: ['Post security report'],
      notes: e.notes,
    });
  }
  return {
    imported: report.inserted,
    logged: LOGGED.length,
    actors: { quds: quds.id, kh: kh.id, aah: aah.id, pmf: pmf.id },
  };
}
