import type { Kysely } from 'kysely';
import type { Backend } from '../db.ts';

/**
 * Presence re-confirmation of open-ended trips, advisory subscriptions without a trip, the
 * notices that fan advisory and posture changes out to them, and the once-a-day lease of the
 * scheduler (retention purge, reminders, digests).
 */
export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  // Open-ended trips: when the traveller last said they are still there, and when we last asked.
  await db.schema.alterTable('enrollment_trips').addColumn('confirmed_at', 'text').execute();
  await db.schema.alterTable('enrollment_trips').addColumn('presence_asked_at', 'text').execute();

  // Messages to subscribers name the subscription, not a contact; dedupe_key makes every
  // fan-out idempotent (one message per recipient per event, however often it is expanded).
  await db.schema.alterTable('outbox').addColumn('subscription_id', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('dedupe_key', 'text').execute();
  await db.schema.createIndex('outbox_dedupe_key_idx').on('outbox').column('dedupe_key').unique().execute();
  await db.schema.createIndex('outbox_subscription_idx').on('outbox').column('subscription_id').execute();
  await db.schema.createIndex('outbox_created_idx').on('outbox').column('created_at').execute();
  await db.schema
    .createIndex('enrollment_trips_departure_idx')
    .on('enrollment_trips')
    .column('departure')
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email_enc', 'text', (c) => c.notNull())
    // blindIndex('email', …): the same value an enrollment contact with this email has.
    .addColumn('blind_index', 'text', (c) => c.notNull().unique())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text')
    .addColumn('verify_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Apart from the data it unlocks, as for enrollments: deleting it crypto-shreds the email.
  await db.schema
    .createTable('subscription_keys')
    .addColumn('subscription_id', 'text', (c) =>
      c.primaryKey().references('subscriptions.id').onDelete('cascade'),
    )
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('subscription_countries')
    .addColumn('subscription_id', 'text', (c) =>
      c.notNull().references('subscriptions.id').onDelete('cascade'),
    )
    .addColumn('country', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscription_countries_pk', ['subscription_id', 'country'])
    .execute();
  await db.schema
    .createIndex('subscription_countries_country_idx')
    .on('subscription_countries')
    .columns(['country', 'subscription_id'])
    .execute();

  await db.schema
    .createTable('advisory_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expanding_at', 'text')
    .addColumn('expanded_at', 'text')
    .addColumn('recipients', 'integer')
    .addUniqueConstraint('advisory_notices_subject_uq', ['kind', 'subject_id'])
    .execute();
  await db.schema
    .createIndex('advisory_notices_pending_idx')
    .on('advisory_notices')
    .columns(['expanded_at', 'created_at'])
    .execute();
  await db.schema
    .createIndex('advisory_notices_created_idx')
    .on('advisory_notices')
    .column('created_at')
    .execute();

  // One row per job per UTC day: whoever inserts it runs the job, so two processes run it once.
  await db.schema
    .createTable('scheduled_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('result', 'text')
    .addPrimaryKeyConstraint('scheduled_runs_pk', ['job', 'day'])
    .execute();
}
