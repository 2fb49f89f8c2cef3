import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { alertsWithCheckinsBefore, deleteCheckinData } from '../../store/checkins/escalations.ts';
import { recordAudit, systemActor } from '../audit/audit.ts';

/**
 * Check-in answers are evidence of the same kind as the alert's deliveries, so they are kept as
 * long (retention.securityMessageDays after the alert was sent) and then go whole, alert by
 * alert: answers, the latest answer, need-help cases, escalation state, the reply code. One
 * transaction and one audit entry (counts only) per batch of alerts.
 */
export async function purgeCheckins(
  ctx: Context,
  now: Date = ctx.clock.now(),
): Promise<{ alerts: number; answers: number }> {
  const before = iso(new Date(now.getTime() - ctx.config.retention.securityMessageDays * 86_400_000));
  const totals = { alerts: 0, answers: 0 };
  for (;;) {
    const done = await ctx.store.db.transaction().execute(async (trx) => {
      const ids = await alertsWithCheckinsBefore(trx, before, 200);
      if (ids.length === 0) return 0;
      const answers = await deleteCheckinData(trx, ids);
      await recordAudit(ctx, trx, systemActor, 'retention.checkins', null, { alerts: ids.length, answers });
      totals.answers += answers;
      return ids.length;
    });
    totals.alerts += done;
    if (done < 200) return totals;
  }
}
