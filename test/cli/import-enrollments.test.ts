import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { createOrganisation } from '../../src/services/organisations/organisations.ts';
import { backends, createTestDatabase, TEST_SECRET, testConfig } from '../support/context.ts';
import { testLogger } from '../support/log.ts';

const run = promisify(execFile);
const WARDEN = path.resolve('bin/warden.js');
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(backends())('warden import enrollments on %s', (backend) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  let dir: string;
  let orgId: string;

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    const ctx = await createContext(testConfig(db.database), { log: testLogger() });
    orgId = (await createOrganisation(ctx, cliActor, { name: 'Tigris Engineering' })).id;
    await ctx.close();
    dir = mkdtempSync(path.join(tmpdir(), 'warden-cli-enrollments-'));
    env = {
      ...(process.env as Record<string, string>),
      WARDEN_DATABASE_URL: db.database.kind === 'postgres' ? db.database.url : `sqlite:${db.database.file}`,
      WARDEN_DATA_DIR: dir,
      WARDEN_SECRET_KEY: TEST_SECRET,
      WARDEN_LOG_LEVEL: 'warn',
    };
  });
  afterAll(() => db.drop());

  /** Runs `warden …`; resolves with its exit code and output whether it succeeded or not. */
  const warden = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    run(process.execPath, [WARDEN, ...args], { env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('imports a file, lists every bad row in the error file, and is idempotent', async () => {
    const file = path.join(dir, 'people.csv');
    writeFileSync(
      file,
      [
        'external_id,name,email,country,arrival,departure',
        `E1,Ahmed Ali,ahmed@tigris.example,IQ,${day(2)},${day(9)}`,
        `E1,Ahmed Ali,,KW,${day(10)},`,
        `E2,Emma Jones,emma@tigris.example,IQ,${day(2)},`,
        `E3,"Bad, Dates",e3@tigris.example,IQ,${day(9)},${day(2)}`,
      ].join('\n'),
    );
    const errors = path.join(dir, 'errors.csv');
    const first = await warden([
      'import',
      'enrollments',
      file,
      '--org',
      'tigris engineering',
      '--errors',
      errors,
    ]);
    // Rows were refused: the exit code says so, the good rows are in.
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('4 rows (3 people)');
    expect(first.stdout).toContain('2 created, 0 updated, 0 unchanged, 1 people refused');
    expect(first.stdout).toContain('row 5 E3 [departure]: The departure is before the arrival');
    expect(readFileSync(errors, 'utf8').trim().split('\n')).toEqual([
      'row,line,external_id,field,code,reason',
      '5,5,E3,departure,invalid_dates,The departure is before the arrival',
    ]);

    const again = await warden(['import', 'enrollments', file, '--org', orgId]);
    expect(again.stdout).toContain('0 created, 0 updated, 2 unchanged, 1 people refused');
  });

  it('escapes formula cells in the error file (issue 11)', async () => {
    const file = path.join(dir, 'formulas.csv');
    writeFileSync(
      file,
      [
        'external_id,name,email,country,arrival,departure',
        `"=HYPERLINK(""https://evil.example/"",""click"")",Mallory,m1@tigris.example,IQ,${day(9)},${day(2)}`,
        `@SUM(A1:A9),Mallory,m2@tigris.example,IQ,${day(9)},${day(2)}`,
        `+1-2,Mallory,m3@tigris.example,IQ,${day(9)},${day(2)}`,
      ].join('\n'),
    );
    const errors = path.join(dir, 'formula-errors.csv');
    await warden(['import', 'enrollments', file, '--org', orgId, '--errors', errors]);
    const lines = readFileSync(errors, 'utf8').trim().split('\n').slice(1);
    expect(lines.map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      `2,2,"'=HYPERLINK(""https://evil.example/""`,
      "3,3,'@SUM(A1:A9)",
      "4,4,'+1-2",
    ]);
    for (const l of lines) expect(l).not.toMatch(/(^|,)[=+@-]/);
  });

  it('says which organisation or columns are wrong', async () => {
    const file = path.join(dir, 'wrong.csv');
    writeFileSync(file, 'id,full_name\n1,x\n');
    const noOrg = await warden(['import', 'enrollments', file, '--org', 'Nobody Ltd']);
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain('No organisation with the id or name "Nobody Ltd"');
    const bad = await warden(['import', 'enrollments', file, '--org', orgId]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('missing columns: external_id, name, country, arrival');
    expect(bad.stderr).toContain('unknown columns: id, full_name');
  });
});
