import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Context } from '../../context.ts';
import { GENESIS_HASH, type VerifyResult } from '../../domain/audit/chain.ts';
import { type Checkpoint, readCheckpoint, signCheckpoint } from '../../domain/audit/checkpoint.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { auditHead } from '../../store/audit/audit.ts';
import { verifyAuditLog } from './audit.ts';

/** Where checkpoints are written: data/audit-checkpoints/ (outside the database on purpose). */
export const checkpointDir = (ctx: Context): string => path.join(ctx.config.dataDir, 'audit-checkpoints');

/** The chain's head now, signed; not written anywhere (GET /api/audit/checkpoint). */
export async function currentCheckpoint(ctx: Context): Promise<Checkpoint> {
  const head = await auditHead(ctx.store.db);
  return signCheckpoint(
    ctx.keys.auditCheckpoint,
    head ?? { seq: 0, hash: GENESIS_HASH },
    iso(ctx.clock.now()),
  );
}

const fileName = (c: Checkpoint): string =>
  `${c.at.replace(/[:.]/g, '-')}-seq${String(c.seq).padStart(10, '0')}.json`;

/**
 * Writes a checkpoint of the head now: a file under the data directory (mode 0600) and an info
 * log line carrying the same signed JSON, so a log shipper keeps a copy beyond this machine.
 */
export async function writeCheckpoint(ctx: Context): Promise<{ checkpoint: Checkpoint; file: string }> {
  const checkpoint = await currentCheckpoint(ctx);
  const dir = checkpointDir(ctx);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, fileName(checkpoint));
  writeFileSync(file, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o600 });
  ctx.log.info({ auditCheckpoint: checkpoint, file }, 'audit checkpoint');
  return { checkpoint, file };
}

/**
 * The newest readable checkpoint in the directory. File names start with the time taken, so the
 * newest is found from the names alone, and only it (or the next, if it is damaged) is read: the
 * scheduler asks every tick, and a year of hourly checkpoints is 8,760 files.
 */
export function latestCheckpoint(ctx: Context): Checkpoint | null {
  let names: string[];
  try {
    names = readdirSync(checkpointDir(ctx)).filter((n) => n.endsWith('.json'));
  } catch {
    return null;
  }
  names.sort().reverse();
  for (const n of names) {
    try {
      return readCheckpoint(
        ctx.keys.auditCheckpoint,
        JSON.parse(readFileSync(path.join(checkpointDir(ctx), n), 'utf8')),
      );
    } catch {
      // Not ours or damaged: verification from it would say so; look at the one before.
    }
  }
  return null;
}

/**
 * For the scheduler: writes a checkpoint when the newest one is older than the interval and the
 * chain has grown since. Returns the one written, or null.
 */
export async function checkpointIfDue(ctx: Context): Promise<Checkpoint | null> {
  const minutes = ctx.config.auditCheckpointMinutes;
  if (minutes === 0) return null;
  const last = latestCheckpoint(ctx);
  const head = await auditHead(ctx.store.db);
  if (last && (head?.seq ?? 0) === last.seq) return null;
  if (last && ctx.clock.now().getTime() - Date.parse(last.at) < minutes * 60_000) return null;
  return (await writeCheckpoint(ctx)).checkpoint;
}

/** Reads and checks a checkpoint file, then verifies the chain against it. */
export async function verifySinceCheckpoint(
  ctx: Context,
  file: string,
): Promise<VerifyResult & { checkpoint: Checkpoint }> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new WardenError(
      'validation_failed',
      `Cannot read the checkpoint ${file}: ${(err as Error).message}`,
      {
        field: 'checkpoint',
      },
    );
  }
  const checkpoint = readCheckpoint(ctx.keys.auditCheckpoint, raw);
  return { ...(await verifyAuditLog(ctx, checkpoint)), checkpoint };
}
