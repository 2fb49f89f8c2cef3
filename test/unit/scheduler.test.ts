import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { Context } from '../../src/context.ts';
import { listRuns } from '../../src/store/scheduled-runs.ts';
import { createScheduler, type DailyJob } from '../../src/worker/scheduler.ts';
import { backends, createTestContext, type TestContext } from '../support/context.ts';

const HOUR = 3_600_000;

/** A job that counts its runs (per day) and can be told to fail. */
function countingJob(name: string) {
  const runs: string[] = [];
  let failing = false;
  const job: DailyJob = {
    name,
    async run(_ctx: Context, day: string) {
      if (failing) throw new Error('boom');
      runs.push(day);
      return { ok: 1 };
    },
  };
  return { job, runs, fail: (f: boolean) => (failing = f) };
}

describe('retention, presence and scheduler settings', () => {
  it('have defaults and list every bad value at once', () => {
    const c = loadConfig({});
    expect(c.retention).toEqual({
      tripDays: 30,
      unverifiedDays: 7,
      messageDays: 30,
      securityMessageDays: 400,
    });
    expect(c.presence).toEqual({ confirmDays: 90, graceDays: 14 });
    expect(c.scheduler).toEqual({ enabled: true, hourUtc: 3, tickSeconds: 60 });
    expect(loadConfig({ WARDEN_SCHEDULER: 'off', WARDEN_SCHEDULE_HOUR_UTC: '23' }).scheduler).toMatchObject({
      enabled: false,
      hourUtc: 23,
    });
    let err: unknown;
    try {
      loadConfig({
        WARDEN_RETENTION_TRIP_DAYS: '0',
        WARDEN_RETENTION_UNVERIFIED_DAYS: 'week',
        WARDEN_PRESENCE_CONFIRM_DAYS: '-1',
        WARDEN_SCHEDULE_HOUR_UTC: '24',
        WARDEN_SCHEDULER: 'maybe',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const name of [
      'WARDEN_RETENTION_TRIP_DAYS',
      'WARDEN_RETENTION_UNVERIFIED_DAYS',
      'WARDEN_PRESENCE_CONFIRM_DAYS',
      'WARDEN_SCHEDULE_HOUR_UTC',
      'WARDEN_SCHEDULER',
    ])
      expect(problems).toContain(name);
  });
});

describe.each(backends())('scheduler on %s', (backend) => {
  let ctx: TestContext & { dispose(): Promise<void> };
  beforeAll(async () => {
    ctx = await createTestContext(backend);
  });
  afterAll(() => ctx.dispose());

  it('runs each daily job once per UTC day, at or after the hour, however many processes tick', async () => {
    ctx.clock.set(new Date('2031-03-10T02:59:00Z'));
    const a = countingJob('test.a');
    const ticks: number[] = [];
    const tickJob = { name: 'tick', run: async () => ticks.push(1) };
    const one = createScheduler(ctx, { daily: [a.job], ticks: [tickJob], hourUtc: 3, owner: 'one' });
    const two = createScheduler(ctx, { daily: [a.job], ticks: [tickJob], hourUtc: 3, owner: 'two' });

    expect(await one.tick()).toEqual([]);
    expect(a.runs).toEqual([]);
    expect(ticks).toHaveLength(1);

    ctx.clock.set(new Date('2031-03-10T03:00:00Z'));
    const [r1, r2] = await Promise.all([one.tick(), two.tick()]);
    expect([...r1, ...r2]).toEqual(['test.a']);
    expect(a.runs).toEqual(['2031-03-10']);
    ctx.clock.set(new Date('2031-03-10T23:59:00Z'));
    await one.tick();
    await two.tick();
    expect(a.runs).toEqual(['2031-03-10']);
    const [run] = await listRuns(ctx.store.db, '2031-03-10');
    expect(run).toMatchObject({ job: 'test.a', finished_at: '2031-03-10T03:00:00.000Z', result: '{"ok":1}' });

    // A process started late in the day still runs the day's jobs; the next day runs again.
    ctx.clock.set(new Date('2031-03-11T17:00:00Z'));
    expect(await two.tick()).toEqual(['test.a']);
    expect(a.runs).toEqual(['2031-03-10', '2031-03-11']);
    expect(ticks.length).toBeGreaterThanOrEqual(6);
  });

  it('a failed run is retried by a later tick once its claim is stale', async () => {
    ctx.clock.set(new Date('2031-04-01T05:00:00Z'));
    const b = countingJob('test.b');
    const s = createScheduler(ctx, { daily: [b.job], ticks: [], hourUtc: 3, owner: 'x' });
    b.fail(true);
    expect(await s.tick()).toEqual([]);
    b.fail(false);
    ctx.clock.advance(30 * 60_000);
    expect(await s.tick()).toEqual([]);
    ctx.clock.advance(HOUR);
    expect(await s.tick()).toEqual(['test.b']);
    expect(b.runs).toEqual(['2031-04-01']);
  });

  it('runs the real daily jobs (purge, reminders, digest) and records their counts', async () => {
    ctx.clock.set(new Date('2031-05-01T04:00:00Z'));
    const s = createScheduler(ctx, { owner: 'real' });
    expect(await s.tick()).toEqual([
      'retention.purge',
      'retention.checkins',
      'presence.remind',
      'notices.digest',
    ]);
    const runs = await listRuns(ctx.store.db, '2031-05-01');
    expect(runs.map((r) => r.job)).toEqual([
      'notices.digest',
      'presence.remind',
      'retention.checkins',
      'retention.purge',
    ]);
    expect(JSON.parse(runs[3]!.result!)).toMatchObject({ trips: 0, enrollmentsUnverified: 0 });
    const audit = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('action', '=', 'retention.purge')
      .execute();
    expect(audit).toEqual([{ action: 'retention.purge', actor: 'system' }]);
  });

  it('ticks on unref’d timers once started, and stops cleanly', async () => {
    ctx.clock.set(new Date('2031-06-01T01:00:00Z'));
    let n = 0;
    const s = createScheduler(ctx, {
      daily: [],
      ticks: [{ name: 'count', run: async () => n++ }],
      tickMs: 10,
    });
    s.start();
    await new Promise((r) => setTimeout(r, 100));
    await s.stop();
    const seen = n;
    expect(seen).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(n).toBe(seen);
  });
});
