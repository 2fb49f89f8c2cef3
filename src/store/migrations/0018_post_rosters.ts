import { type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

/*
 * Drawdown accountability for post staff (issue 14, docs/drawdown.md):
 * - roster_members: a post's staff and family. Name and contacts are sealed with the member's own
 *   data key (wrapped_key, as enrollments), so deleting the row crypto-shreds the member; role,
 *   kind, essential and the post's own reference stay plain (the board counts and sorts on them).
 * - drawdown_boards: one per departure episode of a post, opened when the post leaves normal
 *   operations and closed (with its final headcounts) when it returns; at most one open per post.
 * - roster_events: every status a member was given, by whom and how (staff, import, check-in);
 *   the board's history. A member's events go with the member.
 */
export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  await db.schema
    .createTable('roster_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('essential', 'integer', (c) => c.notNull())
    .addColumn('household', 'text')
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('email_enc', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('status_at', 'text', (c) => c.notNull())
    .addColumn('status_by', 'text', (c) => c.notNull())
    .addColumn('status_source', 'text', (c) => c.notNull())
    // The drawdown board the status was given on (null: none was open).
    .addColumn('status_board_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('roster_members_reference_key', ['post_id', 'reference'])
    .execute();

  await db.schema
    .createTable('drawdown_boards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('opened_change_id', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_change_id', 'text')
    /** JSON headcounts when the board closed. */
    .addColumn('final_counts', 'text')
    .execute();
  await db.schema
    .createIndex('drawdown_boards_open_idx')
    .on('drawdown_boards')
    .column('post_id')
    .unique()
    .where(sql.ref('closed_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('drawdown_boards_post_idx')
    .on('drawdown_boards')
    .columns(['post_id', 'opened_at'])
    .execute();

  await db.schema
    .createTable('roster_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('roster_members.id').onDelete('cascade'))
    .addColumn('board_id', 'text', (c) => c.references('drawdown_boards.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('roster_events_member_idx')
    .on('roster_events')
    .columns(['member_id', 'at'])
    .execute();
  await db.schema
    .createIndex('roster_events_board_idx')
    .on('roster_events')
    .columns(['board_id', 'at'])
    .execute();
}
