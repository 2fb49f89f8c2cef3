import { type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

/*
 * Check-ins and accountability (issue 14, docs/checkins.md):
 * - alert_checkins: per alert with a check-in request, its SMS reply code (unique among the alerts
 *   still taking answers) and escalation settings; made when the first message is rendered.
 * - checkin_answers: every answer, kept with time and channel (note and location sealed with the
 *   person's key, so erasing the person shreds them); provider_ref makes a replayed inbound SMS a
 *   no-op. checkin_latest: the answer that counts, one row per (alert, person), for roll-ups.
 * - need_help_cases: a need_help answer opens one for the issuing post until staff mark it handled.
 * - post_checkin_settings: a post's duty address and default escalation.
 * - checkin_escalations: per person without an answer, the repeats made and whether their
 *   emergency contact was told.
 */
export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  await db.schema
    .createTable('alert_checkins')
    .addColumn('alert_id', 'text', (c) => c.primaryKey().references('alerts.id').onDelete('cascade'))
    .addColumn('reply_code', 'text', (c) => c.notNull())
    .addColumn('open', 'integer', (c) => c.notNull())
    .addColumn('escalation', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alert_checkins_open_code_idx')
    .on('alert_checkins')
    .column('reply_code')
    .unique()
    .where(sql.ref('open'), '=', 1)
    .execute();

  await db.schema
    .createTable('checkin_answers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    // No foreign key: an erased person's answers stay as counts (their key, hence note, is gone).
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('note_enc', 'text')
    .addColumn('location_enc', 'text')
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('alert_cancelled', 'integer', (c) => c.notNull())
    .addColumn('provider_ref', 'text', (c) => c.unique())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('checkin_answers_alert_idx')
    .on('checkin_answers')
    .columns(['alert_id', 'person_id', 'at'])
    .execute();
  await db.schema.createIndex('checkin_answers_at_idx').on('checkin_answers').column('at').execute();

  await db.schema
    .createTable('checkin_latest')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('answer_id', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('checkin_latest_pk', ['alert_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('need_help_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('answer_id', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('handled_at', 'text')
    .addColumn('handled_by', 'text')
    .addColumn('handled_note', 'text')
    .execute();
  await db.schema
    .createIndex('need_help_cases_open_idx')
    .on('need_help_cases')
    .columns(['alert_id', 'person_id'])
    .unique()
    .where(sql.ref('handled_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('need_help_cases_post_idx')
    .on('need_help_cases')
    .columns(['post_id', 'opened_at'])
    .execute();

  // Escalation: how far each person without an answer has been taken.
  await db.schema
    .createTable('checkin_escalations')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('repeats_done', 'integer', (c) => c.notNull())
    .addColumn('emergency_told', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('checkin_escalations_pk', ['alert_id', 'person_id'])
    .execute();

  // Accountability joins an alert's deliveries person by person.
  await sql`create index deliveries_message_person_idx on deliveries (message_ref, person_id)`.execute(db);

  await db.schema
    .createTable('post_checkin_settings')
    .addColumn('post_id', 'text', (c) => c.primaryKey().references('posts.id').onDelete('cascade'))
    .addColumn('duty_email', 'text')
    .addColumn('escalation', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
