import type { Country, Geography } from '../geo/types.ts';
import { hasControl } from '../text.ts';
import { type ResolvedPoint, resolvePoint } from './location.ts';
import {
  type IncidentSubType,
  type IncidentType,
  isDirected,
  subTypeFromLabel,
  typeFromLabel,
} from './taxonomy.ts';
import type { ActorRole, ActorType, Confidence, GeoPrecision, TimePrecision } from './types.ts';

/** The columns of an ACLED export, in ACLED's order. */
export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
] as const;
export type AcledColumn = (typeof ACLED_COLUMNS)[number];

/** Without these a row cannot become an incident; the others are optional (older exports lack some). */
export const REQUIRED_COLUMNS: readonly AcledColumn[] = [
  'event_id_cnty',
  'event_date',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'actor2',
  'country',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'notes',
  'fatalities',
];

/** The API's limits on an incident: items of a list, an actor's name, a source. */
const LIST_MAX = 50;
const ACTOR_MAX = 300;
const SOURCE_MAX = 500;

/** Columns Warden maps to incident fields; every other non-empty value is kept in `source`. */
const MAPPED = new Set<string>([
  'event_id_cnty',
  'event_date',
  'actor1',
  'assoc_actor_1',
  'actor2',
  'assoc_actor_2',
  'location',
  'latitude',
  'longitude',
  'source',
  'notes',
  'fatalities',
]);

export interface AcledHeader {
  readonly names: readonly string[];
  readonly col: Readonly<Record<AcledColumn, number>>;
  /** Indices of the columns kept verbatim in `source`. */
  readonly kept: readonly number[];
  /** Each column name as a JSON string and a colon: a member of the `source` object. */
  readonly quoted: readonly string[];
  readonly missing: readonly string[];
  readonly unknown: readonly string[];
  readonly duplicates: readonly string[];
}

export function readHeader(fields: readonly string[]): AcledHeader {
  const names = fields.map((f) => f.trim().toLowerCase());
  const col = {} as Record<AcledColumn, number>;
  for (const c of ACLED_COLUMNS) col[c] = names.indexOf(c);
  const known = new Set<string>(ACLED_COLUMNS);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) duplicates.add(n);
    seen.add(n);
  }
  const kept: number[] = [];
  names.forEach((n, i) => {
    if (!MAPPED.has(n)) kept.push(i);
  });
  return {
    names,
    col,
    kept,
    quoted: names.map((n) => `${JSON.stringify(n)}:`),
    missing: REQUIRED_COLUMNS.filter((c) => col[c] < 0),
    unknown: names.filter((n) => !known.has(n)),
    duplicates: [...duplicates],
  };
}

export interface RowIssue {
  readonly field: string | null;
  readonly reason: string;
}

export interface MappedActor {
  readonly name: string;
  /** actorKey(name), computed once. */
  readonly key: string;
  /** From the inter code; null for associated actors (ACLED gives them no type). */
  readonly type: ActorType | null;
  readonly role: ActorRole;
  readonly confidence: Confidence;
}

export interface MappedIncident {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly timePrecision: TimePrecision;
  readonly lat: number;
  readonly lon: number;
  readonly geoPrecision: GeoPrecision;
  readonly place: string | null;
  readonly country: string;
  readonly region: string | null;
  readonly type: IncidentType;
  readonly subType: IncidentSubType;
  readonly actors: readonly MappedActor[];
  readonly fatalities: number;
  readonly sources: readonly string[];
  readonly notes: string | null;
  /** The kept columns as a JSON object, serialised once here (imports store it as is). */
  readonly sourceJson: string;
}

export interface MappedRow {
  readonly incident: MappedIncident | null;
  readonly errors: RowIssue[];
  readonly warnings: RowIssue[];
}

/** ACLED inter codes: numeric in older exports, labels in newer ones. */
const INTER: Record<string, ActorType> = {
  '0': 'unknown',
  '1': 'state_forces',
  '2': 'rebel_group',
  '3': 'political_militia',
  '4': 'identity_militia',
  '5': 'rioters',
  '6': 'protesters',
  '7': 'civilians',
  '8': 'external_forces',
  'state forces': 'state_forces',
  'rebel group': 'rebel_group',
  'political militia': 'political_militia',
  'identity militia': 'identity_militia',
  rioters: 'rioters',
  protesters: 'protesters',
  civilians: 'civilians',
  'external/other forces': 'external_forces',
};

/**
 * ACLED time_precision: 1 = the day is known, 2 = the week (or a few days), 3 = only the month.
 * ACLED never gives a time of day, so 1 maps to `day`; 2 to `week`; 3 to `week` too, Warden's
 * coarsest precision (the original value is kept in `source.time_precision`).
 */
