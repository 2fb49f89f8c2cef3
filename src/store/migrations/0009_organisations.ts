import { type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

/**
 * Organisations (duty-of-care employers, NGOs, universities) that enroll their own people by API
 * or CSV import: their tokens (hashed at rest), their import history, and on each enrollment the
 * organisation and the organisation's own id for the person (UNIQUE together, which is what makes
 * a re-import idempotent).
 */
export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // Trimmed, lower-cased name: two organisations cannot differ only by case or spacing.
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();

  await db.schema
    .createTable('organisation_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('organisation_tokens_org_idx')
    .on('organisation_tokens')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('organisation_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('error_count', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('organisation_imports_org_idx')
    .on('organisation_imports')
    .columns(['organisation_id', 'started_at'])
    .execute();
  // One running import per organisation, across processes: a second one is refused (409).
  await db.schema
    .createIndex('organisation_imports_running_idx')
    .unique()
    .on('organisation_imports')
    .column('organisation_id')
    .where(sql.ref('status'), '=', 'running')
    .execute();

  // SQLite takes one column per ALTER TABLE.
  await db.schema
    .alterTable('enrollments')
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id'))
    .execute();
  await db.schema.alterTable('enrollments').addColumn('external_id', 'text').execute();
  // Keyed hash of what the organisation last sent for the person: an unchanged re-import writes nothing.
  await db.schema.alterTable('enrollments').addColumn('content_hash', 'text').execute();
  await db.schema
    .createIndex('enrollments_org_external_idx')
    .unique()
    .on('enrollments')
    .columns(['organisation_id', 'external_id'])
    .execute();
}
