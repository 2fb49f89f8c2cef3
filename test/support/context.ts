import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../../src/config.ts';
import { type Context, createContext } from '../../src/context.ts';
import { type Clock, manualClock } from '../../src/domain/clock.ts';
import type { Backend } from '../../src/store/db.ts';
import { testLogger } from './log.ts';

export type { Backend };
export const backends = (): Backend[] => inject('backends');

export const TEST_SECRET = 'test-secret-key-that-is-long-enough-0123456789';

export interface TestDatabase {
  readonly database: Config['database'];
  drop(): Promise<void>;
}

/** A brand-new database for one test file on one backend; dropped afterwards. */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'warden-test-'));
    return {
      database: { kind: 'sqlite', file: path.join(dir, 'warden.db') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = inject('pgUrl');
  const name = `warden_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function testConfig(database: Config['database'], env: Record<string, string> = {}): Config {
  // A data directory of its own (audit checkpoints land there), never the checkout's ./data.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'warden-data-'));
  const base = loadConfig({
    WARDEN_SECRET_KEY: TEST_SECRET,
    WARDEN_LOG_LEVEL: 'silent',
    WARDEN_DATA_DIR: dataDir,
    ...env,
  });
  const databaseUrl = database.kind === 'postgres' ? database.url : `sqlite:${database.file}`;
  return Object.freeze({ ...base, database, databaseUrl });
}

export interface TestContext extends Context {
  readonly clock: ReturnType<typeof manualClock>;
}

/** A migrated context on a fresh database, with a clock the test controls. */
export async function createTestContext(
  backend: Backend,
  opts: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestContext & { dispose(): Promise<void> }> {
  const tdb = await createTestDatabase(backend);
  const clock = manualClock(new Date());
  const ctx = await createContext(testConfig(tdb.database, opts.env), { clock, log: testLogger() });
  return {
    ...ctx,
    clock,
    async dispose() {
      await ctx.close();
      await tdb.drop();
      rmSync(ctx.config.dataDir, { recursive: true, force: true });
    },
  };
}
