import { checkEmail, checkPhone, checkWebhook } from '../domain/enrollments/contacts.ts';
import {
  type PlaceRef,
  placeById,
  resolveTrip,
  type Trip,
  type TripInput,
} from '../domain/enrollments/trips.ts';
import { WardenError } from '../domain/errors.ts';
import { type Geography, loadGeography, normalizeName } from '../domain/geo/index.ts';
import { orderedId } from '../domain/incidents/ids.ts';
import { blindIndexOfNormal, PersonCipher } from '../domain/privacy/index.ts';
import {
  COL,
  ENROLLMENT_COLUMNS,
  PERSON_END,
  type RawRow,
  type RowIssue,
  refuseAll,
} from './enrollment-import-format.ts';

/*
 * Checks and seals one person of an import: pure CPU work (no I/O), so it runs in worker threads
 * during a large import and inline otherwise. Every problem of every row is reported, not just
 * the first; a person with any problem is refused whole.
 */

export interface PersonEnv {
  /** Now, as ISO time: trip dates are checked against its day. */
  readonly now: string;
  readonly kek: Buffer;
  readonly blindKey: Buffer;
  readonly allowPrivateWebhooks: boolean;
}

export interface PersonGroup {
  readonly externalId: string;
  readonly rows: readonly RawRow[];
  readonly hash: string;
  /** The stored person of this external id, whose data key seals the new values. */
  readonly existing: { readonly id: string; readonly wrappedKey: string } | null;
}

export interface SealedPerson {
  readonly ok: true;
  readonly externalId: string;
  readonly id: string;
  readonly hash: string;
  /** Set for a new person only. */
  readonly wrappedKey: string | null;
  readonly rowRange: readonly [number, number];
  readonly language: string;
  readonly webhookUrl: string | null;
  readonly nameEnc: string;
  readonly emergencyNameEnc: string;
  readonly emergencyPhoneEnc: string | null;
  readonly emergencyEmailEnc: string | null;
  readonly contacts: ReadonlyArray<{
    readonly id: string;
    readonly kind: 'email' | 'phone';
    readonly valueEnc: string;
    readonly blindIndex: string;
    /** The row the contact came from, for a conflict found later. */
    readonly row: number;
    readonly line: number;
  }>;
  readonly trips: ReadonlyArray<Trip & { readonly id: string }>;
  /** Rows not imported although the person was (exact duplicates of another trip row). */
  readonly ignored: readonly RowIssue[];
}

export interface RefusedPerson {
  readonly ok: false;
  readonly externalId: string;
  readonly errors: readonly RowIssue[];
}

export type PreparedPerson = SealedPerson | RefusedPerson;

export const MAX_TRIPS = 100;
const LIMITS: Partial<Record<(typeof ENROLLMENT_COLUMNS)[number], number>> = {
  external_id: 100,
  name: 200,
  email: 254,
  phone: 64,
  language: 35,
  emergency_name: 200,
  emergency_phone: 64,
  emergency_email: 254,
  webhook_url: 2000,
  place: 200,
};
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
// C0 and C1 controls other than tab, CR and LF (which fold into spaces in names).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Columns whose whitespace (quoted newlines included) folds to single spaces. */
const FOLDED = new Set<number>([COL.name, COL.emergency_name, COL.place]);

let geography: Geography | undefined;
const placeCache = new Map<string, number | null>();

/** The first few problems a text value can have, whatever its column. */
function textProblem(value: string, column: number): [code: string, reason: string] | null {
  if (value.includes('\uFFFD')) {
    return ['invalid_encoding', 'is not valid UTF-8 (save the file as "CSV UTF-8")'];
  }
  if (CONTROL.test(value)) return ['invalid_text', 'contains control characters'];
  const max = LIMITS[ENROLLMENT_COLUMNS[column]!];
  if (max !== undefined && value.length > max) return ['too_long', `is longer than ${max} characters`];
  return null;
}

const clean = (value: string, column: number) =>
  FOLDED.has(column) ? value.replace(/\s+/g, ' ').trim() : value.trim();

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** YYYY-MM-DD naming a real day (no 31 April, 29 February only in leap years). */
function validDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1 || d > MONTH_DAYS[m - 1]!) return false;
  return m !== 2 || d < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
}

