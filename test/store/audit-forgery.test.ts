import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash } from '../../src/domain/audit/chain.ts';
import { recordAudit, systemActor, verifyAuditLog } from '../../src/services/audit/audit.ts';
import { readAuditLog } from '../../src/store/audit/audit.ts';
import { backends, createTestContext, TEST_SECRET } from '../support/context.ts';

const run = promisify(execFile);
const WARDEN = path.resolve('bin/warden.js');

async function warden(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [WARDEN, ...args], {
      env: { ...process.env, WARDEN_LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: `${err.stdout}${err.stderr}` };
  }
}

/**
 * Issue 11: with write access to the database, a row inserted with a correctly computed hash, or
 * an entry rewritten and every later one re-hashed, passed `warden audit verify`. The attacker
 * here has the database (and drops the append-only triggers), not WARDEN_SECRET_KEY.
 */
describe.each(backends())('audit chain against a database thief on %s', (backend) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    ctx = await createTestContext(backend);
    for (let i = 1; i <= 8; i++)
      await recordAudit(ctx, ctx.store.db, systemActor, 'test.event', `thing:${i}`, { i });
    const db = ctx.config.database;
    env = {
      WARDEN_DATABASE_URL: db.kind === 'postgres' ? db.url : `sqlite:${db.file}`,
      WARDEN_SECRET_KEY: TEST_SECRET,
      WARDEN_DATA_DIR: ctx.config.dataDir,
    };
    if (backend === 'postgres') await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(ctx.store.db);
    else {
      await sql`DROP TRIGGER IF EXISTS audit_log_no_update`.execute(ctx.store.db);
      await sql`DROP TRIGGER IF EXISTS audit_log_no_delete`.execute(ctx.store.db);
    }
  });
  afterAll(() => ctx.dispose());

  const entries = async () => {
    const all = [];
    for await (const e of readAuditLog(ctx.store.db)) all.push(e);
    return all;
  };

  /** Rewrites entries from `from` on with correctly computed plain hashes (what a thief can compute). */
  async function rehashFrom(from: number, change: (seq: number) => Record<string, unknown>): Promise<void> {
    const all = await entries();
    let prev = all[from - 2]?.hash ?? '0'.repeat(64);
    await ctx.store.db.deleteFrom('audit_log').where('seq', '>=', from).execute();
    for (const e of all.slice(from - 1)) {
      const body = { ...e, summary: change(e.seq) };
      const hash = entryHash(e.seq, body, prev);
      await ctx.store.db
        .insertInto('audit_log')
        .values({
          seq: e.seq,
          at: e.at,
          actor: e.actor,
          action: e.action,
          target: e.target,
          summary: JSON.stringify(body.summary),
          request_id: e.requestId,
          prev_hash: prev,
          hash,
          hash_alg: 'sha256',
        })
        .execute();
      prev = hash;
    }
  }

  it('a row appended with a correctly computed hash fails verification (CLI exits 1)', async () => {
    const all = await entries();
    expect(all.every((e) => e.alg === 'hmac-sha256')).toBe(true);
    const original = all.map((e) => ({ ...e }));
    const last = all.at(-1)!;
    const forged = {
      seq: last.seq + 1,
      at: last.at,
      actor: 'user:nobody',
      action: 'user.create',
      target: null,
      summary: {},
      requestId: null,
    };
    for (const alg of ['sha256', 'hmac-sha256'] as const) {
      await ctx.store.db
        .insertInto('audit_log')
        .values({
          seq: forged.seq,
          at: forged.at,
          actor: forged.actor,
          action: forged.action,
          target: null,
          summary: '{}',
          request_id: null,
          prev_hash: last.hash,
          hash: entryHash(forged.seq, forged, last.hash),
          hash_alg: alg,
        })
        .execute();
      const r = await verifyAuditLog(ctx);
      expect(r.firstBreak).toEqual({ seq: 9, reason: alg === 'sha256' ? 'unkeyed_entry' : 'hash_mismatch' });
      const cli = await warden(['audit', 'verify'], env);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain('BROKEN at entry #9');
      await ctx.store.db.deleteFrom('audit_log').where('seq', '=', 9).execute();
    }
    expect((await entries()).map((e) => e.hash)).toEqual(original.map((e) => e.hash));
  });

  it('an entry rewritten and every later one re-hashed fails verification', async () => {
    const before = await entries();
    await rehashFrom(5, (seq) => ({ i: seq * 100 }));
    expect((await verifyAuditLog(ctx)).firstBreak).toEqual({ seq: 5, reason: 'unkeyed_entry' });
    expect((await warden(['audit', 'verify'], env)).code).toBe(1);
    // Put the real entries back for the next test.
    await ctx.store.db.deleteFrom('audit_log').where('seq', '>=', 5).execute();
    for (const e of before.slice(4)) {
      await ctx.store.db
        .insertInto('audit_log')
        .values({
          seq: e.seq,
          at: e.at,
          actor: e.actor,
          action: e.action,
          target: e.target,
          summary: JSON.stringify(e.summary),
          request_id: e.requestId,
          prev_hash: e.prevHash,
          hash: e.hash,
          hash_alg: e.alg,
        })
        .execute();
    }
    expect((await verifyAuditLog(ctx)).ok).toBe(true);
  });

  it('a checkpoint (CLI) finds the newest entries removed, which the chain alone cannot', async () => {
    const cp = await warden(['audit', 'checkpoint'], env);
    expect(cp.code).toBe(0);
    expect(cp.stdout).toContain('Checkpoint #8 written to');
    const files = readdirSync(path.join(ctx.config.dataDir, 'audit-checkpoints'));
    expect(files).toHaveLength(1);
    const file = path.join(ctx.config.dataDir, 'audit-checkpoints', files[0]!);
    const fine = await warden(['audit', 'verify', '--since-checkpoint', file], env);
    expect(fine.code).toBe(0);
    expect(fine.stdout).toContain('Holds checkpoint #8');

    await ctx.store.db.deleteFrom('audit_log').where('seq', '>=', 7).execute();
    expect((await warden(['audit', 'verify'], env)).code).toBe(0); // a shorter chain is still a chain
    const cut = await warden(['audit', 'verify', '--since-checkpoint', file], env);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toContain('BROKEN at entry #7');
    expect(cut.stdout).toContain('newest entries removed');
  });

  it('verify on a path with no database fails and creates nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'warden-nodb-'));
    try {
      const file = path.join(dir, 'nothing.db');
      const r = await warden(['audit', 'verify'], {
        WARDEN_DATABASE_URL: `sqlite:${file}`,
        WARDEN_DATA_DIR: dir,
        WARDEN_SECRET_KEY: TEST_SECRET,
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('No Warden database');
      expect(existsSync(file)).toBe(false);
      // Without a secret key either: refused, and no new key is made.
      const r2 = await warden(['audit', 'verify'], {
        WARDEN_DATABASE_URL: `sqlite:${file}`,
        WARDEN_DATA_DIR: dir,
        WARDEN_SECRET_KEY: '',
      });
      expect(r2.code).not.toBe(0);
      expect(existsSync(path.join(dir, 'secret.key'))).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
