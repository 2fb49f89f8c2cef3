import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.ts';
import { syntheticEnrollmentCsv } from '../../src/demo/enrollments.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { createOrganisation } from '../../src/services/organisations/organisations.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { backends, createTestDatabase, TEST_SECRET, testConfig } from '../support/context.ts';
import { testLogger } from '../support/log.ts';

const WARDEN = path.resolve('bin/warden.js');

/**
 * Issue 11: an import killed mid-way left a history row saying 0 while 6,000 people were
 * committed. Killed with SIGKILL (no cleanup runs), the row must count what the store holds.
 */
describe.each(backends())('a killed enrollment import on %s', (backend) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: Store;
  let dir: string;
  let orgId: string;

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    const ctx = await createContext(testConfig(db.database), { log: testLogger() });
    orgId = (await createOrganisation(ctx, cliActor, { name: 'Killed Co' })).id;
    await ctx.close();
    store = openStore(db.database);
    dir = mkdtempSync(path.join(tmpdir(), 'warden-killed-'));
  });
  afterAll(async () => {
    await store.destroy();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const committed = async () =>
    Number(
      (
        await store.db
          .selectFrom('enrollments')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('organisation_id', '=', orgId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('leaves a history row that counts every person committed before the kill', async () => {
    const file = path.join(dir, 'people.csv');
    writeFileSync(file, [...syntheticEnrollmentCsv({ rows: 60_000, today: new Date() })].join(''));
    const child = spawn(process.execPath, [WARDEN, 'import', 'enrollments', file, '--org', orgId], {
      env: {
        ...process.env,
        WARDEN_DATABASE_URL: db.database.kind === 'postgres' ? db.database.url : `sqlite:${db.database.file}`,
        WARDEN_DATA_DIR: dir,
        WARDEN_SECRET_KEY: TEST_SECRET,
        WARDEN_LOG_LEVEL: 'silent',
        WARDEN_IMPORT_WORKERS: '0',
      },
      stdio: 'ignore',
    });
    const exited = once(child, 'exit');
    const deadline = Date.now() + 60_000;
    while ((await committed()) === 0 && child.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    const people = await committed();
    expect(people).toBeGreaterThan(0);
    const row = await store.db
      .selectFrom('organisation_imports')
      .selectAll()
      .where('organisation_id', '=', orgId)
      .executeTakeFirstOrThrow();
    // Killed before it finished (the file has ~32,000 people): still "running" until taken over.
    expect(row.status).toBe('running');
    expect(Number(row.created) + Number(row.updated)).toBe(people);
    expect(Number(row.persons)).toBeGreaterThanOrEqual(people);
  });
});