/** The CSV column a trip error's JSON path names. */
function tripColumn(path: unknown): string {
  const last = String(path ?? '').split('/');
  switch (last[last.length - 1]) {
    case 'arrival':
      return 'arrival';
    case 'departure':
      return 'departure';
    case 'country':
      return 'country';
    case 'placeId':
      return 'place_id';
    case 'point':
      return 'lat';
    default:
      return 'country';
  }
}

/** How a place named in a row is found: `country` is an alpha-2 code. */
export interface Places {
  byId(id: number): PlaceRef | undefined;
  /** The GeoNames id of the place of this name in the country, or null. */
  byName(country: string, name: string): number | null;
}

const placeKey = (country: string, name: string) => `${country}|${normalizeName(name)}`;

function placeByName(geo: Geography, country: string, name: string): number | null {
  const key = placeKey(country, name);
  let hit = placeCache.get(key);
  if (hit === undefined) {
    // The best match in the country, only if its name is the one given (not a mere prefix).
    const [best] = geo.searchPlaces(name, { country, limit: 1 });
    hit = best && normalizeName(best.name) === normalizeName(name) ? best.id : null;
    if (placeCache.size > 100_000) placeCache.clear();
    placeCache.set(key, hit);
  }
  return hit;
}

/** Places looked up in this thread's gazetteer (loaded on first use). */
export const localPlaces = (geo: Geography): Places => ({
  byId: placeById,
  byName: (country, name) => placeByName(geo, country, name),
});

/** The places a batch names, resolved by the sender, so that worker threads need no gazetteer. */
export interface PlaceTable {
  readonly ids: Array<[number, PlaceRef | null]>;
  readonly names: Array<[string, number | null]>;
}

const PLACE_ID = /^[1-9][0-9]{0,9}$/;

/** `byId` finds a place by its GeoNames id (an import passes its compact index). */
export function placeTable(
  groups: readonly PersonGroup[],
  byId: (id: number) => PlaceRef | undefined = placeById,
): PlaceTable {
  geography ??= loadGeography();
  const geo = geography;
  const ids = new Map<number, PlaceRef | null>();
  const names = new Map<string, number | null>();
  const addId = (id: number) => {
    if (!ids.has(id)) ids.set(id, byId(id) ?? null);
  };
  for (const g of groups) {
    for (const r of g.rows) {
      const id = r.values[COL.place_id]!.trim();
      if (PLACE_ID.test(id)) addId(Number(id));
      const name = r.values[COL.place]!.trim();
      const code = name ? geo.country(r.values[COL.country]!)?.code : undefined;
      if (!code) continue;
      const folded = name.replace(/\s+/g, ' ');
      const key = placeKey(code, folded);
      if (names.has(key)) continue;
      const found = placeByName(geo, code, folded);
      names.set(key, found);
      if (found !== null) addId(found);
    }
  }
  return { ids: [...ids], names: [...names] };
}

export function tablePlaces(table: PlaceTable): Places {
  const ids = new Map(table.ids);
  const names = new Map(table.names);
  return {
    byId: (id) => ids.get(id) ?? undefined,
    byName: (country, name) => names.get(placeKey(country, name)) ?? null,
  };
}

