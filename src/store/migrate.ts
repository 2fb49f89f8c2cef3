import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import type { Backend } from './db.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_tasks_revisions.ts';
import * as m0003 from './migrations/0003_posts.ts';
import * as m0004 from './migrations/0004_advisories.ts';
import * as m0005 from './migrations/0005_incidents.ts';
import * as m0006 from './migrations/0006_enrollments.ts';
import * as m0007 from './migrations/0007_incidents_perf.ts';
import * as m0008 from './migrations/0008_retention_subscriptions.ts';
import * as m0009 from './migrations/0009_organisations.ts';
import * as m0010 from './migrations/0010_enrollment_write_cost.ts';
import type { Database } from './schema.ts';

type BackendMigration = { up(db: Kysely<unknown>, backend: Backend): Promise<void> };

// Listed explicitly (not read from disk) so the order is reviewable and bundling cannot lose one.
const MIGRATIONS: Record<string, BackendMigration> = {
  '0001_foundation': m0001,
  '0002_tasks_revisions': m0002,
  '0003_posts': m0003,
  '0004_advisories': m0004,
  '0005_incidents': m0005,
  '0006_enrollments': m0006,
  '0007_incidents_perf': m0007,
  '0008_retention_subscriptions': m0008,
  '0009_organisations': m0009,
  '0010_enrollment_write_cost': m0010,
};

function migrator(typed: Kysely<Database>, backend: Backend): Migrator {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) migrations[name] = { up: (d) => m.up(d, backend) };
  // Migrations describe the schema as it was then, so they see an untyped database.
  const db = typed as unknown as Kysely<unknown>;
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'warden_migrations',
    migrationLockTableName: 'warden_migrations_lock',
  });
}

export async function migrateToLatest(
  typed: Kysely<Database>,
  backend: Backend,
): Promise<MigrationResultSet> {
  const result = await migrator(typed, backend).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** Migrates up to and including `name` (tests of a migration start from the schema before it). */
export async function migrateTo(
  typed: Kysely<Database>,
  backend: Backend,
  name: keyof typeof MIGRATIONS & string,
): Promise<MigrationResultSet> {
  const result = await migrator(typed, backend).migrateTo(name);
  if (result.error) throw result.error;
  return result;
}
