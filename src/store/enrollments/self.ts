import type { Db } from '../db.ts';
import type { DeliveryTable } from '../deliveries/tables.ts';
import type { EnrollmentTable, EnrollmentTripTable } from './tables.ts';

/* Self-service: manage links, traveller sessions, updates and erasure. */

export async function insertLink(db: Db, jti: string, personId: string, now: string, expiresAt: string) {
  await db
    .insertInto('enrollment_links')
    .values({ jti, person_id: personId, expires_at: expiresAt, used_at: null, created_at: now })
    .execute();
}

/** Uses a manage link once: true only for the first use of an unexpired link of this person. */
export async function consumeLink(db: Db, jti: string, personId: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('enrollment_links')
    .set({ used_at: now })
    .where('jti', '=', jti)
    .where('person_id', '=', personId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertSession(db: Db, id: string, personId: string, now: string, expiresAt: string) {
  await db
    .insertInto('enrollment_sessions')
    .values({ id, person_id: personId, created_at: now, expires_at: expiresAt })
    .execute();
}

export async function findSessionPerson(db: Db, id: string, now: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('enrollment_sessions')
    .select('person_id')
    .where('id', '=', id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return r?.person_id;
}

export async function updateEnrollmentRow(
  db: Db,
  id: string,
  set: Partial<Omit<EnrollmentTable, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('enrollments').set(set).where('id', '=', id).execute();
}

export async function replaceTrips(db: Db, personId: string, trips: readonly EnrollmentTripTable[]) {
  await db.deleteFrom('enrollment_trips').where('person_id', '=', personId).execute();
  if (trips.length > 0)
    await db
      .insertInto('enrollment_trips')
      .values([...trips])
      .execute();
}

export async function listDeliveriesOf(db: Db, personId: string): Promise<DeliveryTable[]> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .execute();
}

/**
 * Crypto-shredding: the wrapped key goes, and with it everything sealed under it; the blind
 * indexes, trips, links, sessions and queued messages go too, so the person is neither readable
 * nor findable. Returns how many rows of each kind went, for the audit entry.
 */
export async function eraseEnrollment(db: Db, personId: string): Promise<Record<string, number>> {
  const n = (r: { numDeletedRows: bigint }[]) => Number(r[0]?.numDeletedRows ?? 0n);
  const counts = {
    messages: n(await db.deleteFrom('deliveries').where('person_id', '=', personId).execute()),
    sessions: n(await db.deleteFrom('enrollment_sessions').where('person_id', '=', personId).execute()),
    links: n(await db.deleteFrom('enrollment_links').where('person_id', '=', personId).execute()),
    trips: n(await db.deleteFrom('enrollment_trips').where('person_id', '=', personId).execute()),
    contacts: n(await db.deleteFrom('enrollment_contacts').where('person_id', '=', personId).execute()),
    keys: n(await db.deleteFrom('enrollment_keys').where('person_id', '=', personId).execute()),
    enrollments: n(await db.deleteFrom('enrollments').where('id', '=', personId).execute()),
  };
  return counts;
}
