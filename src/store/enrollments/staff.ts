import type { Db } from '../db.ts';

export interface TripCountRow {
  country: string;
  region: string | null;
  persons: number;
  trips: number;
}

/**
 * Enrolled people and trips per country and region, for trips not yet over on `today`
 * (departure absent = one-way or resident). Counts only: no row names anybody.
 */
export async function countTrips(
  db: Db,
  today: string,
  countries: readonly string[] | null,
): Promise<TripCountRow[]> {
  let q = db
    .selectFrom('enrollment_trips')
    .select((eb) => [
      'country',
      'region',
      eb.fn.count<string>('person_id').distinct().as('persons'),
      eb.fn.countAll<string>().as('trips'),
    ])
    .where((eb) => eb.or([eb('departure', 'is', null), eb('departure', '>=', today)]))
    .groupBy(['country', 'region'])
    .orderBy('country')
    .orderBy('region');
  if (countries) {
    if (countries.length === 0) return [];
    q = q.where('country', 'in', [...countries]);
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    country: r.country,
    region: r.region,
    persons: Number(r.persons),
    trips: Number(r.trips),
  }));
}

/** Distinct persons per country (a person with two trips in one country counts once). */
export async function countPersonsByCountry(
  db: Db,
  today: string,
  countries: readonly string[] | null,
): Promise<Map<string, number>> {
  if (countries && countries.length === 0) return new Map();
  let q = db
    .selectFrom('enrollment_trips')
    .select((eb) => ['country', eb.fn.count<string>('person_id').distinct().as('persons')])
    .where((eb) => eb.or([eb('departure', 'is', null), eb('departure', '>=', today)]))
    .groupBy('country');
  if (countries) q = q.where('country', 'in', [...countries]);
  return new Map((await q.execute()).map((r) => [r.country, Number(r.persons)]));
}

/** The countries of a person's trips (for scoping staff access); undefined when there is no such person. */
export async function tripCountries(db: Db, personId: string): Promise<string[] | undefined> {
  const person = await db
    .selectFrom('enrollments')
    .select('id')
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person) return undefined;
  const rows = await db
    .selectFrom('enrollment_trips')
    .select('country')
    .distinct()
    .where('person_id', '=', personId)
    .orderBy('country')
    .execute();
  return rows.map((r) => r.country);
}

/** A person's sealed name and wrapped key: enough to open the name for a staff result page. */
export interface SealedName {
  readonly id: string;
  readonly nameEnc: string;
  readonly wrappedKey: string;
  /** Countries of the person's trips that are not over on `today`. */
  readonly countries: string[];
}

/**
 * People with a trip not over on `today` in one of `countries` (null = anywhere), optionally in
 * one region, with what it takes to open their names. At most `limit` people, by id.
 */
export async function sealedNamesWithTrips(
  db: Db,
  q: { today: string; countries: readonly string[] | null; region?: string; limit: number },
): Promise<SealedName[]> {
  if (q.countries && q.countries.length === 0) return [];
  let trips = db
    .selectFrom('enrollment_trips')
    .select('person_id')
    .where((eb) => eb.or([eb('departure', 'is', null), eb('departure', '>=', q.today)]));
  if (q.countries) trips = trips.where('country', 'in', [...q.countries]);
  if (q.region) trips = trips.where('region', '=', q.region);
  const rows = await db
    .selectFrom('enrollments as e')
    .innerJoin('enrollment_keys as k', 'k.person_id', 'e.id')
    .select(['e.id', 'e.name_enc', 'k.wrapped_key'])
    .where('e.id', 'in', trips)
    .orderBy('e.id')
    .limit(q.limit)
    .execute();
  const countries = await tripCountriesOf(
    db,
    rows.map((r) => r.id),
    q.today,
  );
  return rows.map((r) => ({
    id: r.id,
    nameEnc: r.name_enc,
    wrappedKey: r.wrapped_key,
    countries: countries.get(r.id) ?? [],
  }));
}

/** Sealed names of these people (those that exist), with the countries of all their trips. */
export async function sealedNamesOf(db: Db, ids: readonly string[]): Promise<SealedName[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('enrollments as e')
    .innerJoin('enrollment_keys as k', 'k.person_id', 'e.id')
    .select(['e.id', 'e.name_enc', 'k.wrapped_key'])
    .where('e.id', 'in', [...ids])
    .orderBy('e.id')
    .execute();
  const countries = await tripCountriesOf(
    db,
    rows.map((r) => r.id),
    null,
  );
  return rows.map((r) => ({
    id: r.id,
    nameEnc: r.name_enc,
    wrappedKey: r.wrapped_key,
    countries: countries.get(r.id) ?? [],
  }));
}

/** Trip countries per person; with `today`, only of trips not over then. */
async function tripCountriesOf(
  db: Db,
  ids: readonly string[],
  today: string | null,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += 5000) {
    let q = db
      .selectFrom('enrollment_trips')
      .select(['person_id', 'country'])
      .distinct()
      .where('person_id', 'in', ids.slice(i, i + 5000))
      .orderBy('country');
    if (today) q = q.where((eb) => eb.or([eb('departure', 'is', null), eb('departure', '>=', today)]));
    const rows = await q.execute();
    for (const r of rows) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.country]);
  }
  return out;
}
