import type { Context } from '../../context.ts';
import { type AlertEvent, type ApprovalPolicy, applyAlertEvent } from '../../domain/alerts/lifecycle.ts';
import type { AlertRecord } from '../../domain/alerts/record.ts';
import type { AlertContent, AlertState } from '../../domain/alerts/types.ts';
import { validateAlertWindow } from '../../domain/alerts/window.ts';
import { WardenError } from '../../domain/errors.ts';
import { listAlerts, updateAlert } from '../../store/alerts/alerts.ts';
import type { Db } from '../../store/db.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';
import { checkedContent, countriesTouched, requireAlert, requireWriter } from './compose.ts';

/*
 * The alert lifecycle as use cases: each reads the alert, lets the domain's applyAlertEvent decide
 * (two-person rule, content hash, expiry), and writes the result only if the alert is still in the
 * state it was read in (a concurrent approval or send loses with `conflict`), with its audit entry.
 */

export const alertPolicy = (ctx: Context): ApprovalPolicy => ({
  severeOnly: ctx.config.alerts.approvalSevereOnly,
  ttlHours: ctx.config.alerts.approvalTtlHours,
});

/** Writes `next` over `prev` (same id) if `prev` is still current; audits `action`. */
export async function saveTransition(
  ctx: Context,
  db: Db,
  actor: Actor,
  prev: AlertRecord,
  next: AlertRecord,
  action: string,
  summary: Record<string, unknown> = {},
): Promise<AlertRecord> {
  if (!(await updateAlert(db, next, prev.state))) {
    throw new WardenError('conflict', 'The alert changed meanwhile; reload it.', { id: prev.id });
  }
  await recordAudit(ctx, db, actor, action, `alert:${prev.id}`, {
    from: prev.state,
    to: next.state,
    contentHash: next.contentHash,
    ...summary,
  });
  return next;
}

export function transition(ctx: Context, a: AlertRecord, e: AlertEvent): AlertRecord {
  return { ...a, ...applyAlertEvent(a, e, ctx.clock.now(), alertPolicy(ctx)) };
}

/** Replaces a draft's content (its type and references stay: they say what it follows). */
export async function editAlert(
  ctx: Context,
  actor: Actor,
  id: string,
  content: AlertContent,
): Promise<AlertRecord> {
  const stored = await requireAlert(ctx.store.db, id);
  requireWriter(actor, { id: stored.content.postId, country: stored.country });
  const fixed = { ...content, msgType: stored.content.msgType, references: stored.content.references };
  // Outside the transaction: the issuing post is resolved through the coverage index.
  const checked = await checkedContent(ctx, actor, ctx.store.db, fixed);
  return ctx.store.db.transaction().execute(async (trx) => {
    const a = await requireAlert(trx, id);
    const next = transition(ctx, a, { type: 'edit', by: actorId(actor), content: checked.content });
    return saveTransition(
      ctx,
      trx,
      actor,
      a,
      { ...next, country: checked.post.country, countries: countriesTouched(checked.content.area) },
      'alert.edit',
    );
  });
}

type Step = 'submit' | 'withdraw' | 'reject';

/** submit (to the queue, or straight to approved when no second person is needed), withdraw, reject. */
export async function stepAlert(ctx: Context, actor: Actor, id: string, step: Step): Promise<AlertRecord> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const a = await requireAlert(trx, id);
    requireWriter(actor, { id: a.content.postId, country: a.country });
    if (step === 'submit') validateAlertWindow(a.content.cap, ctx.clock.now());
    const next = transition(ctx, a, { type: step, by: actorId(actor) });
    return saveTransition(ctx, trx, actor, a, next, `alert.${step}`);
  });
}

/** The second person approves exactly the content (and area) they reviewed: its hash. */
export async function approveAlert(
  ctx: Context,
  actor: Actor,
  id: string,
  reviewedHash: string,
): Promise<AlertRecord> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const a = await requireAlert(trx, id);
    requireWriter(actor, { id: a.content.postId, country: a.country });
    const next = transition(ctx, a, { type: 'approve', by: actorId(actor), reviewedHash });
    return saveTransition(ctx, trx, actor, a, next, 'alert.approve');
  });
}

export interface AlertView extends AlertRecord {
  /** A pending or approved alert whose window closed: it must be submitted again. */
  readonly approvalExpired: boolean;
}

export const presentAlert = (a: AlertRecord, now: Date): AlertView => ({
  ...a,
  approvalExpired:
    (a.state === 'pending_approval' || a.state === 'approved') &&
    a.approvalExpiresAt !== null &&
    Date.parse(a.approvalExpiresAt) <= now.getTime(),
});

export async function getAlert(ctx: Context, id: string): Promise<AlertView> {
  return presentAlert(await requireAlert(ctx.store.db, id), ctx.clock.now());
}

export async function listAlertViews(
  ctx: Context,
  f: { states?: AlertState[]; country?: string; postId?: string; rootId?: string },
): Promise<AlertView[]> {
  const now = ctx.clock.now();
  return (await listAlerts(ctx.store.db, f)).map((a) => presentAlert(a, now));
}
