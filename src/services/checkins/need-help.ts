import type { Context } from '../../context.ts';
import type { Principal } from '../../domain/auth/principal.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { findAlert } from '../../store/alerts/alerts.ts';
import {
  findCase,
  findPostSettings,
  handleCase,
  listCases,
  type NeedHelpCaseTable,
} from '../../store/checkins/checkins.ts';
import type { DeliveryRow } from '../../store/deliveries/deliveries.ts';
import { findPost } from '../../store/posts/posts.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';
import type { RenderedDelivery } from '../deliveries/render.ts';
import { type PersonView, peopleViews } from './people.ts';

/*
 * The need-help queue: one case per person and alert while open, for the issuing post. The duty
 * email says that someone needs help and where to look; it names nobody (mail crosses servers we
 * do not control): the console shows who, to staff in scope, audited.
 */

export async function renderNeedHelp(
  ctx: Context,
  row: DeliveryRow,
): Promise<RenderedDelivery | { drop: string }> {
  const { case: caseId } = JSON.parse(row.params) as { case: string };
  const c = await findCase(ctx.store.db, caseId);
  if (!c) return { drop: 'case removed' };
  const settings = await findPostSettings(ctx.store.db, c.post_id);
  if (!settings?.duty_email) return { drop: 'post has no duty address' };
  const [alert, post] = [await findAlert(ctx.store.db, c.alert_id), await findPost(ctx.store.db, c.post_id)];
  const headline = alert?.content.texts.en?.headline ?? c.alert_id;
  const url = `${ctx.config.publicUrl.replace(/\/+$/, '')}/console/checkins/need-help`;
  return {
    to: settings.duty_email,
    subject: `NEED HELP: a person answered "I need help" (${headline})`,
    text: [
      `Someone reached by the alert "${headline}" of ${post?.name ?? 'your post'} answered "I need help" at ${c.opened_at}.`,
      '',
      `Open the need-help queue to see who and how to reach them: ${url}`,
    ].join('\n'),
  };
}

export interface CaseView {
  readonly id: string;
  readonly alertId: string;
  readonly postId: string;
  readonly openedAt: string;
  readonly handledAt: string | null;
  readonly handledBy: string | null;
  readonly handledNote: string | null;
  /** Null when the person has been erased since. */
  readonly person: PersonView | null;
}

/** The posts and countries a principal acts on; null = everywhere. */
export function scopeFilter(p: Principal): { postIds: string[] | null; countries: string[] | null } {
  if (p.role === 'admin' || p.role === 'crisis_manager') return { postIds: null, countries: null };
  return {
    postIds: p.scope.filter((s) => s.startsWith('post:')).map((s) => s.slice(5)),
    countries: p.scope.filter((s) => s.startsWith('country:')).map((s) => s.slice(8)),
  };
}

/** Cases in the caller's scope with the people behind them: an audited read of personal data. */
export async function needHelpQueue(
  ctx: Context,
  actor: Actor,
  principal: Principal,
  f: { alertId?: string; open?: boolean },
): Promise<CaseView[]> {
  const cases = await listCases(ctx.store.db, { ...f, ...scopeFilter(principal) });
  return ctx.store.db.transaction().execute(async (trx) => {
    const people = await peopleViews(
      ctx,
      trx,
      cases.map((c) => ({ alertId: c.alert_id, personId: c.person_id })),
    );
    await recordAudit(ctx, trx, actor, 'checkin.need_help_read', f.alertId ? `alert:${f.alertId}` : null, {
      cases: cases.length,
    });
    return cases.map((c) => caseView(c, people.get(`${c.alert_id}:${c.person_id}`) ?? null));
  });
}

const caseView = (c: NeedHelpCaseTable, person: PersonView | null): CaseView => ({
  id: c.id,
  alertId: c.alert_id,
  postId: c.post_id,
  openedAt: c.opened_at,
  handledAt: c.handled_at,
  handledBy: c.handled_by,
  handledNote: c.handled_note,
  person,
});

export async function requireCase(ctx: Context, id: string): Promise<NeedHelpCaseTable> {
  const c = await findCase(ctx.store.db, id);
  if (!c) throw new WardenError('not_found', 'Case not found.', { id });
  return c;
}

/** Staff mark a case handled: who, when, and a note. Handling it twice is a conflict. */
export async function markHandled(
  ctx: Context,
  actor: Actor,
  id: string,
  note: string | null,
): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const at = iso(ctx.clock.now());
    if (!(await handleCase(trx, id, at, actorId(actor), note?.trim() || null))) {
      throw new WardenError('conflict', 'This case was already handled.', { id });
    }
    await recordAudit(ctx, trx, actor, 'checkin.need_help_handled', `need_help:${id}`, {});
  });
}