/** Trip of one row, or its problems. */
function readTrip(
  geo: Geography,
  places: Places,
  r: RawRow,
  v: readonly string[],
  today: Date,
  issue: (r: RawRow, field: string, code: string, reason: string) => void,
): Trip | null {
  const country = v[COL.country]!;
  const placeId = v[COL.place_id]!;
  const place = v[COL.place]!;
  const lat = v[COL.lat]!;
  const lon = v[COL.lon]!;
  const arrival = v[COL.arrival]!;
  const departure = v[COL.departure]!;
  let ok = true;
  const bad = (field: string, code: string, reason: string) => {
    issue(r, field, code, reason);
    ok = false;
  };
  if (!country) bad('country', 'required', 'is required (ISO 3166 code, e.g. IQ)');
  if (!arrival) bad('arrival', 'required', 'is required (YYYY-MM-DD)');
  else if (!validDay(arrival)) bad('arrival', 'invalid_date', 'is not a date YYYY-MM-DD');
  if (departure && !validDay(departure)) bad('departure', 'invalid_date', 'is not a date YYYY-MM-DD');
  const given = [placeId, place, lat || lon].filter(Boolean).length;
  if (given > 1) {
    bad(
      placeId ? 'place_id' : 'place',
      'invalid_trip_location',
      'give one of place_id, place, or lat and lon',
    );
  }
  if (placeId && !PLACE_ID.test(placeId)) bad('place_id', 'unknown_place', 'is not a GeoNames id');
  const point = { lat: Number(lat), lon: Number(lon) };
  if ((lat || lon) && given === 1) {
    if (!lat || !lon) bad(lat ? 'lon' : 'lat', 'required', 'lat and lon go together');
    else if (!(Number.isFinite(point.lat) && point.lat >= -90 && point.lat <= 90))
      bad('lat', 'invalid_point', 'is not a latitude between -90 and 90');
    else if (!(Number.isFinite(point.lon) && point.lon >= -180 && point.lon <= 180))
      bad('lon', 'invalid_point', 'is not a longitude between -180 and 180');
  }
  if (!ok) return null;
  const input: TripInput = {
    country,
    arrival,
    departure: departure || null,
    ...(placeId && { place: { placeId: Number(placeId) } }),
    ...(lat && lon && { point }),
  };
  if (place) {
    const code = geo.country(country)?.code;
    const found = code ? places.byName(code, place) : null;
    if (code && found === null) {
      issue(r, 'place', 'unknown_place', `no place of this name in ${code}; give place_id or lat and lon`);
      return null;
    }
    if (found !== null) (input as { place?: { placeId: number } }).place = { placeId: found };
  }
  try {
    return resolveTrip(geo, input, 0, today, places.byId);
  } catch (err) {
    if (!(err instanceof WardenError)) throw err;
    issue(r, tripColumn(err.details.field), err.code, err.message.replace(/\.$/, ''));
    return null;
  }
}

/**
 * Rows that repeat an earlier row's trip (its trip columns as sent): imported once, and listed.
 * Cheap, so an unchanged re-import, which skips everything else, still reports them.
 */
export function duplicateRows(externalId: string, rows: readonly RawRow[]): RowIssue[] {
  if (rows.length < 2) return [];
  const out: RowIssue[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const key = r.values.slice(PERSON_END).join('\u001f');
    const first = seen.get(key);
    if (first === undefined) seen.set(key, r.row);
    else {
      out.push({
        row: r.row,
        line: r.line,
        field: null,
        code: 'duplicate_row',
        reason: `the same trip as row ${first}; imported once`,
        externalId,
      });
    }
  }
  return out;
}

