import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { newId } from '../../domain/ids.ts';
import { type Db, flushErased } from '../../store/db.ts';
import {
  type Cutoffs,
  countEndedTrips,
  countHousekeeping,
  countIdleEnrollments,
  countStrayContacts,
  countUnverifiedEnrollments,
  countUnverifiedSubscriptions,
  deleteContacts,
  deleteExpiredAccess,
  deleteMessages,
  deleteOldNotices,
  deleteOldRuns,
  deleteTrips,
  endedTripIds,
  eraseEnrollments,
  idleEnrollmentIds,
  oldMessageIds,
  strayContactIds,
  unverifiedEnrollmentIds,
  unverifiedSubscriptionIds,
} from '../../store/privacy/retention.ts';
import { deleteSubscriptions } from '../../store/subscriptions/subscriptions.ts';
import { type Actor, recordAudit, systemActor } from '../audit/audit.ts';

/*
 * Retention (docs/privacy.md). What goes, in this order, so a dry run counts exactly what a purge
 * with the same `now` deletes:
 *   messages           deliveries older than retention.messageDays (security ones: securityMessageDays),
 *                      whatever their state
 *   links, sessions    expired manage links and traveller sessions; throttle windows over a day old
 *   notices            expanded advisory notices older than retention.messageDays
 *   trips              trips whose departure is more than retention.tripDays ago
 *   contactsUnverified never-verified contacts of people who keep a verified one
 *   enrollmentsUnverified  people with no verified contact, enrolled retention.unverifiedDays ago
 *   enrollmentsEnded   verified people with no trip left, untouched for retention.tripDays
 *   subscriptionsUnverified  subscriptions never verified, untouched for retention.unverifiedDays
 * People and subscriptions are crypto-shredded (their wrapped key goes with every row). Each batch
 * is its own transaction with an audit entry of counts; the run ends with one entry of totals.
 */

export interface PurgeCounts {
  messages: number;
  links: number;
  sessions: number;
  throttle: number;
  notices: number;
  trips: number;
  contactsUnverified: number;
  enrollmentsUnverified: number;
  enrollmentsEnded: number;
  subscriptionsUnverified: number;
}

export interface PurgeOptions {
  readonly now?: Date;
  readonly dryRun?: boolean;
  /** Rows per transaction (default 500). */
  readonly batchSize?: number;
  readonly actor?: Actor;
}

const DAY = 86_400_000;
const RUN_HISTORY_DAYS = 90;

export function cutoffsAt(ctx: Context, now: Date): Cutoffs {
  const r = ctx.config.retention;
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  return {
    tripDay: iso(ago(r.tripDays)).slice(0, 10),
    idleBefore: iso(ago(r.tripDays)),
    unverifiedBefore: iso(ago(r.unverifiedDays)),
    messagesBefore: iso(ago(r.messageDays)),
    securityMessagesBefore: iso(ago(r.securityMessageDays)),
    now: iso(now),
    throttleBefore: iso(ago(1)),
  };
}

async function countAll(db: Db, c: Cutoffs): Promise<PurgeCounts> {
  const h = await countHousekeeping(db, c);
  return {
    messages: h.messages ?? 0,
    links: h.links ?? 0,
    sessions: h.sessions ?? 0,
    throttle: h.throttle ?? 0,
    notices: h.notices ?? 0,
    trips: await countEndedTrips(db, c),
    contactsUnverified: await countStrayContacts(db, c),
    enrollmentsUnverified: await countUnverifiedEnrollments(db, c),
    enrollmentsEnded: await countIdleEnrollments(db, c),
    subscriptionsUnverified: await countUnverifiedSubscriptions(db, c),
  };
}

/**
 * Deletes what retention no longer allows (or, with dryRun, only counts it). Returns counts by
 * kind; the audit trail gets counts only, never who.
 */
export async function purgeExpired(ctx: Context, opts: PurgeOptions = {}): Promise<PurgeCounts> {
  const now = opts.now ?? ctx.clock.now();
  const c = cutoffsAt(ctx, now);
  if (opts.dryRun) return countAll(ctx.store.db, c);
  const actor = opts.actor ?? systemActor;
  const size = opts.batchSize ?? 500;
  const run = newId();
  const totals: PurgeCounts = {
    messages: 0,
    links: 0,
    sessions: 0,
    throttle: 0,
    notices: 0,
    trips: 0,
    contactsUnverified: 0,
    enrollmentsUnverified: 0,
    enrollmentsEnded: 0,
    subscriptionsUnverified: 0,
  };
  const audited = (trx: Db, counts: Partial<PurgeCounts>) =>
    recordAudit(ctx, trx, actor, 'retention.purge_batch', null, { run, ...counts });

  /** Selects a batch, deletes it with its audit entry in one transaction, until none is left. */
  async function batches(
    kind: keyof PurgeCounts,
    select: (db: Db) => Promise<string[]>,
    remove: (db: Db, ids: string[]) => Promise<number>,
  ) {
    for (;;) {
      const done = await ctx.store.db.transaction().execute(async (trx) => {
        const ids = await select(trx);
        if (ids.length === 0) return 0;
        const deleted = await remove(trx, ids);
        await audited(trx, { [kind]: deleted });
        return ids.length;
      });
      if (done === 0) return;
      // A person counts once, whatever rows went with them.
      totals[kind] += done;
      if (done < size) return;
    }
  }

  await batches('messages', (db) => oldMessageIds(db, c, size), deleteMessages);
  await ctx.store.db.transaction().execute(async (trx) => {
    const access = await deleteExpiredAccess(trx, c);
    const notices = await deleteOldNotices(trx, c);
    await deleteOldRuns(trx, iso(new Date(now.getTime() - RUN_HISTORY_DAYS * DAY)).slice(0, 10));
    Object.assign(totals, {
      links: access.links,
      sessions: access.sessions,
      throttle: access.throttle,
      notices,
    });
    if (Object.values(access).some((v) => v > 0) || notices > 0) await audited(trx, { ...access, notices });
  });
  await batches('trips', (db) => endedTripIds(db, c, size), deleteTrips);
  await batches('contactsUnverified', (db) => strayContactIds(db, c, size), deleteContacts);
  await batches(
    'enrollmentsUnverified',
    (db) => unverifiedEnrollmentIds(db, c, size),
    async (db, ids) => {
      await eraseEnrollments(db, ids);
      return ids.length;
    },
  );
  await batches(
    'enrollmentsEnded',
    (db) => idleEnrollmentIds(db, c, size),
    async (db, ids) => {
      await eraseEnrollments(db, ids);
      return ids.length;
    },
  );
  await batches(
    'subscriptionsUnverified',
    (db) => unverifiedSubscriptionIds(db, c, size),
    async (db, ids) => (await deleteSubscriptions(db, ids)).subscriptions,
  );
  await ctx.store.db.transaction().execute((trx) =>
    recordAudit(ctx, trx, actor, 'retention.purge', null, {
      run,
      ...totals,
      retention: ctx.config.retention,
    }),
  );
  await flushErased(ctx.store);
  return totals;
}
