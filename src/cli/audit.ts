import { existsSync } from 'node:fs';
import { loadConfig, resolveSecretKey } from '../config.ts';
import { type Context, createContext } from '../context.ts';
import type { ChainBreak, VerifyResult } from '../domain/audit/chain.ts';
import type { Checkpoint } from '../domain/audit/checkpoint.ts';
import { verifyAuditLog } from '../services/audit/audit.ts';
import { verifySinceCheckpoint, writeCheckpoint } from '../services/audit/checkpoints.ts';
import { auditLogExists } from '../store/audit/audit.ts';
import { pendingMigrations } from '../store/migrate.ts';
import { out } from './common.ts';

class NoDatabase extends Error {}

/**
 * A context on an existing, migrated Warden database with the key it was written with. Verifying
 * must never create what it checks: no new database file, no new secret key, no migration.
 */
async function existingContext(): Promise<Context> {
  const config = resolveSecretKey(loadConfig(), { create: false });
  const where = config.database.kind === 'sqlite' ? config.database.file : 'the PostgreSQL database';
  if (config.database.kind === 'sqlite' && !existsSync(config.database.file)) {
    throw new NoDatabase(`No Warden database at ${config.database.file}.`);
  }
  const ctx = await createContext(config, { migrate: false });
  try {
    if (!(await auditLogExists(ctx.store.db))) throw new NoDatabase(`${where} has no Warden audit log.`);
    const pending = await pendingMigrations(ctx.store.db, ctx.store.backend);
    if (pending.length > 0) {
      throw new NoDatabase(`${where} needs migrations first (warden migrate): ${pending.join(', ')}.`);
    }
    return ctx;
  } catch (err) {
    await ctx.close();
    throw err;
  }
}

async function withExisting(fn: (ctx: Context) => Promise<void>): Promise<void> {
  let ctx: Context;
  try {
    ctx = await existingContext();
  } catch (err) {
    if (!(err instanceof NoDatabase)) throw err;
    out(`Cannot verify: ${err.message}`);
    process.exitCode = 1;
    return;
  }
  try {
    await fn(ctx);
  } finally {
    await ctx.close();
  }
}

function why(b: ChainBreak): string {
  switch (b.reason) {
    case 'hash_mismatch':
      return 'its content does not match its keyed hash (altered, or written without the secret key)';
    case 'prev_hash_mismatch':
      return 'it does not follow from the entry before it (altered, reordered or a predecessor removed)';
    case 'sequence_gap':
      return `expected #${b.expectedSeq} here (entries removed)`;
    case 'unkeyed_entry':
      return 'it is not keyed with the secret key where the chain must be (inserted or rewritten)';
    case 'checkpoint_mismatch':
      return 'it differs from the checkpoint (the chain was rewritten since)';
    case 'truncated':
      return `the chain ends before #${b.expectedSeq}, which the checkpoint saw (newest entries removed)`;
  }
}

function report(result: VerifyResult, checkpoint?: Checkpoint): void {
  if (result.ok) {
    out(`Audit log intact: ${result.checked} entries.`);
    if (checkpoint) out(`Holds checkpoint #${checkpoint.seq} of ${checkpoint.at}.`);
    if (result.head)
      out(`Head: #${result.head.seq} ${result.head.hash} (keep a checkpoint elsewhere to detect truncation)`);
    return;
  }
  const b = result.firstBreak!;
  out(`Audit log BROKEN at entry #${b.seq}: ${why(b)}. ${result.checked} entries before it verified.`);
  process.exitCode = 1;
}

export async function auditVerifyCommand(opts: { sinceCheckpoint?: string } = {}): Promise<void> {
  await withExisting(async (ctx) => {
    if (!opts.sinceCheckpoint) return report(await verifyAuditLog(ctx));
    const { checkpoint, ...result } = await verifySinceCheckpoint(ctx, opts.sinceCheckpoint);
    report(result, checkpoint);
  });
}

export async function auditCheckpointCommand(): Promise<void> {
  await withExisting(async (ctx) => {
    const { checkpoint, file } = await writeCheckpoint(ctx);
    out(`Checkpoint #${checkpoint.seq} written to ${file}:`);
    out(JSON.stringify(checkpoint));
  });
}
