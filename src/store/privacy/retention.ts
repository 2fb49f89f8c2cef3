import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db.ts';
import type { Database } from '../schema.ts';

/*
 * What the retention purge removes, as id selections (to delete in batches) and counts (for a
 * dry run). Each kind is one predicate used by both, so a dry run counts what a purge deletes.
 */

export interface Cutoffs {
  /** Trips whose departure (YYYY-MM-DD) is before this day are over for good. */
  readonly tripDay: string;
  /** Enrollments untouched since then with no trip left go too. */
  readonly idleBefore: string;
  /** Unverified enrollments, contacts and subscriptions created before this go. */
  readonly unverifiedBefore: string;
  /** Routine deliveries and expanded notices created before this go. */
  readonly messagesBefore: string;
  /** Security deliveries (alerts, check-ins: evidence after a crisis) created before this go. */
  readonly securityMessagesBefore: string;
  /** Links and sessions that expired before this (= now) go. */
  readonly now: string;
  /** Throttle windows that started before this are over. */
  readonly throttleBefore: string;
}

const n = (r: { numDeletedRows: bigint }[] | { numDeletedRows: bigint }) =>
  Number((Array.isArray(r) ? r[0]?.numDeletedRows : r.numDeletedRows) ?? 0n);
const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) =>
  Number((await q.executeTakeFirstOrThrow()).n);

// ---- ended trips ----------------------------------------------------------------------------

const endedTrips = (db: Db, c: Cutoffs) =>
  db.selectFrom('enrollment_trips').where('departure', '<', c.tripDay);

export async function endedTripIds(db: Db, c: Cutoffs, limit: number): Promise<string[]> {
  return (await endedTrips(db, c).select('id').orderBy('id').limit(limit).execute()).map((r) => r.id);
}
export const countEndedTrips = (db: Db, c: Cutoffs) =>
  count(endedTrips(db, c).select((eb) => eb.fn.countAll<string>().as('n')));
export async function deleteTrips(db: Db, ids: readonly string[]): Promise<number> {
  return ids.length === 0
    ? 0
    : n(
        await db
          .deleteFrom('enrollment_trips')
          .where('id', 'in', [...ids])
          .execute(),
      );
}

// ---- enrollments never verified -------------------------------------------------------------

const unverifiedEnrollments = (db: Db, c: Cutoffs) =>
  db
    .selectFrom('enrollments as e')
    .where('e.created_at', '<', c.unverifiedBefore)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('enrollment_contacts as k')
            .select('k.id')
            .whereRef('k.person_id', '=', 'e.id')
            .where('k.verified_at', 'is not', null),
        ),
      ),
    );

export async function unverifiedEnrollmentIds(db: Db, c: Cutoffs, limit: number): Promise<string[]> {
  return (await unverifiedEnrollments(db, c).select('e.id').orderBy('e.id').limit(limit).execute()).map(
    (r) => r.id,
  );
}
export const countUnverifiedEnrollments = (db: Db, c: Cutoffs) =>
  count(unverifiedEnrollments(db, c).select((eb) => eb.fn.countAll<string>().as('n')));

// ---- verified enrollments left without a trip ------------------------------------------------

/** Verified, idle since idleBefore, and no trip that the purge keeps (open-ended or not over). */
const idleEnrollments = (db: Db, c: Cutoffs) =>
  db
    .selectFrom('enrollments as e')
    .where('e.updated_at', '<', c.idleBefore)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('enrollment_contacts as k')
          .select('k.id')
          .whereRef('k.person_id', '=', 'e.id')
          .where('k.verified_at', 'is not', null),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('enrollment_trips as t')
            .select('t.id')
            .whereRef('t.person_id', '=', 'e.id')
            .where((eb) => eb.or([eb('t.departure', 'is', null), eb('t.departure', '>=', c.tripDay)])),
        ),
      ),
    );

export async function idleEnrollmentIds(db: Db, c: Cutoffs, limit: number): Promise<string[]> {
  return (await idleEnrollments(db, c).select('e.id').orderBy('e.id').limit(limit).execute()).map(
    (r) => r.id,
  );
}
export const countIdleEnrollments = (db: Db, c: Cutoffs) =>
  count(idleEnrollments(db, c).select((eb) => eb.fn.countAll<string>().as('n')));

/**
 * Crypto-shreds people: their wrapped keys go, with every row that names them (blind indexes
 * included, so they are not findable either). Returns rows deleted per kind.
 */
export async function eraseEnrollments(db: Db, ids: readonly string[]): Promise<Record<string, number>> {
  if (ids.length === 0) return {};
  const list = [...ids];
  return {
    messages: n(await db.deleteFrom('deliveries').where('person_id', 'in', list).execute()),
    sessions: n(await db.deleteFrom('enrollment_sessions').where('person_id', 'in', list).execute()),
    links: n(await db.deleteFrom('enrollment_links').where('person_id', 'in', list).execute()),
    trips: n(await db.deleteFrom('enrollment_trips').where('person_id', 'in', list).execute()),
    contacts: n(await db.deleteFrom('enrollment_contacts').where('person_id', 'in', list).execute()),
    keys: n(await db.deleteFrom('enrollment_keys').where('person_id', 'in', list).execute()),
    enrollments: n(await db.deleteFrom('enrollments').where('id', 'in', list).execute()),
  };
}

