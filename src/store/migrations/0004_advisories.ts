import { type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  await db.schema
    .createTable('advisory_editions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('number', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('indicators', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('zones', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('change_note', 'text')
    .addColumn('minor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_review_due', 'text')
    .addColumn('base_edition_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .addColumn('archived_at', 'text')
    .addCheckConstraint('advisory_editions_status', sql`status in ('draft', 'published', 'archived')`)
    .addCheckConstraint('advisory_editions_level', sql`level between 1 and 4`)
    // A published or archived edition always has its number and publication time.
    .addCheckConstraint(
      'advisory_editions_numbered',
      sql`status = 'draft' or (number is not null and published_at is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('advisory_editions_country_idx')
    .on('advisory_editions')
    .columns(['country', 'status'])
    .execute();
  await db.schema
    .createIndex('advisory_editions_number_uq')
    .on('advisory_editions')
    .columns(['country', 'number'])
    .unique()
    .execute();
  // One current edition per country, whatever two publishers race to do.
  await db.schema
    .createIndex('advisory_editions_current_uq')
    .on('advisory_editions')
    .column('country')
    .unique()
    .where(sql.ref('status'), '=', 'published')
    .execute();

  await db.schema
    .createTable('advisory_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('edition_id', 'text', (c) => c.notNull().references('advisory_editions.id'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('next_review_due', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('advisory_reviews_edition_idx')
    .on('advisory_reviews')
    .columns(['edition_id', 'reviewed_at'])
    .execute();
}
