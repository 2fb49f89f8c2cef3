import { checkEmail, checkPhone, checkWebhook } from '../../domain/enrollments/contacts.ts';
import {
  type PlaceRef,
  placeById,
  resolveTrip,
  type Trip,
  type TripInput,
} from '../../domain/enrollments/trips.ts';
import { WardenError } from '../../domain/errors.ts';
import { type Geography, loadGeography, normalizeName } from '../../domain/geo/index.ts';
import { orderedId } from '../../domain/ids.ts';
import { blindIndexOfNormal, PersonCipher } from '../../domain/privacy/index.ts';
import { hasControl } from '../../domain/text.ts';
import { COL, ENROLLMENT_COLUMNS, PERSON_END, type RawRow, type RowIssue, refuseAll } from './format.ts';

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
  readonly webhookUrlEnc: string | null;
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

/*
 * What a sealed person keeps is built by constructors and Array.of(), not by object and array
 * literals. V8 moves a literal's allocations to the old generation once it sees them outlive a
 * young-generation collection, as a batch's results do until the batch is sent; those old objects
 * full of young strings then made every collection slower. Constructed objects and Array.of()
 * arrays stay young (figures: docs/performance-history.md).
 */

type SealedContact = SealedPerson['contacts'][number];
type SealedTrip = SealedPerson['trips'][number];

class Contact implements SealedContact {
  declare readonly id: string;
  declare readonly kind: 'email' | 'phone';
  declare readonly valueEnc: string;
  declare readonly blindIndex: string;
  declare readonly row: number;
  declare readonly line: number;
  constructor(id: string, kind: 'email' | 'phone', valueEnc: string, blindIndex: string, from: RawRow) {
    this.id = id;
    this.kind = kind;
    this.valueEnc = valueEnc;
    this.blindIndex = blindIndex;
    this.row = from.row;
    this.line = from.line;
  }
}

class PersonTrip implements SealedTrip {
  declare readonly country: string;
  declare readonly arrival: string;
  declare readonly departure: string | null;
  declare readonly region: string | null;
  declare readonly lat: number | null;
  declare readonly lon: number | null;
  declare readonly placeId: number | null;
  declare readonly id: string;
  constructor(t: Trip, id: string) {
    this.country = t.country;
    this.arrival = t.arrival;
    this.departure = t.departure;
    this.region = t.region;
    this.lat = t.lat;
    this.lon = t.lon;
    this.placeId = t.placeId;
    this.id = id;
  }
}

class Sealed implements SealedPerson {
  declare readonly ok: true;
  declare readonly externalId: string;
  declare readonly id: string;
  declare readonly hash: string;
  declare readonly wrappedKey: string | null;
  declare readonly rowRange: readonly [number, number];
  declare readonly language: string;
  declare readonly webhookUrlEnc: string | null;
  declare readonly nameEnc: string;
  declare readonly emergencyNameEnc: string;
  declare readonly emergencyPhoneEnc: string | null;
  declare readonly emergencyEmailEnc: string | null;
  declare readonly contacts: readonly SealedContact[];
  declare readonly trips: readonly SealedTrip[];
  declare readonly ignored: readonly RowIssue[];
  constructor(
    group: PersonGroup,
    id: string,
    wrappedKey: string | null,
    language: string,
    webhookUrlEnc: string | null,
    nameEnc: string,
    emergencyNameEnc: string,
    emergencyPhoneEnc: string | null,
    emergencyEmailEnc: string | null,
    contacts: readonly SealedContact[],
    trips: readonly SealedTrip[],
    ignored: readonly RowIssue[],
  ) {
    const rows = group.rows;
    this.ok = true;
    this.externalId = group.externalId;
    this.id = id;
    this.hash = group.hash;
    this.wrappedKey = wrappedKey;
    this.rowRange = Array.of(rows[0]!.row, rows[rows.length - 1]!.row) as [number, number];
    this.language = language;
    this.webhookUrlEnc = webhookUrlEnc;
    this.nameEnc = nameEnc;
    this.emergencyNameEnc = emergencyNameEnc;
    this.emergencyPhoneEnc = emergencyPhoneEnc;
    this.emergencyEmailEnc = emergencyEmailEnc;
    this.contacts = contacts;
    this.trips = trips;
    this.ignored = ignored;
  }
}

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
/** Columns whose whitespace (quoted newlines included) folds to single spaces. */
const FOLDED = new Set<number>([COL.name, COL.emergency_name, COL.place]);
const MAX_LENGTH = ENROLLMENT_COLUMNS.map((c) => LIMITS[c]);
const IS_FOLDED = ENROLLMENT_COLUMNS.map((_, c) => FOLDED.has(c));
// Every character textProblem() looks for, in one class: one scan clears nearly every value.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/;
// Whitespace that folding would change: any but a lone space (most names have none).
const UNFOLDED = /[^\S ]| {2}/;