/** Checks a person's rows and, if all is well, seals them with the person's data key. */
export function preparePerson(env: PersonEnv, group: PersonGroup, places?: Places): PreparedPerson {
  geography ??= loadGeography();
  const geo = geography;
  places ??= localPlaces(geo);
  const today = new Date(env.now);
  const errors: RowIssue[] = [];
  const ignored: RowIssue[] = [];
  const externalId = group.externalId;
  // One problem per field of a row: a value that is not text is not also "required" or invalid.
  const issue = (r: RawRow, field: string | null, code: string, reason: string, list = errors) => {
    if (field !== null && list.some((e) => e.row === r.row && e.field === field)) return;
    list.push({ row: r.row, line: r.line, field, code, reason, externalId });
  };

  // Text problems first: a value that is not text is not read any further.
  const rows: Array<{ raw: RawRow; values: string[] }> = [];
  for (const r of group.rows) {
    const values = r.values.map((v, c) => {
      const problem = v ? textProblem(v, c) : null;
      if (!problem) return clean(v, c);
      issue(r, ENROLLMENT_COLUMNS[c]!, problem[0], problem[1]);
      return '';
    });
    rows.push({ raw: r, values });
  }

  // The person's columns: the first non-empty value of each; a later different one is a conflict.
  const person: string[] = new Array(PERSON_END).fill('');
  const from: Array<RawRow> = new Array(PERSON_END).fill(group.rows[0]!);
  for (const { raw, values } of rows) {
    for (let c = 1; c < PERSON_END; c++) {
      const v = values[c]!;
      if (!v) continue;
      if (!person[c]) {
        person[c] = v;
        from[c] = raw;
      } else if (v !== person[c]) {
        issue(
          raw,
          ENROLLMENT_COLUMNS[c]!,
          'conflicting_value',
          `differs from row ${from[c]!.row} of the same person; repeat the value or leave it empty`,
        );
      }
    }
  }

  const first = group.rows[0]!;
  const home = geo.country(rows[0]?.values[COL.country] ?? '')?.code;
  const check = <T>(c: number, fn: (v: string) => T): T | null => {
    if (!person[c]) return null;
    try {
      return fn(person[c]!);
    } catch (err) {
      if (!(err instanceof WardenError)) throw err;
      issue(from[c]!, ENROLLMENT_COLUMNS[c]!, err.code, err.message.replace(/\.$/, ''));
      return null;
    }
  };
  if (!person[COL.name]) issue(first, 'name', 'required', 'is required');
  const email = check(COL.email, (v) => checkEmail(v, 'email'));
  const phone = check(COL.phone, (v) => checkPhone(v, 'phone', home));
  if (!person[COL.email] && !person[COL.phone]) {
    issue(first, 'email', 'contact_required', 'give an email address or a phone number');
  }
  // The primary subtag is case-insensitive: EN and en are the same language.
  const language = (person[COL.language] || 'en').replace(/^[A-Za-z]{2,3}/, (m) => m.toLowerCase());
  if (!LANGUAGE.test(language)) {
    issue(from[COL.language]!, 'language', 'invalid_language', 'is not a language code such as en or ar');
  }
  const emergencyName = person[COL.emergency_name]!;
  const emergencyPhone = check(COL.emergency_phone, (v) => checkPhone(v, 'emergency_phone', home));
  const emergencyEmail = check(COL.emergency_email, (v) => checkEmail(v, 'emergency_email'));
  if (!emergencyName && (person[COL.emergency_phone] || person[COL.emergency_email])) {
    issue(first, 'emergency_name', 'required', 'is required with an emergency phone or email');
  }
  const webhookUrl = person[COL.webhook_url] || null;
  if (webhookUrl) {
    check(COL.webhook_url, (v) => checkWebhook(v, 'webhook_url', { allowPrivate: env.allowPrivateWebhooks }));
  }

  const trips: Array<Trip & { id: string }> = [];
  ignored.push(...duplicateRows(externalId, group.rows));
  const dups = new Set(ignored.map((i) => i.row));
  let count = 0;
  for (const { raw, values } of rows) {
    if (dups.has(raw.row)) continue;
    if (++count > MAX_TRIPS) {
      issue(raw, null, 'too_many_trips', `a person has at most ${MAX_TRIPS} trips`);
      continue;
    }
    const trip = readTrip(geo, places, raw, values, today, issue);
    if (trip) trips.push({ ...trip, id: orderedId() });
  }

  if (errors.length > 0) {
    return { ok: false, externalId, errors: refuseAll(externalId, group.rows, [...errors, ...ignored]) };
  }

  const id = group.existing?.id ?? orderedId(Date.parse(env.now));
  let cipher: PersonCipher;
  let wrappedKey: string | null = null;
  if (group.existing) cipher = PersonCipher.open(env.kek, id, group.existing.wrappedKey);
  else ({ cipher, wrappedKey } = PersonCipher.create(env.kek, id));
  const contacts: Array<SealedPerson['contacts'][number]> = [];
  for (const [kind, value, c] of [
    ['email', email, COL.email],
    ['phone', phone, COL.phone],
  ] as const) {
    if (!value) continue;
    contacts.push({
      id: orderedId(),
      kind,
      valueEnc: cipher.encrypt(kind, value),
      blindIndex: blindIndexOfNormal(env.blindKey, kind, value),
      row: from[c]!.row,
      line: from[c]!.line,
    });
  }
  return {
    ok: true,
    externalId,
    id,
    hash: group.hash,
    wrappedKey,
    rowRange: [first.row, group.rows[group.rows.length - 1]!.row],
    language,
    webhookUrl,
    nameEnc: cipher.encrypt('name', person[COL.name]!),
    emergencyNameEnc: cipher.encrypt('emergencyContactName', emergencyName),
    emergencyPhoneEnc: emergencyPhone && cipher.encrypt('emergencyContactPhone', emergencyPhone),
    emergencyEmailEnc: emergencyEmail && cipher.encrypt('emergencyContactEmail', emergencyEmail),
    contacts,
    trips,
    ignored,
  };
}

/** Prepares several people (one worker message). */
export function preparePersons(
  env: PersonEnv,
  groups: readonly PersonGroup[],
  table?: PlaceTable,
): PreparedPerson[] {
  const places = table ? tablePlaces(table) : undefined;
  return groups.map((g) => preparePerson(env, g, places));
}
