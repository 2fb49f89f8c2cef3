import { type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

/*
 * Cheaper enrollment writes for large imports (docs/enrollment-import.md; figures in
 * docs/performance-history.md):
 *
 * - Blind indexes keep the first 128 bits of their HMAC (32 hex digits, see blindIndex()), so the
 *   stored ones are cut to their first 32 digits. The UNIQUE index on contacts takes each new
 *   contact at a random place; at half the key length it is 40% smaller, and each import
 *   transaction rewrites that many fewer of its pages.
 * - Trips are found by (country, region), not (country, region, arrival). With the arrival day in
 *   the key, a trip went to one of thousands of places in the index (one per region and day), so
 *   a transaction of 20,000 trips rewrote most of its pages; by (country, region) a new trip goes
 *   at the end of its region's run, one of a few hundred places. No query ranges over the arrival day through this index: the readers
 *   (counts by region, notices by country, presence checks) filter on the departure day, which it never
 *   held, from the trip rows.
 */
export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  for (const table of ['enrollment_contacts', 'subscriptions']) {
    await sql`update ${sql.table(table)} set blind_index = substr(blind_index, 1, 32)
      where length(blind_index) > 32`.execute(db);
  }
  await db.schema.dropIndex('enrollment_trips_country_idx').execute();
  await db.schema
    .createIndex('enrollment_trips_region_idx')
    .on('enrollment_trips')
    .columns(['country', 'region'])
    .execute();
}
