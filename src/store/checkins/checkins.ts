import { sql } from 'kysely';
import type { Db } from '../db.ts';
import type {
  AlertCheckinTable,
  CheckinAnswerTable,
  NeedHelpCaseTable,
  PostCheckinSettingsTable,
} from './tables.ts';

export type { AlertCheckinTable, CheckinAnswerTable, NeedHelpCaseTable, PostCheckinSettingsTable };

export const findAlertCheckin = (db: Db, alertId: string) =>
  db.selectFrom('alert_checkins').selectAll().where('alert_id', '=', alertId).executeTakeFirst();

export const findOpenByCode = (db: Db, code: string) =>
  db
    .selectFrom('alert_checkins')
    .selectAll()
    .where('reply_code', '=', code)
    .where('open', '=', 1)
    .executeTakeFirst();

export async function openReplyCodes(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('alert_checkins').select('reply_code').where('open', '=', 1).execute();
  return new Set(rows.map((r) => r.reply_code));
}

/** Inserts unless the alert has one already (a concurrent renderer); true when this one was written. */
export async function insertAlertCheckin(db: Db, row: AlertCheckinTable): Promise<boolean> {
  const r = await db
    .insertInto('alert_checkins')
    .values(row)
    .onConflict((oc) => oc.column('alert_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function closeAlertCheckin(db: Db, alertId: string): Promise<void> {
  await db.updateTable('alert_checkins').set({ open: 0 }).where('alert_id', '=', alertId).execute();
}

export const isRecipient = async (db: Db, alertId: string, personId: string): Promise<boolean> =>
  (await db
    .selectFrom('alert_recipients')
    .select('person_id')
    .where('alert_id', '=', alertId)
    .where('person_id', '=', personId)
    .executeTakeFirst()) !== undefined;

/** Alerts taking answers by code that reached this person. */
export async function openCheckinsOf(
  db: Db,
  personIds: readonly string[],
): Promise<Array<{ alert_id: string; person_id: string; reply_code: string }>> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('alert_checkins as c')
    .innerJoin('alert_recipients as r', 'r.alert_id', 'c.alert_id')
    .select(['c.alert_id', 'r.person_id', 'c.reply_code'])
    .where('c.open', '=', 1)
    .where('r.person_id', 'in', personIds)
    .execute();
}

/** Inserts an answer; false when its provider_ref was seen before (a replayed inbound SMS). */
export async function insertAnswer(db: Db, row: CheckinAnswerTable): Promise<boolean> {
  const q = db.insertInto('checkin_answers').values(row);
  const r = await (row.provider_ref === null
    ? q
    : q.onConflict((oc) => oc.column('provider_ref').doNothing())
  ).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export const findLatest = (db: Db, alertId: string, personId: string) =>
  db
    .selectFrom('checkin_latest')
    .selectAll()
    .where('alert_id', '=', alertId)
    .where('person_id', '=', personId)
    .executeTakeFirst();

/** The answer that counts: the newest by time (a late-arriving older answer does not win). */
export async function upsertLatest(db: Db, a: CheckinAnswerTable): Promise<void> {
  await db
    .insertInto('checkin_latest')
    .values({
      alert_id: a.alert_id,
      person_id: a.person_id,
      answer_id: a.id,
      answer: a.answer,
      channel: a.channel,
      at: a.at,
    })
    .onConflict((oc) =>
      oc
        .columns(['alert_id', 'person_id'])
        .doUpdateSet({
          answer_id: (eb) => eb.ref('excluded.answer_id'),
          answer: (eb) => eb.ref('excluded.answer'),
          channel: (eb) => eb.ref('excluded.channel'),
          at: (eb) => eb.ref('excluded.at'),
        })
        .where(sql.ref('checkin_latest.at'), '<=', sql.ref('excluded.at')),
    )
    .execute();
}

export const listAnswers = (db: Db, alertId: string, personIds?: readonly string[]) => {
  let q = db.selectFrom('checkin_answers').selectAll().where('alert_id', '=', alertId);
  if (personIds) q = personIds.length ? q.where('person_id', 'in', personIds) : q.where(sql<boolean>`1 = 0`);
  return q.orderBy('at').orderBy('id').execute();
};

export interface AccountabilityRow {
  person_id: string;
  erased: number;
  answer: string | null;
  answered_at: string | null;
  answer_channel: string | null;
  delivered: number;
  failed: number;
  pending: number;
  channels: number;
}

/**
 * One row per recipient of the alert: erased or not, the answer that counts, and their deliveries
 * by outcome (email accepted by the relay counts as delivered: it is the only receipt email has).
 */
export async function accountabilityRows(db: Db, alertId: string): Promise<AccountabilityRow[]> {
  const rows = await db
    .selectFrom('alert_recipients as r')
    .leftJoin('enrollments as e', 'e.id', 'r.person_id')
    .leftJoin('checkin_latest as l', (j) =>
      j.onRef('l.alert_id', '=', 'r.alert_id').onRef('l.person_id', '=', 'r.person_id'),
    )
    .leftJoin('deliveries as d', (j) =>
      j.on('d.message_ref', '=', `alert:${alertId}`).onRef('d.person_id', '=', 'r.person_id'),
    )
    .select([
      'r.person_id',
      sql<number>`case when e.id is null then 1 else 0 end`.as('erased'),
      'l.answer',
      'l.at as answered_at',
      'l.channel as answer_channel',
      sql<number>`sum(case when d.status = 'delivered' or (d.status = 'sent' and d.channel = 'email') then 1 else 0 end)`.as(
        'delivered',
      ),
      sql<number>`sum(case when d.status in ('failed', 'dropped') then 1 else 0 end)`.as('failed'),
      sql<number>`sum(case when d.status in ('queued', 'sending') or (d.status = 'sent' and d.channel <> 'email') then 1 else 0 end)`.as(
        'pending',
      ),
      sql<number>`count(d.id)`.as('channels'),
    ])
    .where('r.alert_id', '=', alertId)
    .groupBy(['r.person_id', 'e.id', 'l.answer', 'l.at', 'l.channel'])
    .execute();
  return rows.map((r) => ({
    ...r,
    erased: Number(r.erased),
    delivered: Number(r.delivered),
    failed: Number(r.failed),
    pending: Number(r.pending),
    channels: Number(r.channels),
  }));
}

/** Answers over time, per hour and answer (the dashboard's bars). */
export async function answersByHour(
  db: Db,
  alertId: string,
): Promise<Array<{ hour: string; answer: string; n: number }>> {
  const rows = await db
    .selectFrom('checkin_answers')
    .select([sql<string>`substr(at, 1, 13)`.as('hour'), 'answer', sql<number>`count(*)`.as('n')])
    .where('alert_id', '=', alertId)
    .groupBy([sql`substr(at, 1, 13)`, 'answer'])
    .orderBy(sql`substr(at, 1, 13)`)
    .execute();
  return rows.map((r) => ({ hour: r.hour, answer: r.answer, n: Number(r.n) }));
}

export async function openCase(db: Db, row: NeedHelpCaseTable): Promise<boolean> {
  const r = await db
    .insertInto('need_help_cases')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export const findCase = (db: Db, id: string) =>
  db.selectFrom('need_help_cases').selectAll().where('id', '=', id).executeTakeFirst();

export async function listCases(
  db: Db,
  f: {
    alertId?: string;
    postIds?: readonly string[] | null;
    countries?: readonly string[] | null;
    open?: boolean;
  },
): Promise<NeedHelpCaseTable[]> {
  let q = db.selectFrom('need_help_cases').selectAll();
  if (f.alertId) q = q.where('alert_id', '=', f.alertId);
  if (f.open === true) q = q.where('handled_at', 'is', null);
  if (f.open === false) q = q.where('handled_at', 'is not', null);
  if (f.postIds || f.countries) {
    const posts = f.postIds ?? [];
    const countries = f.countries ?? [];
    q = q.where((eb) =>
      eb.or([
        ...(posts.length ? [eb('post_id', 'in', posts)] : []),
        ...(countries.length ? [eb('country', 'in', countries)] : []),
        sql<boolean>`1 = 0`,
      ]),
    );
  }
  return q.orderBy('opened_at', 'desc').orderBy('id').limit(1000).execute();
}

export async function handleCase(
  db: Db,
  id: string,
  at: string,
  by: string,
  note: string | null,
): Promise<boolean> {
  const r = await db
    .updateTable('need_help_cases')
    .set({ handled_at: at, handled_by: by, handled_note: note })
    .where('id', '=', id)
    .where('handled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export const findPostSettings = (db: Db, postId: string) =>
  db.selectFrom('post_checkin_settings').selectAll().where('post_id', '=', postId).executeTakeFirst();

export async function savePostSettings(db: Db, row: PostCheckinSettingsTable): Promise<void> {
  await db
    .insertInto('post_checkin_settings')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('post_id')
        .doUpdateSet({ duty_email: row.duty_email, escalation: row.escalation, updated_at: row.updated_at }),
    )
    .execute();
}