const TIME_PRECISION: Record<string, TimePrecision> = { '1': 'day', '2': 'week', '3': 'week' };
/** ACLED geo_precision: 1 = the exact place, 2 = near it / a part of a region, 3 = the region only. */
const GEO_PRECISION: Record<string, GeoPrecision> = { '1': 'exact', '2': 'near', '3': 'region' };

const MONTHS: Record<string, number> = {};
for (const [i, m] of [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
].entries()) {
  MONTHS[m] = i + 1;
  MONTHS[m.slice(0, 3)] = i + 1;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The number written in s[from, to), or -1 when that is not all digits. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const daysIn = (y: number, m: number) =>
  m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/** ACLED dates: "2018-09-27" (current exports) or "27 September 2018" / "27-Sep-2018" (older). */
export function parseAcledDate(raw: string): string | null {
  const s = raw.trim();
  // The usual form, read without a regular expression or a Date (this runs for every row).
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = digits(s, 0, 4);
    const m = digits(s, 5, 7);
    const d = digits(s, 8, 10);
    if (y >= 0 && m >= 0 && d >= 0) {
      return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) ? s : null;
    }
  }
  let y: number;
  let m: number;
  let d: number;
  const isoDate = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const named = isoDate ? null : /^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$/.exec(s);
  if (isoDate) [y, m, d] = [Number(isoDate[1]), Number(isoDate[2]), Number(isoDate[3])];
  else if (named) {
    const month = MONTHS[named[2]!.toLowerCase()];
    if (!month) return null;
    [y, m, d] = [Number(named[3]), month, Number(named[1])];
  } else return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d || y < 1900) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** Collapses runs of white space (only when there are any: this runs for every actor of every row). */
export const oneSpaced = (s: string): string => (/\s\s|[\t\n\r]/.test(s) ? s.replace(/\s+/g, ' ') : s);

/** "A; B;; C" -> ["A", "B", "C"]. */
export function splitList(s: string): string[] {
  const out: string[] = [];
  for (const part of s.split(';')) {
    const x = oneSpaced(part.trim());
    if (x) out.push(x);
  }
  return out;
}

export interface AcledContext {
  readonly geo: Geography;
  /**
   * Resolved points by "lat,lon,stated country": ACLED codes every event at a named place's
   * coordinates, so a large file holds far fewer distinct points than rows.
   */
  readonly points: Map<string, ResolvedPoint>;
  /** ISO 3166-1 numeric (ACLED's `iso`) and lower-cased names to countries. */
  readonly countries: ReadonlyMap<string, Country>;
  /** Dates after this day are refused (yyyy-mm-dd). */
  readonly latestDay: string;
}

const POINT_CACHE = 200_000;

export function acledContext(geo: Geography, now: Date): AcledContext {
  const countries = new Map<string, Country>();
  for (const c of geo.countries()) {
    if (c.numeric) countries.set(String(Number(c.numeric)), c);
    countries.set(c.name.toLowerCase(), c);
  }
  // ACLED's names where they differ from Natural Earth's.
  const alias: Record<string, string> = {
    'democratic republic of congo': 'CD',
    'republic of congo': 'CG',
    palestine: 'PS',
    'united states': 'US',
    'united kingdom': 'GB',
    russia: 'RU',
    'ivory coast': 'CI',
    "cote d'ivoire": 'CI',
    'south korea': 'KR',
    'north korea': 'KP',
    'czech republic': 'CZ',
    'bosnia and herzegovina': 'BA',
    eswatini: 'SZ',
    syria: 'SY',
    iran: 'IR',
    laos: 'LA',
    'east timor': 'TL',
    turkey: 'TR',
  };
  for (const [name, code] of Object.entries(alias)) {
    const c = geo.country(code);
    if (c && !countries.has(name)) countries.set(name, c);
  }
  return {
    geo,
    points: new Map(),
    countries,
    latestDay: new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10),
  };
}

function statedCountry(ctx: AcledContext, iso: string, name: string): Country | undefined {
  const n = iso.trim();
  if (n && /^\d+$/.test(n)) {
    const c = ctx.countries.get(String(Number(n)));
    if (c) return c;
  }
  return name.trim() ? ctx.countries.get(name.trim().toLowerCase()) : undefined;
}

/** The trimmed value of a column, '' when the file has no such column. */
function cell(h: AcledHeader, f: readonly string[], c: AcledColumn): string {
  const i = h.col[c];
  if (i < 0) return '';
  const v = f[i];
  return v === undefined ? '' : v.trim();
}

