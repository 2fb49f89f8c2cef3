import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, systemActor, verifyAuditLog } from '../../src/services/audit/audit.ts';
import { backends, createTestContext, TEST_SECRET } from '../support/context.ts';

const run = promisify(execFile);
const WARDEN = path.resolve('bin/warden.js');

describe.each(backends())('audit log on %s', (backend) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;

  beforeAll(async () => {
    ctx = await createTestContext(backend);
    for (let i = 1; i <= 6; i++)
      await recordAudit(ctx, ctx.store.db, systemActor, 'test.event', `thing:${i}`, { i });
  });
  afterAll(() => ctx.dispose());

  /** The attacker of these tests has database access and removes the append-only guard first. */
  async function dropGuards(): Promise<void> {
    if (backend === 'postgres') {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(ctx.store.db);
    } else {
      await sql`DROP TRIGGER IF EXISTS audit_log_no_update`.execute(ctx.store.db);
      await sql`DROP TRIGGER IF EXISTS audit_log_no_delete`.execute(ctx.store.db);
    }
  }

  async function cliVerify(): Promise<{ code: number; stdout: string }> {
    const url =
      ctx.config.database.kind === 'postgres'
        ? ctx.config.database.url
        : `sqlite:${ctx.config.database.file}`;
    try {
      const { stdout } = await run(process.execPath, [WARDEN, 'audit', 'verify'], {
        env: {
          ...process.env,
          WARDEN_DATABASE_URL: url,
          WARDEN_SECRET_KEY: TEST_SECRET,
          WARDEN_LOG_LEVEL: 'silent',
        },
      });
      return { code: 0, stdout };
    } catch (e) {
      const err = e as { code: number; stdout: string };
      return { code: err.code, stdout: err.stdout };
    }
  }

  it('chains entries and verifies them, through the service and the CLI', async () => {
    const r = await verifyAuditLog(ctx);
    expect(r.ok).toBe(true);
    expect(r.checked).toBe(6);
    const cli = await cliVerify();
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('Audit log intact: 6 entries');
  });

  it('refuses updates and deletes from the application', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x' WHERE seq = 1`.execute(ctx.store.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(ctx.store.db)).rejects.toThrow(
      /append-only/,
    );
    expect((await verifyAuditLog(ctx)).ok).toBe(true);
  });

  it('detects an altered, a reordered and a deleted entry (CLI exits 1 naming the entry)', async () => {
    await dropGuards();
    // Altered: entry 5's summary changed in place.
    await sql`UPDATE audit_log SET summary = '{"i":500}' WHERE seq = 5`.execute(ctx.store.db);
    let cli = await cliVerify();
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('BROKEN at entry #5');
    expect((await verifyAuditLog(ctx)).firstBreak).toEqual({ seq: 5, reason: 'hash_mismatch' });

    // Reordered: entries 3 and 4 swap places (contents move, seq numbers stay).
    const rows = await ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', 'in', [3, 4])
      .orderBy('seq')
      .execute();
    const [r3, r4] = [rows[0]!, rows[1]!];
    await ctx.store.db.deleteFrom('audit_log').where('seq', 'in', [3, 4]).execute();
    await ctx.store.db
      .insertInto('audit_log')
      .values([
        { ...r4, seq: 3 },
        { ...r3, seq: 4 },
      ])
      .execute();
    expect((await verifyAuditLog(ctx)).firstBreak).toEqual({ seq: 3, reason: 'prev_hash_mismatch' });

    // Deleted: entry 2 removed.
    await ctx.store.db.deleteFrom('audit_log').where('seq', '=', 2).execute();
    expect((await verifyAuditLog(ctx)).firstBreak).toEqual({
      seq: 3,
      reason: 'sequence_gap',
      expectedSeq: 2,
    });
    cli = await cliVerify();
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('BROKEN at entry #3');
  });
});
