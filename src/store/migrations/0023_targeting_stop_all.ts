import { type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

/*
 * "Stop all messages" (`enrollments.unsubscribed_at`) takes a person out of alert targeting, so
 * the change log of 0022 must note it. PostgreSQL's enrollments trigger already notes every
 * update; SQLite's listed only `webhook_url_enc` and now lists `unsubscribed_at` too.
 */
export async function up(db: Kysely<unknown>, backend: Backend): Promise<void> {
  if (backend === 'postgres') return;
  await sql`drop trigger enrollments_targeting_upd`.execute(db);
  await sql`create trigger enrollments_targeting_upd after update of webhook_url_enc, unsubscribed_at
    on enrollments begin insert into targeting_changes (person_id) values (new.id); end`.execute(db);
}
