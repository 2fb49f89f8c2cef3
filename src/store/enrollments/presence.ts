import type { Db } from '../db.ts';
import type { EnrollmentTripTable } from './tables.ts';

/*
 * Presence of open-ended trips (no departure). A trip's presence dates from the later of its
 * arrival and its last confirmation (or creation). Dates compare as text: 'YYYY-MM-DD' sorts
 * before any time of that day, so `arrival <= t` reads "arrived by t".
 */

export interface DueTrip {
  readonly id: string;
  readonly person_id: string;
}

/**
 * Open-ended trips whose presence dates from before `cutoff` and that were not asked about since,
 * of people who can be reached (a verified contact, not unsubscribed); by id after `after`.
 */
export async function tripsDueForConfirmation(
  db: Db,
  cutoff: string,
  after: string,
  limit: number,
): Promise<DueTrip[]> {
  return db
    .selectFrom('enrollment_trips as t')
    .innerJoin('enrollments as e', 'e.id', 't.person_id')
    .select(['t.id', 't.person_id'])
    .where('t.departure', 'is', null)
    .where('t.arrival', '<=', cutoff)
    .where((eb) => eb(eb.fn.coalesce('t.confirmed_at', 't.created_at'), '<=', cutoff))
    .where((eb) =>
      eb.or([
        eb('t.presence_asked_at', 'is', null),
        eb('t.presence_asked_at', '<', eb.fn.coalesce('t.confirmed_at', 't.created_at')),
      ]),
    )
    .where('e.unsubscribed_at', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('enrollment_contacts as c')
          .select('c.id')
          .whereRef('c.person_id', '=', 't.person_id')
          .where('c.verified_at', 'is not', null),
      ),
    )
    .where('t.id', '>', after)
    .orderBy('t.id')
    .limit(limit)
    .execute();
}

/** The contact to ask: a verified email, else a verified phone. */
export async function reminderContacts(
  db: Db,
  personIds: readonly string[],
): Promise<Map<string, { id: string; kind: string }>> {
  const out = new Map<string, { id: string; kind: string }>();
  if (personIds.length === 0) return out;
  const rows = await db
    .selectFrom('enrollment_contacts')
    .select(['id', 'person_id', 'kind'])
    .where('person_id', 'in', [...personIds])
    .where('verified_at', 'is not', null)
    .orderBy('person_id')
    .orderBy('kind')
    .execute();
  // 'email' sorts before 'phone', so the first contact of each person is the preferred one.
  for (const r of rows) if (!out.has(r.person_id)) out.set(r.person_id, { id: r.id, kind: r.kind });
  return out;
}

export async function markAsked(db: Db, ids: readonly string[], at: string): Promise<void> {
  if (ids.length > 0)
    await db
      .updateTable('enrollment_trips')
      .set({ presence_asked_at: at })
      .where('id', 'in', [...ids])
      .execute();
}

export async function findTrip(db: Db, id: string): Promise<EnrollmentTripTable | undefined> {
  return db.selectFrom('enrollment_trips').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records a confirmation; with `personId`, only of that person's trip. False when there is none. */
export async function confirmTrip(db: Db, id: string, at: string, personId?: string): Promise<boolean> {
  let q = db.updateTable('enrollment_trips').set({ confirmed_at: at }).where('id', '=', id);
  if (personId !== undefined) q = q.where('person_id', '=', personId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Open-ended trips per country whose presence dates from before `overdue`: counts only. */
export async function countUnconfirmed(
  db: Db,
  overdue: string,
  countries: readonly string[] | null,
): Promise<Map<string, number>> {
  if (countries && countries.length === 0) return new Map();
  let q = db
    .selectFrom('enrollment_trips')
    .select((eb) => ['country', eb.fn.countAll<string>().as('n')])
    .where('departure', 'is', null)
    .where('arrival', '<', overdue)
    .where((eb) => eb(eb.fn.coalesce('confirmed_at', 'created_at'), '<', overdue))
    .groupBy('country');
  if (countries) q = q.where('country', 'in', [...countries]);
  return new Map((await q.execute()).map((r) => [r.country, Number(r.n)]));
}
