import type { Kysely } from 'kysely';
import type { Backend } from '../db.ts';

export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  // Work the system asks staff to do: review an advisory, tell the public what staff were told...
  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('post_id', 'text')
    .addColumn('subject', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution', 'text')
    .execute();
  await db.schema.createIndex('tasks_open_idx').on('tasks').columns(['status', 'kind', 'country']).execute();

  // A counter per public resource, bumped in the transaction that changes it: caches in every
  // process compare against it, so a publish is visible everywhere within a second.
  await db.schema
    .createTable('revisions')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
