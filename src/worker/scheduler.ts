import { randomUUID } from 'node:crypto';
import type { Context } from '../context.ts';
import { iso } from '../domain/clock.ts';
import { checkpointIfDue } from '../services/audit/checkpoints.ts';
import { escalateCheckins } from '../services/checkins/escalation.ts';
import { purgeCheckins } from '../services/checkins/retention.ts';
import { queuePresenceReminders } from '../services/enrollments/presence.ts';
import { purgeExpired } from '../services/privacy/retention.ts';
import { expandPendingNotices, queueDailyDigests } from '../services/subscriptions/notices.ts';
import { claimRun, finishRun } from '../store/scheduled-runs.ts';

/**
 * The in-process scheduler of `warden serve`. Every tick it expands pending advisory notices;
 * once per UTC day, at or after the configured hour, it runs the daily jobs. Each daily job is
 * claimed by inserting (job, day) into scheduled_runs, so when several processes share a store
 * exactly one runs it; a claim left unfinished (crash, error) is taken over after an hour.
 * Time comes from ctx.clock, so tests move a manual clock and call tick().
 */

export interface DailyJob {
  readonly name: string;
  /** `day` is the UTC day of the run (YYYY-MM-DD); returns counts for the run record. */
  run(ctx: Context, day: string): Promise<unknown>;
}

export interface TickJob {
  readonly name: string;
  run(ctx: Context): Promise<unknown>;
}

const previousDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10);

export const DAILY_JOBS: readonly DailyJob[] = [
  { name: 'retention.purge', run: (ctx) => purgeExpired(ctx) },
  { name: 'retention.checkins', run: (ctx) => purgeCheckins(ctx) },
  { name: 'presence.remind', run: async (ctx) => ({ asked: await queuePresenceReminders(ctx) }) },
  // Run after midnight, it covers the whole previous UTC day.
  { name: 'notices.digest', run: (ctx, day) => queueDailyDigests(ctx, previousDay(day)) },
];

export const TICK_JOBS: readonly TickJob[] = [
  { name: 'notices.expand', run: async (ctx) => ({ queued: await expandPendingNotices(ctx) }) },
  // Writes one when WARDEN_AUDIT_CHECKPOINT_MINUTES have passed and the chain has grown.
  { name: 'audit.checkpoint', run: (ctx) => checkpointIfDue(ctx) },
  // Asks people without a check-in answer again, and tells emergency contacts after the deadline.
  { name: 'checkins.escalate', run: (ctx) => escalateCheckins(ctx) },
];

export interface SchedulerOptions {
  readonly daily?: readonly DailyJob[];
  readonly ticks?: readonly TickJob[];
  readonly hourUtc?: number;
  readonly tickMs?: number;
  /** Names this process in scheduled_runs. */
  readonly owner?: string;
}

export interface Scheduler {
  /** Starts ticking (first tick at once); timers are unref'd, so they never keep the process up. */
  start(): void;
  /** Stops ticking and waits for a tick in progress. */
  stop(): Promise<void>;
  /** One tick now; resolves with the daily jobs this process ran. */
  tick(): Promise<string[]>;
}

const STALE_MS = 60 * 60_000;

export function createScheduler(ctx: Context, opts: SchedulerOptions = {}): Scheduler {
  const daily = opts.daily ?? DAILY_JOBS;
  const ticks = opts.ticks ?? TICK_JOBS;
  const hour = opts.hourUtc ?? ctx.config.scheduler.hourUtc;
  const tickMs = opts.tickMs ?? ctx.config.scheduler.tickSeconds * 1000;
  const owner = opts.owner ?? `${process.pid}:${randomUUID().slice(0, 8)}`;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<string[]> | null = null;
  let stopped = true;

  async function runDaily(): Promise<string[]> {
    const now = ctx.clock.now();
    if (now.getUTCHours() < hour) return [];
    const day = iso(now).slice(0, 10);
    const ran: string[] = [];
    for (const job of daily) {
      const at = iso(ctx.clock.now());
      const stale = iso(new Date(ctx.clock.now().getTime() - STALE_MS));
      if (!(await claimRun(ctx.store.db, job.name, day, owner, at, stale))) continue;
      try {
        const result = await job.run(ctx, day);
        await finishRun(ctx.store.db, job.name, day, owner, iso(ctx.clock.now()), result ?? {});
        ctx.log.info({ job: job.name, day, result }, 'scheduled job done');
        ran.push(job.name);
      } catch (err) {
        // Left claimed and unfinished: another tick takes it over once the claim is stale.
        ctx.log.error({ err, job: job.name, day }, 'scheduled job failed');
      }
    }
    return ran;
  }

  async function tickOnce(): Promise<string[]> {
    for (const job of ticks) {
      try {
        await job.run(ctx);
      } catch (err) {
        ctx.log.error({ err, job: job.name }, 'scheduled tick job failed');
      }
    }
    try {
      return await runDaily();
    } catch (err) {
      ctx.log.error({ err }, 'daily jobs could not be claimed');
      return [];
    }
  }

  const tick = (): Promise<string[]> => {
    // Ticks never overlap: a tick asked for while one runs shares its result.
    running ??= tickOnce().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void tick().finally(() => schedule(tickMs));
    }, ms);
    timer.unref();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
    tick,
  };
}
