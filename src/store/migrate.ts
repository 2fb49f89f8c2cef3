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
import * as m0011 from './migrations/0011_audit_keyed.ts';
import * as m0012 from './migrations/0012_seal_webhook.ts';
import * as m0013 from './migrations/0013_contact_owner_tombstones.ts';
import * as m0014 from './migrations/0014_deliveries.ts';
import * as m0016 from './migrations/0016_alerts.ts';
import * as m0018 from './migrations/0018_post_rosters.ts';
import * as m0019 from './migrations/0019_checkins.ts';
import * as m0020 from './migrations/0020_password_change_sessions.ts';
import * as m0022 from './migrations/0022_targeting_changes.ts';
import * as m0023 from './migrations/0023_targeting_stop_all.ts';
import type { Database } from './schema.ts';

/**
 * What a migration may need beyond the database: the secret key, for migrations that seal or sign
 * existing rows (0011 keys the audit chain). Absent in tests that migrate bare stores; a migration
 * that needs it and finds rows to convert refuses to run without it.
 */
export interface MigrationSecrets {
  readonly secretKey?: string;
}

type BackendMigration = {
  up(db: Kysely<unknown>, backend: Backend, secrets: MigrationSecrets): Promise<void>;
};

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
  '0011_audit_keyed': m0011,
  '0012_seal_webhook': m0012,
  '0013_contact_owner_tombstones': m0013,
  '0014_deliveries': m0014,
  '0016_alerts': m0016,
  '0018_post_rosters': m0018,
  '0019_checkins': m0019,
  '0020_password_change_sessions': m0020,
  '0022_targeting_changes': m0022,
  '0023_targeting_stop_all': m0023,
};

function migrator(typed: Kysely<Database>, backend: Backend, secrets: MigrationSecrets): Migrator {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS))
    migrations[name] = { up: (d) => m.up(d, backend, secrets) };
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
  secrets: MigrationSecrets = {},
): Promise<MigrationResultSet> {
  const result = await migrator(typed, backend, secrets).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** Migrates up to and including `name` (tests of a migration start from the schema before it). */
export async function migrateTo(
  typed: Kysely<Database>,
  backend: Backend,
  name: keyof typeof MIGRATIONS & string,
  secrets: MigrationSecrets = {},
): Promise<MigrationResultSet> {
  const result = await migrator(typed, backend, secrets).migrateTo(name);
  if (result.error) throw result.error;
  return result;
}

/** Names of migrations not yet applied (an empty database has them all pending). */
export async function pendingMigrations(typed: Kysely<Database>, backend: Backend): Promise<string[]> {
  const all = await migrator(typed, backend, {}).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
