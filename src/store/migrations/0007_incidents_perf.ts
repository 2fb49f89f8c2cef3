import { type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

/**
 * The map query by grid cell instead of by country (see src/domain/incidents/cells.ts).
 *
 * - `incidents.cell`: the 1-degree cell of the point, filled in here for existing rows with the
 *   formula of cellOf().
 * - The map index (cell, occurred_at) carries what a map point shows (lat, lon, type, id), so a
 *   viewport reads that index alone. It replaces the wide (country, occurred_at, lat, lon, id)
 *   index, which made a small viewport in a busy country scan the whole country.
 * - A narrow (country, occurred_at) index keeps the `country` filter of lists and feeds fast.
 */
/** cellOf(lat, lon) in SQL, per store (test/api/incidents.test.ts checks they agree). */
export const CELL_SQL: Readonly<Record<Backend, string>> = {
  postgres: 'LEAST(179, floor(lat)::integer + 90) * 360 + LEAST(359, floor(lon)::integer + 180)',
  sqlite: 'min(179, CAST(floor(lat) AS integer) + 90) * 360 + min(359, CAST(floor(lon) AS integer) + 180)',
};

export async function up(db: Kysely<unknown>, backend: Backend): Promise<void> {
  if (backend === 'postgres') {
    await sql`ALTER TABLE incidents ADD COLUMN cell integer`.execute(db);
    await sql`UPDATE incidents SET cell = ${sql.raw(CELL_SQL.postgres)}`.execute(db);
    await sql`ALTER TABLE incidents ALTER COLUMN cell SET NOT NULL`.execute(db);
    // Key columns for the seek and the order; the rest only read (INCLUDE keeps them out of the
    // key comparisons), so the map query is an index-only scan.
    await sql`CREATE INDEX incidents_map_idx ON incidents (cell, occurred_at)
      INCLUDE (lat, lon, type, id) WHERE retracted_at IS NULL`.execute(db);
  } else {
    // SQLite adds a NOT NULL column only with a default; every writer sets it.
    await sql`ALTER TABLE incidents ADD COLUMN cell integer NOT NULL DEFAULT -1`.execute(db);
    await sql`UPDATE incidents SET cell = ${sql.raw(CELL_SQL.sqlite)}`.execute(db);
    // retracted_at (always NULL here) is listed so that SQLite counts the index as covering.
    await db.schema
      .createIndex('incidents_map_idx')
      .on('incidents')
      .columns(['cell', 'occurred_at', 'lat', 'lon', 'type', 'id', 'retracted_at'])
      .where(sql.ref('retracted_at'), 'is', null)
      .execute();
  }
  await db.schema.dropIndex('incidents_country_time_idx').execute();
  await db.schema
    .createIndex('incidents_country_time_idx')
    .on('incidents')
    .columns(['country', 'occurred_at'])
    .execute();
}
