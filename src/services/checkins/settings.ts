import type { Context } from '../../context.ts';
import { DEFAULT_ESCALATION, type EscalationSettings } from '../../domain/checkins/escalation.ts';
import { iso } from '../../domain/clock.ts';
import { findPostSettings, savePostSettings } from '../../store/checkins/checkins.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';
import { requirePost } from '../posts/posts.ts';

export interface PostCheckinSettings {
  /** Where need-help emails go (an office address, not a person's). */
  readonly dutyEmail: string | null;
  /** Default escalation of the post's check-ins (copied to an alert when it first asks). */
  readonly escalation: EscalationSettings;
}

export async function postCheckinSettings(ctx: Context, postId: string): Promise<PostCheckinSettings> {
  await requirePost(ctx.store.db, postId);
  const row = await findPostSettings(ctx.store.db, postId);
  return row
    ? { dutyEmail: row.duty_email, escalation: JSON.parse(row.escalation) as EscalationSettings }
    : { dutyEmail: null, escalation: DEFAULT_ESCALATION };
}

export async function savePostCheckinSettings(
  ctx: Context,
  actor: Actor,
  postId: string,
  s: PostCheckinSettings,
): Promise<PostCheckinSettings> {
  await requirePost(ctx.store.db, postId);
  const dutyEmail = s.dutyEmail?.trim().toLowerCase() || null;
  await ctx.store.db.transaction().execute(async (trx) => {
    await savePostSettings(trx, {
      post_id: postId,
      duty_email: dutyEmail,
      escalation: JSON.stringify(s.escalation),
      updated_at: iso(ctx.clock.now()),
    });
    await recordAudit(ctx, trx, actor, 'checkin.settings', `post:${postId}`, {
      dutyEmail: dutyEmail !== null,
      escalation: s.escalation,
    });
  });
  return { dutyEmail, escalation: s.escalation };
}