function interType(inter: string, n: 1 | 2, warnings: RowIssue[]): ActorType {
  if (!inter) return 'unknown';
  const t = INTER[inter.toLowerCase()];
  if (t) return t;
  warnings.push({ field: `inter${n}`, reason: `unknown inter code "${inter}"; actor type unknown` });
  return 'unknown';
}

/** ACLED's actor1 (+ associates) or actor2 (+ associates), de-duplicated by name and role. */
function addSide(
  out: MappedActor[],
  name: string,
  type: ActorType,
  assoc: string,
  role: ActorRole,
  confidence: Confidence,
): void {
  const names = assoc ? splitList(assoc) : [];
  if (name) names.unshift(oneSpaced(name));
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    const key = actorKey(n);
    // A handful of actors a row: a scan is cheaper than a set.
    if (out.some((a) => a.key === key && a.role === role)) continue;
    out.push({ name: n, key, type: name && i === 0 ? type : null, role, confidence });
  }
}

function pointOf(
  ctx: AcledContext,
  h: AcledHeader,
  f: readonly string[],
  errors: RowIssue[],
  warnings: RowIssue[],
): { lat: number; lon: number; country: string; region: string | null } | null {
  const rawLat = cell(h, f, 'latitude');
  const rawLon = cell(h, f, 'longitude');
  const lat = rawLat === '' ? Number.NaN : Number(rawLat);
  const lon = rawLon === '' ? Number.NaN : Number(rawLon);
  if (!Number.isFinite(lat)) errors.push({ field: 'latitude', reason: `"${rawLat}" is not a number` });
  if (!Number.isFinite(lon)) errors.push({ field: 'longitude', reason: `"${rawLon}" is not a number` });
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  const isoCode = cell(h, f, 'iso');
  const countryName = cell(h, f, 'country');
  const stated = statedCountry(ctx, isoCode, countryName);
  if (!stated && (isoCode || countryName)) {
    warnings.push({
      field: 'country',
      reason: `unknown country "${countryName || isoCode}"; the country is derived from the point`,
    });
  }
  const key = `${rawLat},${rawLon},${stated?.code ?? ''}`;
  let p = ctx.points.get(key);
  if (!p) {
    p = resolvePoint(ctx.geo, lat, lon, stated);
    if (ctx.points.size >= POINT_CACHE) ctx.points.clear();
    ctx.points.set(key, p);
  }
  if (!p.ok) {
    errors.push(p.issue);
    return null;
  }
  if (p.warning) warnings.push({ field: 'latitude', reason: p.warning });
  return { lat, lon, country: p.country, region: p.region };
}

/**
 * The API's field limits (server/routes/incidents), for every import path too (issue 11: an
 * unquoted 3 MiB field was stored): the longest value a cell may hold, by column. A list cell
 * (actors, sources) holds at most LIST_MAX items of the API's item length. Other columns, kept
 * verbatim in `source`, are short codes and names in ACLED's exports.
 */
const CELL_MAX: Partial<Record<string, number>> = {
  event_id_cnty: 64,
  notes: 10_000,
  location: 300,
  actor1: ACTOR_MAX,
  actor2: ACTOR_MAX,
  assoc_actor_1: LIST_MAX * (ACTOR_MAX + 2),
  assoc_actor_2: LIST_MAX * (ACTOR_MAX + 2),
  source: LIST_MAX * (SOURCE_MAX + 2),
};
const KEPT_MAX = 1_000;

/** Cells too long for the API, or holding control characters (tab and line breaks are text here). */
function checkCells(h: AcledHeader, f: readonly string[], errors: RowIssue[]): void {
  for (let i = 0; i < f.length; i++) {
    const v = f[i]!;
    const name = h.names[i] ?? `column ${i + 1}`;
    const max = CELL_MAX[name] ?? KEPT_MAX;
    if (v.length > max) errors.push({ field: name, reason: `is longer than ${max} characters` });
    else if (hasControl(v)) errors.push({ field: name, reason: 'contains control characters' });
  }
}

function checkList(field: string, items: readonly string[], max: number, errors: RowIssue[]): void {
  if (items.length > LIST_MAX) errors.push({ field, reason: `lists more than ${LIST_MAX} items` });
  if (items.some((x) => x.length > max))
    errors.push({ field, reason: `has an item longer than ${max} characters` });
}

/**
 * One ACLED row to an incident, or the precise reasons it cannot be one. Every problem of the
 * row is listed (not only the first); warnings never drop a row. (No closures on this path: it
 * runs a million times per large import.)
 */
