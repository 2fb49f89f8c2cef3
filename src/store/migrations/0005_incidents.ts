import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

export async function up(db: Kysely<unknown>, backend: Backend): Promise<void> {
  // Small link rows keyed by their primary key: on SQLite, store them in that key's B-tree
  // (WITHOUT ROWID) rather than in a rowid table plus a key index, halving the writes per row and
  // the reads per lookup. PostgreSQL tables are heaps either way.
  const clustered = <T extends CreateTableBuilder<string, never>>(t: T): T =>
    backend === 'sqlite' ? (t.modifyEnd(sql`without rowid`) as T) : t;

  await db.schema
    .createTable('actors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('actor_relations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_actor_id', 'text', (c) => c.notNull().references('actors.id'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('to_actor_id', 'text', (c) => c.notNull().references('actors.id'))
    .addColumn('confidence', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('actor_relations_edge_key', ['from_actor_id', 'relation', 'to_actor_id'])
    .execute();
  await db.schema.createIndex('actor_relations_to_idx').on('actor_relations').column('to_actor_id').execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('time_precision', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('geo_precision', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('sub_type', 'text', (c) => c.notNull())
    .addColumn('target_text', 'text')
    .addColumn('target_post_id', 'text', (c) => c.references('posts.id'))
    .addColumn('fatalities', 'integer')
    .addColumn('injuries', 'integer')
    .addColumn('sources', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('notes', 'text')
    .addColumn('source', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('retracted_at', 'text')
    .addColumn('retracted_by', 'text')
    .addColumn('retraction_reason', 'text')
    .execute();
  // Re-imports match on the source's event id; several NULLs are allowed on both stores.
  await db.schema.createIndex('incidents_event_id_key').unique().on('incidents').column('event_id').execute();
  // The map query: countries touching the viewport, a time range, then the box, all in the index,
  // and the id so that the newest N are found without reading a row. Partial: retracted incidents
  // are not shown by default, and leave it (retracted_at, always NULL here, is listed so that
  // SQLite counts the index as covering).
  await db.schema
    .createIndex('incidents_country_time_idx')
    .on('incidents')
    .columns(['country', 'occurred_at', 'lat', 'lon', 'id', 'retracted_at'])
    .where(sql.ref('retracted_at'), 'is', null)
    .execute();
  await db.schema.createIndex('incidents_time_idx').on('incidents').column('occurred_at').execute();
  await db.schema
    .createIndex('incidents_region_time_idx')
    .on('incidents')
    .columns(['region', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('incident_actors')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('actor_id', 'text', (c) => c.notNull().references('actors.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('confidence', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_actors_pkey', ['incident_id', 'actor_id', 'role'])
    .$call(clustered)
    .execute();
  await db.schema
    .createIndex('incident_actors_actor_idx')
    .on('incident_actors')
    .columns(['actor_id', 'incident_id'])
    .execute();

  await db.schema
    .createTable('incident_posts')
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('distance_km', 'double precision', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('retracted_at', 'text')
    .addPrimaryKeyConstraint('incident_posts_pkey', ['post_id', 'incident_id'])
    .$call(clustered)
    .execute();
  await db.schema
    .createIndex('incident_posts_incident_idx')
    .on('incident_posts')
    .column('incident_id')
    .execute();
  await db.schema
    .createIndex('incident_posts_post_time_idx')
    .on('incident_posts')
    .columns(['post_id', 'occurred_at'])
    .execute();
  await db.schema.createIndex('incident_posts_time_idx').on('incident_posts').column('occurred_at').execute();

  await db.schema
    .createTable('incident_versions')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('replaced_at', 'text', (c) => c.notNull())
    .addColumn('replaced_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_versions_pkey', ['incident_id', 'version'])
    .execute();

  await db.schema
    .createTable('incident_link_posts')
    .addColumn('post_id', 'text', (c) => c.primaryKey().references('posts.id'))
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('radius_km', 'double precision', (c) => c.notNull())
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .execute();
}
