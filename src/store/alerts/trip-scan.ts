import type { Db } from '../db.ts';

/** Interim (until the targeting service lands): every trip present in a window, with a verified contact. */
export interface ScannedTrip {
  readonly personId: string;
  readonly country: string;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly placeId: number | null;
}

export async function scanTrips(db: Db, effective: string, expires: string): Promise<ScannedTrip[]> {
  const rows = await db
    .selectFrom('enrollment_trips as t')
    .innerJoin('enrollment_keys as k', 'k.person_id', 't.person_id')
    .select(['t.person_id', 't.country', 't.lat', 't.lon', 't.place_id'])
    .where('t.arrival', '<=', expires.slice(0, 10))
    .where((w) => w.or([w('t.departure', 'is', null), w('t.departure', '>=', effective.slice(0, 10))]))
    .where((w) =>
      w.exists(
        w
          .selectFrom('enrollment_contacts as c')
          .select('c.id')
          .whereRef('c.person_id', '=', 't.person_id')
          .where('c.verified_at', 'is not', null),
      ),
    )
    .execute();
  return rows.map((r) => ({
    personId: r.person_id,
    country: r.country,
    lat: r.lat,
    lon: r.lon,
    placeId: r.place_id,
  }));
}