export function mapAcledRow(ctx: AcledContext, h: AcledHeader, f: readonly string[]): MappedRow {
  const errors: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  checkCells(h, f, errors);

  const eventId = cell(h, f, 'event_id_cnty');
  if (!eventId) errors.push({ field: 'event_id_cnty', reason: 'the event id is empty' });

  const rawDate = cell(h, f, 'event_date');
  const day = parseAcledDate(rawDate);
  if (!day) errors.push({ field: 'event_date', reason: `"${rawDate}" is not a date (expected yyyy-mm-dd)` });
  else if (day > ctx.latestDay) errors.push({ field: 'event_date', reason: `${day} is in the future` });
  const year = cell(h, f, 'year');
  if (day && year && year !== day.slice(0, 4)) {
    warnings.push({
      field: 'year',
      reason: `year ${year} differs from the event date ${day}; the date is used`,
    });
  }

  const tp = cell(h, f, 'time_precision');
  let timePrecision = TIME_PRECISION[tp];
  if (!timePrecision) {
    timePrecision = 'week';
    warnings.push({ field: 'time_precision', reason: `"${tp}" is not 1, 2 or 3; taken as week` });
  }
  const gp = cell(h, f, 'geo_precision');
  let geoPrecision = GEO_PRECISION[gp];
  if (!geoPrecision) {
    geoPrecision = 'region';
    warnings.push({ field: 'geo_precision', reason: `"${gp}" is not 1, 2 or 3; taken as region` });
  }

  const point = pointOf(ctx, h, f, errors, warnings);

  const rawFatalities = cell(h, f, 'fatalities');
  const fatalities = rawFatalities === '' ? 0 : Number(rawFatalities);
  if (!Number.isInteger(fatalities) || fatalities < 0) {
    errors.push({ field: 'fatalities', reason: `"${rawFatalities}" is not a whole number of 0 or more` });
  }

  const eventType = cell(h, f, 'event_type');
  const subLabel = cell(h, f, 'sub_event_type');
  let type: IncidentType = 'other';
  let subType: IncidentSubType = 'other';
  const known = typeFromLabel(eventType);
  const knownSub = known && subTypeFromLabel(known, subLabel);
  if (known && knownSub) {
    type = known;
    subType = knownSub;
  } else if (known) {
    warnings.push({
      field: 'sub_event_type',
      reason: `unknown sub-event type "${subLabel}" for "${eventType}"; kept as other (the labels are kept in source)`,
    });
  } else {
    warnings.push({
      field: 'event_type',
      reason: `unknown event type "${eventType}"; kept as other (the labels are kept in source)`,
    });
  }

  const notes = cell(h, f, 'notes') || null;
  const directed = isDirected(type, subType);
  const claimed = notes !== null && /claimed responsibility/i.test(notes);
  const actors: MappedActor[] = [];
  const role1: ActorRole = directed ? 'perpetrator' : 'other';
  const role2: ActorRole = directed ? 'target' : 'other';
  const type1 = interType(cell(h, f, 'inter1'), 1, warnings);
  const type2 = interType(cell(h, f, 'inter2'), 2, warnings);
  addSide(
    actors,
    cell(h, f, 'actor1'),
    type1,
    cell(h, f, 'assoc_actor_1'),
    role1,
    directed && claimed ? 'claimed' : 'suspected',
  );
  addSide(actors, cell(h, f, 'actor2'), type2, cell(h, f, 'assoc_actor_2'), role2, 'suspected');
  if (actors.length === 0) warnings.push({ field: 'actor1', reason: 'the event names no actor' });
  checkList(
    'actors',
    actors.map((a) => a.name),
    ACTOR_MAX,
    errors,
  );
  const sources = splitList(cell(h, f, 'source'));
  checkList('source', sources, SOURCE_MAX, errors);

  // Joined once rather than appended to: one flat string instead of a tree of dozens of pieces
  // that lives (and is copied by the garbage collector) until the row is written.
  const parts: string[] = [];
  for (const i of h.kept) {
    const v = f[i]?.trim();
    if (v) parts.push(h.quoted[i] + JSON.stringify(v));
  }
  const sourceJson = parts.length ? `{${parts.join(',')}}` : '{}';

  if (errors.length > 0 || !day || !point) return { incident: null, errors, warnings };
  const place = cell(h, f, 'location');
  return {
    incident: {
      eventId,
      occurredAt: `${day}T00:00:00.000Z`,
      timePrecision,
      lat: point.lat,
      lon: point.lon,
      geoPrecision,
      place: place || null,
      country: point.country,
      region: point.region,
      type,
      subType,
      actors,
      fatalities,
      sources,
      notes,
      sourceJson,
    },
    errors,
    warnings,
  };
}

export const actorKey = (name: string): string => oneSpaced(name.trim()).toLowerCase();
