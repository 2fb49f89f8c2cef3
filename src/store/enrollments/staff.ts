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
