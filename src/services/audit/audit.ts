import type { Context } from '../../context.ts';
import type { AuditEntry } from '../../domain/audit/chain.ts';
import { type VerifyResult, verifyChain } from '../../domain/audit/chain.ts';
import type { Principal } from '../../domain/auth/principal.ts';
import { iso } from '../../domain/clock.ts';
import { appendAudit, readAuditLog } from '../../store/audit/audit.ts';
import type { Db } from '../../store/db.ts';

/** Who did something and in which request: threaded from the route (or CLI) to the audit entry. */
export interface Actor {
  readonly principal: Principal | null;
  readonly requestId: string | null;
  /** Used when there is no principal: 'cli', 'system', 'anonymous'. */
  readonly label?: string;
}

export const cliActor: Actor = { principal: null, requestId: null, label: 'cli' };
export const systemActor: Actor = { principal: null, requestId: null, label: 'system' };

export const actorId = (a: Actor): string =>
  a.principal ? `user:${a.principal.userId}` : (a.label ?? 'anonymous');

/** Appends one entry in the caller's transaction, so the entry exists if and only if the change does. */
export function recordAudit(
  ctx: Context,
  db: Db,
  actor: Actor,
  action: string,
  target: string | null,
  summary: Record<string, unknown> = {},
): Promise<AuditEntry> {
  return appendAudit(db, ctx.store.backend, ctx.keys.audit, {
    at: iso(ctx.clock.now()),
    actor: actorId(actor),
    action,
    target,
    summary,
    requestId: actor.requestId,
  });
}

/** Re-computes the chain; with a checkpoint, also finds entries removed since it was taken. */
export function verifyAuditLog(ctx: Context, anchor?: { seq: number; hash: string }): Promise<VerifyResult> {
  return verifyChain(readAuditLog(ctx.store.db), { key: ctx.keys.audit, ...(anchor && { anchor }) });
}
