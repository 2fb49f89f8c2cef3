import type { Kysely } from 'kysely';
import type { Backend } from '../db.ts';

/*
 * Staff console accounts (issue 16):
 * - users.must_change_password: a password someone else chose or printed (user creation by an
 *   admin or the CLI, an admin's reset, the demo accounts) is one-time: until its owner sets their
 *   own, the session reaches only "who am I", "change password" and "sign out". 0/1 on both stores.
 * - sessions.user_agent: the browser that opened a session, so "My account" can list the active
 *   sessions in words a person recognises (the id is a hash and means nothing to them).
 */
export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
}
