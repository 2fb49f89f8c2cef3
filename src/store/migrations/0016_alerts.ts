import type { Kysely } from 'kysely';
import type { Backend } from '../db.ts';

/*
 * Alerts (issue 13). The content an approver approves is one JSON document (`content`, hashed as
 * `content_hash`); the columns beside it are copies the queries need (state, scope, times,
 * countries touched, the check-in request the check-ins feature reads) and the lifecycle. A sent
 * alert's recipients are kept (`alert_recipients`: person ids only, no contact), so a Cancel goes
 * to exactly the people the original reached and check-ins know whom to count.
 *
 * Drill participants: Exercise and Test alerts reach only people marked as such, by their
 * organisation or one by one by staff.
 */
export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
    // The issuing post's country: officers' scope.
    .addColumn('country', 'text', (c) => c.notNull())
    // JSON array of the ISO alpha-2 countries the area touches (public filter by country).
    .addColumn('countries', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('msg_type', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('effective', 'text', (c) => c.notNull())
    .addColumn('expires', 'text', (c) => c.notNull())
    .addColumn('check_in_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('check_in_deadline', 'text')
    .addColumn('authors', 'text', (c) => c.notNull())
    // What the composer started from: 'restriction:<id>', 'incident:<id>' or null.
    .addColumn('source', 'text')
    // The first alert of an Update/Cancel chain (itself for an Alert).
    .addColumn('root_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('approval_expires_at', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('approved_hash', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('superseded_by', 'text')
    .addColumn('recipient_count', 'integer')
    .execute();
  await db.schema.createIndex('alerts_state_idx').on('alerts').columns(['state', 'updated_at']).execute();
  await db.schema.createIndex('alerts_public_idx').on('alerts').columns(['scope', 'sent_at']).execute();
  await db.schema.createIndex('alerts_root_idx').on('alerts').column('root_id').execute();

  await db.schema
    .createTable('alert_recipients')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    // No foreign key: an erased person's row stays as a count (their enrollment and key are gone).
    .addColumn('person_id', 'text', (c) => c.notNull())
    // How the person matched: 'exact', 'approximate' (a place) or 'country'.
    .addColumn('precision', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_recipients_pk', ['alert_id', 'person_id'])
    .execute();

  await db.schema
    .alterTable('enrollments')
    .addColumn('drill_participant', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('organisations')
    .addColumn('drill_participant', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
