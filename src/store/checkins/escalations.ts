import { sql } from 'kysely';
import type { Db } from '../db.ts';

export const listOpenCheckins = (db: Db) =>
  db.selectFrom('alert_checkins').selectAll().where('open', '=', 1).execute();

export interface Unanswered {
  person_id: string;
  repeats_done: number;
  emergency_told: number;
  has_emergency_email: number;
}

/** Recipients who have not answered (and still exist), with how far escalation has taken them. */
export async function unanswered(db: Db, alertId: string): Promise<Unanswered[]> {
  const rows = await db
    .selectFrom('alert_recipients as r')
    .innerJoin('enrollments as en', 'en.id', 'r.person_id')
    .leftJoin('checkin_latest as l', (j) =>
      j.onRef('l.alert_id', '=', 'r.alert_id').onRef('l.person_id', '=', 'r.person_id'),
    )
    .leftJoin('checkin_escalations as e', (j) =>
      j.onRef('e.alert_id', '=', 'r.alert_id').onRef('e.person_id', '=', 'r.person_id'),
    )
    .select([
      'r.person_id',
      sql<number>`coalesce(e.repeats_done, 0)`.as('repeats_done'),
      sql<number>`coalesce(e.emergency_told, 0)`.as('emergency_told'),
      sql<number>`case when en.emergency_email_enc is null then 0 else 1 end`.as('has_emergency_email'),
    ])
    .where('r.alert_id', '=', alertId)
    .where('l.person_id', 'is', null)
    .execute();
  return rows.map((r) => ({
    person_id: r.person_id,
    repeats_done: Number(r.repeats_done),
    emergency_told: Number(r.emergency_told),
    has_emergency_email: Number(r.has_emergency_email),
  }));
}

/** The contacts the alert first went to, per person, in the order they were queued. */
export async function firstContacts(
  db: Db,
  alertId: string,
): Promise<Map<string, Array<{ channel: string; contactId: string | null }>>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['person_id', 'channel', 'contact_id'])
    .where('message_ref', '=', `alert:${alertId}`)
    .where('template', '=', 'alert')
    .orderBy('id')
    .execute();
  const out = new Map<string, Array<{ channel: string; contactId: string | null }>>();
  for (const r of rows) {
    if (!r.person_id) continue;
    const list = out.get(r.person_id) ?? [];
    if (!list.some((c) => c.channel === r.channel && c.contactId === r.contact_id)) {
      list.push({ channel: r.channel, contactId: r.contact_id });
    }
    out.set(r.person_id, list);
  }
  return out;
}

export async function saveEscalation(
  db: Db,
  row: {
    alert_id: string;
    person_id: string;
    repeats_done: number;
    emergency_told: number;
    updated_at: string;
  },
): Promise<void> {
  await db
    .insertInto('checkin_escalations')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['alert_id', 'person_id']).doUpdateSet({
        repeats_done: row.repeats_done,
        emergency_told: row.emergency_told,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** Alerts sent before `before` that still hold check-in data (retention). */
export async function alertsWithCheckinsBefore(db: Db, before: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('alerts')
    .select('id')
    .where('sent_at', '<', before)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb.selectFrom('checkin_answers as a').select('a.id').whereRef('a.alert_id', '=', 'alerts.id'),
        ),
        eb.exists(
          eb.selectFrom('alert_checkins as c').select('c.alert_id').whereRef('c.alert_id', '=', 'alerts.id'),
        ),
      ]),
    )
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Deletes every check-in row of these alerts; returns the answers deleted. */
export async function deleteCheckinData(db: Db, alertIds: readonly string[]): Promise<number> {
  if (alertIds.length === 0) return 0;
  const r = await db.deleteFrom('checkin_answers').where('alert_id', 'in', alertIds).executeTakeFirst();
  for (const table of [
    'checkin_latest',
    'need_help_cases',
    'checkin_escalations',
    'alert_checkins',
  ] as const) {
    await db.deleteFrom(table).where('alert_id', 'in', alertIds).execute();
  }
  return Number(r.numDeletedRows);
}
