import type { Kysely } from 'kysely';
import type { Backend } from '../db.ts';

export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  await db.schema
    .createTable('posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('district_regions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('district_geometry', 'text')
    .addColumn('coverage_delegate_id', 'text', (c) => c.references('posts.id'))
    // Set right after the post's first posture change is written (same transaction).
    .addColumn('posture_change_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('posts_country_idx').on('posts').column('country').execute();

  // A region belongs to at most one district, whatever races the application-level check.
  await db.schema
    .createTable('post_district_regions')
    .addColumn('region', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createIndex('post_district_regions_post_idx')
    .on('post_district_regions')
    .column('post_id')
    .execute();

  await db.schema
    .createTable('posture_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
    .addColumn('previous_state', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('staff_departure', 'text', (c) => c.notNull())
    .addColumn('family_departure', 'text', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('effective_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('review_by', 'text')
    .addColumn('statement', 'text')
    .addColumn('coverage_delegate_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .execute();
  await db.schema
    .createIndex('posture_changes_post_idx')
    .on('posture_changes')
    .columns(['post_id', 'effective_at'])
    .execute();
  await db.schema
    .createIndex('posture_changes_effective_idx')
    .on('posture_changes')
    .column('effective_at')
    .execute();

  await db.schema
    .createTable('posture_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('authors', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('change_id', 'text')
    .execute();
  await db.schema
    .createIndex('posture_requests_status_idx')
    .on('posture_requests')
    .columns(['status', 'post_id'])
    .execute();

  await db.schema
    .createTable('staff_restrictions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('regions', 'text', (c) => c.notNull())
    .addColumn('geometry', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('task_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('staff_restrictions_post_idx')
    .on('staff_restrictions')
    .column('post_id')
    .execute();
}
