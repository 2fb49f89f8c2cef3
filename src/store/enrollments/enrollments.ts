import { sql } from 'kysely';
import type { Db } from '../db.ts';
import type { DeliveryTable } from '../deliveries/tables.ts';
import type { EnrollmentContactTable, EnrollmentTable, EnrollmentTripTable } from './tables.ts';

/*
 * Rows stay sealed here: this module never sees a key or a plaintext personal field. Services
 * open and seal with the person's PersonCipher.
 */

export type EnrollmentRow = EnrollmentTable;
export type ContactRow = EnrollmentContactTable;
export type TripRow = EnrollmentTripTable;

export async function insertEnrollment(
  db: Db,
  row: EnrollmentRow,
  wrappedKey: string,
  contacts: readonly ContactRow[],
  trips: readonly TripRow[],
): Promise<void> {
  await db.insertInto('enrollments').values(row).execute();
  await db
    .insertInto('enrollment_keys')
    .values({ person_id: row.id, wrapped_key: wrappedKey, created_at: row.created_at })
    .execute();
  if (contacts.length > 0)
    await db
      .insertInto('enrollment_contacts')
      .values([...contacts])
      .execute();
  if (trips.length > 0)
    await db
      .insertInto('enrollment_trips')
      .values([...trips])
      .execute();
}

export async function findEnrollment(db: Db, id: string): Promise<EnrollmentRow | undefined> {
  return db.selectFrom('enrollments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findWrappedKey(db: Db, personId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('enrollment_keys')
    .select('wrapped_key')
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return r?.wrapped_key;
}

export async function findContactsByIndex(db: Db, indexes: readonly string[]): Promise<ContactRow[]> {
  if (indexes.length === 0) return [];
  return db
    .selectFrom('enrollment_contacts')
    .selectAll()
    .where('blind_index', 'in', [...indexes])
    .execute();
}

export async function findContact(db: Db, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('enrollment_contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes one contact row (a traveller replacing or removing an email or phone). */
export async function deleteContact(db: Db, id: string): Promise<void> {
  await db.deleteFrom('enrollment_contacts').where('id', '=', id).execute();
}

export async function insertContact(db: Db, row: ContactRow): Promise<void> {
  await db.insertInto('enrollment_contacts').values(row).execute();
}

export async function listContacts(db: Db, personId: string): Promise<ContactRow[]> {
  return db
    .selectFrom('enrollment_contacts')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listTrips(db: Db, personId: string): Promise<TripRow[]> {
  return db
    .selectFrom('enrollment_trips')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('arrival')
    .orderBy('id')
    .execute();
}

/** Marks a contact verified if the link's version is still current; false when it is not. */
export async function markContactVerified(db: Db, id: string, version: number, at: string): Promise<boolean> {
  const r = await db
    .updateTable('enrollment_contacts')
    .set({ verified_at: at, verify_version: version + 1 })
    .where('id', '=', id)
    .where('verify_version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function latestDelivery(
  db: Db,
  contactId: string,
  template: string,
): Promise<DeliveryTable | undefined> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('contact_id', '=', contactId)
    .where('template', '=', template)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/**
 * Counts one request against `key` in a fixed window; returns the count including this one and
 * when the window started. One upsert (the SET sees the old row on both stores), so concurrent
 * requests are all counted.
 */
export async function hitThrottle(
  db: Db,
  key: string,
  now: string,
  windowStartsAfter: string,
): Promise<{ count: number; windowStartedAt: string }> {
  const expired = sql<boolean>`enrollment_throttle.window_started_at <= ${windowStartsAfter}`;
  const r = await db
    .insertInto('enrollment_throttle')
    .values({ key, window_started_at: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`CASE WHEN ${expired} THEN 1 ELSE enrollment_throttle.count + 1 END`,
        window_started_at: sql<string>`CASE WHEN ${expired} THEN ${now} ELSE enrollment_throttle.window_started_at END`,
      }),
    )
    .returning(['count', 'window_started_at'])
    .executeTakeFirstOrThrow();
  return { count: Number(r.count), windowStartedAt: r.window_started_at };
}