// ---- unverified contacts of verified people ---------------------------------------------------

/** A contact added (say by a typo) and never verified, where the person keeps a verified one. */
const strayContacts = (db: Db, c: Cutoffs) =>
  db
    .selectFrom('enrollment_contacts as k')
    .where('k.verified_at', 'is', null)
    .where('k.created_at', '<', c.unverifiedBefore)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('enrollment_contacts as v')
          .select('v.id')
          .whereRef('v.person_id', '=', 'k.person_id')
          .where('v.verified_at', 'is not', null),
      ),
    );

export async function strayContactIds(db: Db, c: Cutoffs, limit: number): Promise<string[]> {
  return (await strayContacts(db, c).select('k.id').orderBy('k.id').limit(limit).execute()).map((r) => r.id);
}
export const countStrayContacts = (db: Db, c: Cutoffs) =>
  count(strayContacts(db, c).select((eb) => eb.fn.countAll<string>().as('n')));
export async function deleteContacts(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  await db
    .deleteFrom('deliveries')
    .where('contact_id', 'in', [...ids])
    .execute();
  return n(
    await db
      .deleteFrom('enrollment_contacts')
      .where('id', 'in', [...ids])
      .execute(),
  );
}

// ---- subscriptions never verified -------------------------------------------------------------

const unverifiedSubscriptions = (db: Db, c: Cutoffs) =>
  db
    .selectFrom('subscriptions')
    .where('verified_at', 'is', null)
    .where('updated_at', '<', c.unverifiedBefore);

export async function unverifiedSubscriptionIds(db: Db, c: Cutoffs, limit: number): Promise<string[]> {
  return (await unverifiedSubscriptions(db, c).select('id').orderBy('id').limit(limit).execute()).map(
    (r) => r.id,
  );
}
export const countUnverifiedSubscriptions = (db: Db, c: Cutoffs) =>
  count(unverifiedSubscriptions(db, c).select((eb) => eb.fn.countAll<string>().as('n')));

// ---- housekeeping: nothing personal, deleted by predicate -------------------------------------

export async function countHousekeeping(db: Db, c: Cutoffs): Promise<Record<string, number>> {
  const all = <T extends { executeTakeFirstOrThrow(): Promise<{ n: string }> }>(q: T) => count(q);
  return {
    links: await all(
      db
        .selectFrom('enrollment_links')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('expires_at', '<', c.now),
    ),
    sessions: await all(
      db
        .selectFrom('enrollment_sessions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('expires_at', '<', c.now),
    ),
    throttle: await all(
      db
        .selectFrom('enrollment_throttle')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('window_started_at', '<', c.throttleBefore),
    ),
    messages: await all(
      db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where((eb) => expiredDelivery(eb, c)),
    ),
    notices: await all(
      db
        .selectFrom('advisory_notices')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('created_at', '<', c.messagesBefore)
        .where('expanded_at', 'is not', null),
    ),
  };
}

/** Expired links and sessions, past throttle windows; small tables, one statement each. */
export async function deleteExpiredAccess(db: Db, c: Cutoffs): Promise<Record<string, number>> {
  return {
    links: n(await db.deleteFrom('enrollment_links').where('expires_at', '<', c.now).execute()),
    sessions: n(await db.deleteFrom('enrollment_sessions').where('expires_at', '<', c.now).execute()),
    throttle: n(
      await db.deleteFrom('enrollment_throttle').where('window_started_at', '<', c.throttleBefore).execute(),
    ),
  };
}

/** A delivery past its retention: routine ones after messageDays, security ones after securityMessageDays. */
const expiredDelivery = (eb: ExpressionBuilder<Database, 'deliveries'>, c: Cutoffs) =>
  eb.or([
    eb.and([eb('retention', '=', 'security'), eb('created_at', '<', c.securityMessagesBefore)]),
    eb.and([eb('retention', '!=', 'security'), eb('created_at', '<', c.messagesBefore)]),
  ]);

export async function oldMessageIds(db: Db, c: Cutoffs, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select('id')
    .where((eb) => expiredDelivery(eb, c))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
export async function deleteMessages(db: Db, ids: readonly string[]): Promise<number> {
  return ids.length === 0
    ? 0
    : n(
        await db
          .deleteFrom('deliveries')
          .where('id', 'in', [...ids])
          .execute(),
      );
}

export async function deleteOldNotices(db: Db, c: Cutoffs): Promise<number> {
  return n(
    await db
      .deleteFrom('advisory_notices')
      .where('created_at', '<', c.messagesBefore)
      .where('expanded_at', 'is not', null)
      .execute(),
  );
}

export async function deleteOldRuns(db: Db, beforeDay: string): Promise<number> {
  return n(await db.deleteFrom('scheduled_runs').where('day', '<', beforeDay).execute());
}