let geography: Geography | undefined;
const placeCache = new Map<string, number | null>();

/** The first few problems a text value can have, whatever its column. */
function textProblem(value: string, column: number): [code: string, reason: string] | null {
  const limit = MAX_LENGTH[column];
  if (!SUSPECT.test(value) && (limit === undefined || value.length <= limit)) return null;
  if (value.includes('\uFFFD')) {
    return ['invalid_encoding', 'is not valid UTF-8 (save the file as "CSV UTF-8")'];
  }
  // The API's rule (domain/text.ts); tab, CR and LF fold into spaces in names.
  if (hasControl(value)) return ['invalid_text', 'contains control characters'];
  const max = LIMITS[ENROLLMENT_COLUMNS[column]!];
  if (max !== undefined && value.length > max) return ['too_long', `is longer than ${max} characters`];
  return null;
}

const clean = (value: string, column: number) =>
  IS_FOLDED[column] && UNFOLDED.test(value) ? value.replace(/\s+/g, ' ').trim() : value.trim();

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

/**
 * `byId` finds a place by its GeoNames id (an import passes its compact index). Without `ids`,
 * the table holds the places found by name only: the thread that prepares the people looks ids up
 * itself (an import's workers share the compact index).
 */
export function placeTable(
  groups: readonly PersonGroup[],
  byId: (id: number) => PlaceRef | undefined = placeById,
  opts: { readonly ids?: boolean } = {},
): PlaceTable {
  const withIds = opts.ids ?? true;
  const ids = new Map<number, PlaceRef | null>();
  const names = new Map<string, number | null>();
  const addId = (id: number) => {
    if (!ids.has(id)) ids.set(id, byId(id) ?? null);
  };
  for (const g of groups) {
    for (const r of g.rows) {
      if (withIds) {
        const id = r.values[COL.place_id]!.trim();
        if (PLACE_ID.test(id)) addId(Number(id));
      }
      const name = r.values[COL.place]!.trim();
      if (!name) continue;
      // The geography (countries, the gazetteer) is loaded only when a row names a place.
      geography ??= loadGeography();
      const geo = geography;
      const code = geo.country(r.values[COL.country]!)?.code;
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

/** Places of the table; an id not in it is looked up with `byId`, if given. */
export function tablePlaces(table: PlaceTable, byId?: (id: number) => PlaceRef | undefined): Places {
  const ids = new Map(table.ids);
  const names = new Map(table.names);
  return {
    byId: (id) => ids.get(id) ?? byId?.(id) ?? undefined,
    byName: (country, name) => names.get(placeKey(country, name)) ?? null,
  };
}

/** One problem per field of a row: a value that is not text is not also "required" or invalid. */
function addIssue(
  errors: RowIssue[],
  externalId: string,
  r: RawRow,
  field: string | null,
  code: string,
  reason: string,
): void {
  if (field !== null && errors.some((e) => e.row === r.row && e.field === field)) return;
  errors.push({ row: r.row, line: r.line, field, code, reason, externalId });
}

/** Adds a WardenError thrown by a check as the problem of `field`; rethrows anything else. */
function addError(errors: RowIssue[], externalId: string, r: RawRow, field: string, err: unknown): void {
  if (!(err instanceof WardenError)) throw err;
  addIssue(errors, externalId, r, field, err.code, err.message.replace(/\.$/, ''));
}

const EMAIL_COLUMNS = new Set<number>([COL.email, COL.emergency_email]);

/**
 * The normal form of the person's email or phone column `c`, or null when it is empty or wrong
 * (then its problem is listed). A function of the module, not a closure made for each person.
 */
function checkedContact(
  errors: RowIssue[],
  externalId: string,
  person: readonly string[],
  from: readonly RawRow[],
  c: number,
  home: string | undefined,
): string | null {
  const value = person[c];
  if (!value) return null;
  const field = ENROLLMENT_COLUMNS[c]!;
  try {
    return EMAIL_COLUMNS.has(c) ? checkEmail(value, field) : checkPhone(value, field, home);
  } catch (err) {
    addError(errors, externalId, from[c]!, field, err);
    return null;
  }
}

/** Trip of one row, or its problems. */
function readTrip(
  geo: Geography,
  places: Places,
  r: RawRow,
  v: readonly string[],
  today: Date,
  errors: RowIssue[],
  externalId: string,
): Trip | null {
  const country = v[COL.country]!;
  const placeId = v[COL.place_id]!;
  const place = v[COL.place]!;
  const lat = v[COL.lat]!;
  const lon = v[COL.lon]!;
  const arrival = v[COL.arrival]!;
  const departure = v[COL.departure]!;
  // No closures or spread objects here: this runs for every row of an import.
  let ok = true;
  if (!country) {
    addIssue(errors, externalId, r, 'country', 'required', 'is required (ISO 3166 code, e.g. IQ)');
    ok = false;
  }
  if (!arrival) {
    addIssue(errors, externalId, r, 'arrival', 'required', 'is required (YYYY-MM-DD)');
    ok = false;
  } else if (!validDay(arrival)) {
    addIssue(errors, externalId, r, 'arrival', 'invalid_date', 'is not a date YYYY-MM-DD');
    ok = false;
  }
  if (departure && !validDay(departure)) {
    addIssue(errors, externalId, r, 'departure', 'invalid_date', 'is not a date YYYY-MM-DD');
    ok = false;
  }
  const given = (placeId ? 1 : 0) + (place ? 1 : 0) + (lat || lon ? 1 : 0);
  if (given > 1) {
    const field = placeId ? 'place_id' : 'place';
    addIssue(
      errors,
      externalId,
      r,
      field,
      'invalid_trip_location',
      'give one of place_id, place, or lat and lon',
    );
    ok = false;
  }
  if (placeId && !PLACE_ID.test(placeId)) {
    addIssue(errors, externalId, r, 'place_id', 'unknown_place', 'is not a GeoNames id');
    ok = false;
  }
  const pointLat = Number(lat);
  const pointLon = Number(lon);
  if ((lat || lon) && given === 1) {
    if (!lat || !lon) {
      addIssue(errors, externalId, r, lat ? 'lon' : 'lat', 'required', 'lat and lon go together');
      ok = false;
    } else if (!(Number.isFinite(pointLat) && pointLat >= -90 && pointLat <= 90)) {
      addIssue(errors, externalId, r, 'lat', 'invalid_point', 'is not a latitude between -90 and 90');
      ok = false;
    } else if (!(Number.isFinite(pointLon) && pointLon >= -180 && pointLon <= 180)) {
      addIssue(errors, externalId, r, 'lon', 'invalid_point', 'is not a longitude between -180 and 180');
      ok = false;
    }
  }
  if (!ok) return null;
  let placeRef = placeId ? { placeId: Number(placeId) } : undefined;
  if (place) {
    const code = geo.country(country)?.code;
    const found = code ? places.byName(code, place) : null;
    if (code && found === null) {
      const reason = `no place of this name in ${code}; give place_id or lat and lon`;
      addIssue(errors, externalId, r, 'place', 'unknown_place', reason);
      return null;
    }
    if (found !== null) placeRef = { placeId: found };
  }
  // An absent place or point is `undefined`, which resolveTrip() reads as not given.
  const input: TripInput = {
    country,
    arrival,
    departure: departure || null,
    place: placeRef,
    point: lat && lon ? { lat: pointLat, lon: pointLon } : undefined,
  };
  try {
    return resolveTrip(geo, input, 0, today, places.byId);
  } catch (err) {
    if (!(err instanceof WardenError)) throw err;
    addIssue(errors, externalId, r, tripColumn(err.details.field), err.code, err.message.replace(/\.$/, ''));
    return null;
  }
}

/**
 * Rows that repeat an earlier row's trip (its trip columns as sent): imported once, and listed.
 * Cheap, so an unchanged re-import, which skips everything else, still reports them.
 */
export function duplicateRows(externalId: string, rows: readonly RawRow[]): RowIssue[] {
  // Array.of(), not []: the list is kept with a sealed person (see Sealed).
  if (rows.length < 2) return Array.of();
  const out: RowIssue[] = Array.of();
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

// The clock of a batch, read once: every person of an import is checked against the same `now`.
let nowText = '';
let nowDate = new Date(0);
let nowMs = 0;

/** Checks a person's rows and, if all is well, seals them with the person's data key. */
export function preparePerson(env: PersonEnv, group: PersonGroup, places?: Places): PreparedPerson {
  geography ??= loadGeography();
  const geo = geography;
  places ??= localPlaces(geo);
  if (env.now !== nowText) {
    nowDate = new Date(env.now);
    nowMs = Date.parse(env.now);
    nowText = env.now;
  }
  const errors: RowIssue[] = [];
  const externalId = group.externalId;
  const raws = group.rows;

  // Text problems first: a value that is not text is not read any further.
  const rows: string[][] = [];
  for (const r of raws) {
    const values = r.values.slice();
    for (let c = 0; c < values.length; c++) {
      const v = values[c]!;
      if (!v) continue;
      const problem = textProblem(v, c);
      if (problem) {
        addIssue(errors, externalId, r, ENROLLMENT_COLUMNS[c]!, problem[0], problem[1]);
        values[c] = '';
      } else values[c] = clean(v, c);
    }
    rows.push(values);
  }

  // The person's columns: the first non-empty value of each; a later different one is a conflict.
  const person: string[] = new Array(PERSON_END).fill('');
  const from: RawRow[] = new Array(PERSON_END).fill(raws[0]!);
  for (let k = 0; k < rows.length; k++) {
    const values = rows[k]!;
    for (let c = 1; c < PERSON_END; c++) {
      const v = values[c]!;
      if (!v) continue;
      if (!person[c]) {
        person[c] = v;
        from[c] = raws[k]!;
      } else if (v !== person[c]) {
        addIssue(
          errors,
          externalId,
          raws[k]!,
          ENROLLMENT_COLUMNS[c]!,
          'conflicting_value',
          `differs from row ${from[c]!.row} of the same person; repeat the value or leave it empty`,
        );
      }
    }
  }

  const first = raws[0]!;
  const home = geo.country(rows[0]?.[COL.country] ?? '')?.code;
  if (!person[COL.name]) addIssue(errors, externalId, first, 'name', 'required', 'is required');
  const email = checkedContact(errors, externalId, person, from, COL.email, home);
  const phone = checkedContact(errors, externalId, person, from, COL.phone, home);
  if (!person[COL.email] && !person[COL.phone]) {
    addIssue(
      errors,
      externalId,
      first,
      'email',
      'contact_required',
      'give an email address or a phone number',
    );
  }
  // The primary subtag is case-insensitive: EN and en are the same language. A code already in
  // lower case (nearly all) is its own normal form.
  let language = person[COL.language] || 'en';
  if (!LANGUAGE.test(language)) {
    language = language.replace(/^[A-Za-z]{2,3}/, (m) => m.toLowerCase());
    if (!LANGUAGE.test(language)) {
      const reason = 'is not a language code such as en or ar';
      addIssue(errors, externalId, from[COL.language]!, 'language', 'invalid_language', reason);
    }
  }
  const emergencyName = person[COL.emergency_name]!;
  const emergencyPhone = checkedContact(errors, externalId, person, from, COL.emergency_phone, home);
  const emergencyEmail = checkedContact(errors, externalId, person, from, COL.emergency_email, home);
  if (!emergencyName && (person[COL.emergency_phone] || person[COL.emergency_email])) {
    const reason = 'is required with an emergency phone or email';
    addIssue(errors, externalId, first, 'emergency_name', 'required', reason);
  }
  const webhookUrl = person[COL.webhook_url] || null;
  if (webhookUrl) {
    try {
      checkWebhook(webhookUrl, 'webhook_url', { allowPrivate: env.allowPrivateWebhooks });
    } catch (err) {
      addError(errors, externalId, from[COL.webhook_url]!, 'webhook_url', err);
    }
  }

  const trips: SealedTrip[] = Array.of();
  const ignored = duplicateRows(externalId, raws);
  const dups = ignored.length > 0 ? new Set(ignored.map((i) => i.row)) : null;
  let count = 0;
  for (let k = 0; k < rows.length; k++) {
    const raw = raws[k]!;
    if (dups?.has(raw.row)) continue;
    if (++count > MAX_TRIPS) {
      addIssue(errors, externalId, raw, null, 'too_many_trips', `a person has at most ${MAX_TRIPS} trips`);
      continue;
    }
    // Not `{ ...t, id }`: that spread cost microseconds a trip on Node 20.
    const t = readTrip(geo, places, raw, rows[k]!, nowDate, errors, externalId);
    if (t) trips.push(new PersonTrip(t, orderedId()));
  }

  if (errors.length > 0) {
    return { ok: false, externalId, errors: refuseAll(externalId, raws, [...errors, ...ignored]) };
  }

  const id = group.existing?.id ?? orderedId(nowMs);
  let cipher: PersonCipher;
  let wrappedKey: string | null = null;
  if (group.existing) cipher = PersonCipher.open(env.kek, id, group.existing.wrappedKey);
  else ({ cipher, wrappedKey } = PersonCipher.create(env.kek, id));
  const contacts: SealedContact[] = Array.of();
  if (email) {
    const blind = blindIndexOfNormal(env.blindKey, 'email', email);
    contacts.push(new Contact(orderedId(), 'email', cipher.encrypt('email', email), blind, from[COL.email]!));
  }
  if (phone) {
    const blind = blindIndexOfNormal(env.blindKey, 'phone', phone);
    contacts.push(new Contact(orderedId(), 'phone', cipher.encrypt('phone', phone), blind, from[COL.phone]!));
  }
  return new Sealed(
    group,
    id,
    wrappedKey,
    language,
    webhookUrl && cipher.encrypt('webhookUrl', webhookUrl),
    cipher.encrypt('name', person[COL.name]!),
    cipher.encrypt('emergencyContactName', emergencyName),
    emergencyPhone && cipher.encrypt('emergencyContactPhone', emergencyPhone),
    emergencyEmail && cipher.encrypt('emergencyContactEmail', emergencyEmail),
    contacts,
    trips,
    ignored,
  );
}

/** Prepares several people (one worker message); `byId` finds ids not in the table. */
export function preparePersons(
  env: PersonEnv,
  groups: readonly PersonGroup[],
  table?: PlaceTable,
  byId?: (id: number) => PlaceRef | undefined,
): PreparedPerson[] {
  const places = table ? tablePlaces(table, byId) : undefined;
  return groups.map((g) => preparePerson(env, g, places));
}
