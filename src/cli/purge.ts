import { cliActor } from '../services/audit/audit.ts';
import { type PurgeCounts, purgeExpired } from '../services/privacy/retention.ts';
import { out, withContext } from './common.ts';

const LABELS: Record<keyof PurgeCounts, string> = {
  trips: 'trips ended beyond retention',
  enrollmentsUnverified: 'enrollments never verified',
  enrollmentsEnded: 'enrollments with no trip left',
  contactsUnverified: 'unverified contacts of verified travellers',
  subscriptionsUnverified: 'subscriptions never verified',
  messages: 'old deliveries (routine and security retention)',
  links: 'expired manage links',
  sessions: 'expired traveller sessions',
  throttle: 'old throttle windows',
  notices: 'old advisory notices',
};

/** `warden purge [--dry-run]`: applies the retention rules now and prints what went (counts only). */
export async function purgeCommand(opts: { dryRun?: boolean }): Promise<void> {
  await withContext(async (ctx) => {
    const counts = await purgeExpired(ctx, { dryRun: opts.dryRun === true, actor: cliActor });
    const r = ctx.config.retention;
    out(
      `${opts.dryRun ? 'Dry run: nothing was deleted. Would delete' : 'Deleted'} (trips ${r.tripDays} days after they end, ` +
        `unverified after ${r.unverifiedDays} days, messages after ${r.messageDays} days):`,
    );
    const width = Math.max(...Object.values(counts).map((n) => String(n).length));
    for (const [key, label] of Object.entries(LABELS) as Array<[keyof PurgeCounts, string]>) {
      out(`  ${String(counts[key]).padStart(width)}  ${label}`);
    }
  });
}
