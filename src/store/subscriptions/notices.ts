import type { Db } from '../db.ts';
import type { AdvisoryNoticeTable } from './tables.ts';

/* Advisory notices and who they go to. Recipient queries return ids only, never contacts. */

export type NoticeRow = AdvisoryNoticeTable;

/** Records a notice once per subject: false when it already exists. */
export async function insertNotice(db: Db, row: NoticeRow): Promise<boolean> {
  const r = await db
    .insertInto('advisory_notices')
    .values(row)
    .onConflict((oc) => oc.columns(['kind', 'subject_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function findNotice(db: Db, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('advisory_notices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findNotices(db: Db, ids: readonly string[]): Promise<NoticeRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('advisory_notices')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Notices not yet expanded, oldest first; a claim older than `staleBefore` may be taken over. */
export async function listPendingNotices(db: Db, staleBefore: string, limit: number): Promise<NoticeRow[]> {
  return db
    .selectFrom('advisory_notices')
    .selectAll()
    .where('expanded_at', 'is', null)
    .where((eb) => eb.or([eb('expanding_at', 'is', null), eb('expanding_at', '<', staleBefore)]))
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** Claims a notice for expansion; false when another process holds a fresh claim or it is done. */
export async function claimNotice(db: Db, id: string, now: string, staleBefore: string): Promise<boolean> {
  const r = await db
    .updateTable('advisory_notices')
    .set({ expanding_at: now })
    .where('id', '=', id)
    .where('expanded_at', 'is', null)
    .where((eb) => eb.or([eb('expanding_at', 'is', null), eb('expanding_at', '<', staleBefore)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function finishNotice(db: Db, id: string, at: string, recipients: number): Promise<void> {
  await db
    .updateTable('advisory_notices')
    .set({ expanded_at: at, expanding_at: null, recipients })
    .where('id', '=', id)
    .execute();
}

/** Notices created in [from, to), oldest first. */
export async function listNoticesBetween(db: Db, from: string, to: string): Promise<NoticeRow[]> {
  return db
    .selectFrom('advisory_notices')
    .selectAll()
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Verified subscriptions of a frequency that include the country, by id after `after`. */
export async function subscribersOf(
  db: Db,
  country: string,
  frequency: 'immediate' | 'daily',
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('subscriptions as s')
    .innerJoin('subscription_countries as sc', 'sc.subscription_id', 's.id')
    .select('s.id')
    .where('sc.country', '=', country)
    .where('s.frequency', '=', frequency)
    .where('s.verified_at', 'is not', null)
    .where('s.id', '>', after)
    .orderBy('s.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The contact to tell of each traveller (not unsubscribed) with a current or upcoming trip in the
 * country: their verified email, or, when they have none, their verified phone (an SMS). An email
 * that also has a verified subscription to the country is left out: the subscriber's own choice
 * of frequency wins, and nobody gets the same notice twice.
 */
export async function travellersIn(
  db: Db,
  country: string,
  today: string,
  after: string,
  limit: number,
): Promise<Array<{ id: string; person_id: string; kind: string; blind_index: string }>> {
  return db
    .selectFrom('enrollment_contacts as c')
    .innerJoin('enrollments as e', 'e.id', 'c.person_id')
    .select(['c.id', 'c.person_id', 'c.kind', 'c.blind_index'])
    .where('c.verified_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('c.kind', '=', 'email'),
        eb.and([
          eb('c.kind', '=', 'phone'),
          eb.not(
            eb.exists(
              eb
                .selectFrom('enrollment_contacts as ce')
                .select('ce.id')
                .whereRef('ce.person_id', '=', 'c.person_id')
                .where('ce.kind', '=', 'email')
                .where('ce.verified_at', 'is not', null),
            ),
          ),
        ]),
      ]),
    )
    .where('e.unsubscribed_at', 'is', null)
    .where('c.id', '>', after)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('enrollment_trips as t')
          .select('t.id')
          .whereRef('t.person_id', '=', 'c.person_id')
          .where('t.country', '=', country)
          .where((eb) => eb.or([eb('t.departure', 'is', null), eb('t.departure', '>=', today)])),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('subscriptions as s')
            .innerJoin('subscription_countries as sc', 'sc.subscription_id', 's.id')
            .select('s.id')
            .whereRef('s.blind_index', '=', 'c.blind_index')
            .where('s.verified_at', 'is not', null)
            .where('sc.country', '=', country),
        ),
      ),
    )
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

/** Daily subscribers following any of the countries, with the countries they follow among them. */
export async function dailySubscribersOf(
  db: Db,
  countries: readonly string[],
  after: string,
  limit: number,
): Promise<Array<{ id: string; countries: string[] }>> {
  if (countries.length === 0) return [];
  const ids = await db
    .selectFrom('subscriptions as s')
    .select('s.id')
    .where('s.frequency', '=', 'daily')
    .where('s.verified_at', 'is not', null)
    .where('s.id', '>', after)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('subscription_countries as sc')
          .select('sc.country')
          .whereRef('sc.subscription_id', '=', 's.id')
          .where('sc.country', 'in', [...countries]),
      ),
    )
    .orderBy('s.id')
    .limit(limit)
    .execute();
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('subscription_countries')
    .select(['subscription_id', 'country'])
    .where(
      'subscription_id',
      'in',
      ids.map((r) => r.id),
    )
    .where('country', 'in', [...countries])
    .execute();
  const by = new Map<string, string[]>(ids.map((r) => [r.id, []]));
  for (const r of rows) by.get(r.subscription_id)?.push(r.country);
  return [...by].map(([id, cs]) => ({ id, countries: cs.sort() }));
}

/** Outbox rows a notice expanded to (by its dedupe keys). */
export async function countNoticeMessages(db: Db, noticeId: string): Promise<number> {
  const r = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('dedupe_key', 'like', `n:${noticeId}:%`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
