import type { Kysely } from 'kysely';
import type { Backend } from '../db.ts';

export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  await db.schema
    .createTable('enrollments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('emergency_name_enc', 'text', (c) => c.notNull())
    .addColumn('emergency_phone_enc', 'text')
    .addColumn('emergency_email_enc', 'text')
    .addColumn('webhook_url', 'text')
    .addColumn('consent_at', 'text', (c) => c.notNull())
    .addColumn('unsubscribed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Apart from the data it unlocks: shredding a person deletes this row.
  await db.schema
    .createTable('enrollment_keys')
    .addColumn('person_id', 'text', (c) => c.primaryKey().references('enrollments.id').onDelete('cascade'))
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('enrollment_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('enrollments.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value_enc', 'text', (c) => c.notNull())
    .addColumn('blind_index', 'text', (c) => c.notNull().unique())
    .addColumn('verified_at', 'text')
    .addColumn('verify_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('enrollment_contacts_person_idx')
    .on('enrollment_contacts')
    .column('person_id')
    .execute();

  await db.schema
    .createTable('enrollment_trips')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('enrollments.id').onDelete('cascade'))
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('lat', 'double precision')
    .addColumn('lon', 'double precision')
    .addColumn('place_id', 'integer')
    .addColumn('arrival', 'text', (c) => c.notNull())
    .addColumn('departure', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Targeting: who is in this country/region during these dates.
  await db.schema
    .createIndex('enrollment_trips_country_idx')
    .on('enrollment_trips')
    .columns(['country', 'region', 'arrival'])
    .execute();
  await db.schema
    .createIndex('enrollment_trips_person_idx')
    .on('enrollment_trips')
    .column('person_id')
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_status_idx').on('outbox').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('outbox_person_idx').on('outbox').column('person_id').execute();

  await db.schema
    .createTable('enrollment_links')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('enrollments.id').onDelete('cascade'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('enrollment_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('enrollments.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('enrollment_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();
}
