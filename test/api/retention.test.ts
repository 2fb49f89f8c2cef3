import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.ts';
import { signToken } from '../../src/domain/privacy/index.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { openSession, requestManageLink, updateMine } from '../../src/services/enrollments/self.ts';
import { MANAGE } from '../../src/services/enrollments/verification.ts';
import { type PurgeCounts, purgeExpired } from '../../src/services/privacy/retention.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { type ApiHarness, createApiHarness } from '../support/api.ts';
import { backends, TEST_SECRET } from '../support/context.ts';
import { dayFrom, subscriber, traveller } from './subscriptions-fixtures.ts';

const DAY = 86_400_000;
const run = promisify(execFile);

const ZERO: PurgeCounts = {
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

describe.each(backends())('retention purge on %s', (backend) => {
  let h: ApiHarness;
  let ctx: Context;
  let t0: Date;
  const ids: Record<string, string> = {};
  const count = async (table: 'enrollments' | 'enrollment_trips' | 'subscriptions' | 'deliveries') =>
    (await ctx.store.db.selectFrom(table).select('id').execute()).length;

  beforeAll(async () => {
    h = await createApiHarness(backend, { WARDEN_ENROLL_PER_IP_PER_10MIN: '1000' });
    ctx = h.ctx;
    t0 = ctx.clock.now();
    const trip = (arrival: number, departure: number | null) => ({
      country: 'IQ',
      wholeCountry: true,
      arrival: dayFrom(ctx, arrival),
      ...(departure !== null && { departure: dayFrom(ctx, departure) }),
    });
    // A traveller whose only trip ends in 5 days: both go 30 days after it ends.
    ids.ended = (await traveller(ctx, { trips: [trip(1, 5)] })).personId;
    // Two trips: the first goes, the person and the second stay.
    const two = await traveller(ctx, { trips: [trip(1, 5), trip(6, 100)] });
    ids.two = two.personId;
    // A phone added and never verified, while the email is: it goes after 7 days.
    await updateMine(ctx, cliActor, two.personId, { phone: '+44 7911 123456' });
    // A resident (no departure) is never purged for time.
    ids.resident = (await traveller(ctx, { trips: [trip(0, null)] })).personId;
    // Never verified: goes after 7 days.
    ids.unverified = (await traveller(ctx, { trips: [trip(1, 60)], verified: false })).personId;
    ids.subUnverified = (
      await subscriber(ctx, { countries: ['IQ'], frequency: 'daily', verified: false })
    ).id;
    ids.subVerified = (await subscriber(ctx, { countries: ['IQ'], frequency: 'daily' })).id;
    // A used manage link and its session: both expire within the hour.
    await requestManageLink(
      ctx,
      cliActor,
      (await traveller(ctx, { trips: [trip(0, null)] })).email,
      '10.9.9.9',
    );
    // Looked up after the answer, by the delivery worker.
    await drainDeliveries(ctx);
    const link = await ctx.store.db.selectFrom('enrollment_links').selectAll().executeTakeFirstOrThrow();
    const exp = Math.floor(Date.parse(link.expires_at) / 1000);
    await openSession(
      ctx,
      cliActor,
      signToken(ctx.privacy.tokens, { sub: link.person_id, purpose: MANAGE, jti: link.jti, exp }),
    );
    // A notice already expanded.
    await ctx.store.db
      .insertInto('advisory_notices')
      .values({
        id: 'notice-1',
        kind: 'advisory',
        subject_id: 'edition-1',
        country: 'IQ',
        details: '{}',
        created_at: t0.toISOString(),
        expanding_at: null,
        expanded_at: t0.toISOString(),
        recipients: 0,
      })
      .execute();
    // 33 days later, a new unverified traveller and subscriber: too young to go.
    h.ctx.clock.set(new Date(t0.getTime() + 33 * DAY));
    ids.young = (await traveller(ctx, { trips: [trip(1, 10)], verified: false })).personId;
    ids.subYoung = (await subscriber(ctx, { countries: ['JO'], frequency: 'immediate', verified: false })).id;
  });
  afterAll(() => h.dispose());

  it('keeps a trip until retention.tripDays after its departure', async () => {
    const at = (days: number) =>
      purgeExpired(ctx, { now: new Date(t0.getTime() + days * DAY), dryRun: true });
    expect((await at(35)).trips).toBe(0);
    expect((await at(36)).trips).toBe(2);
    expect((await at(36)).enrollmentsEnded).toBe(1);
  });

  it('a dry run counts exactly what the purge then deletes, in batches, audited as counts only', async () => {
    h.ctx.clock.set(new Date(t0.getTime() + 36 * DAY));
    const messagesBefore = await ctx.store.db
      .selectFrom('deliveries')
      .select('id')
      .where('created_at', '<', new Date(t0.getTime() + 6 * DAY).toISOString())
      .execute();
    const throttleBefore = await ctx.store.db.selectFrom('enrollment_throttle').select('key').execute();
    const dry = await purgeExpired(ctx, { dryRun: true });
    expect(dry).toEqual({
      messages: messagesBefore.length,
      links: 1,
      sessions: 1,
      // Throttle windows of the first day; the day-33 ones are over a day old too.
      throttle: throttleBefore.length,
      notices: 1,
      trips: 2,
      contactsUnverified: 1,
      enrollmentsUnverified: 1,
      enrollmentsEnded: 1,
      subscriptionsUnverified: 1,
    });
    expect(messagesBefore.length).toBeGreaterThan(5);
    const enrollmentsBefore = await count('enrollments');
    const auditBefore = (await ctx.store.db.selectFrom('audit_log').select('seq').execute()).length;

    const done = await purgeExpired(ctx, { batchSize: 2, actor: cliActor });
    expect(done).toEqual(dry);

    // Exactly these went.
    const people = (await ctx.store.db.selectFrom('enrollments').select('id').execute()).map((r) => r.id);
    expect(people).not.toContain(ids.ended);
    expect(people).not.toContain(ids.unverified);
    expect(people).toEqual(expect.arrayContaining([ids.two, ids.resident, ids.young]));
    expect(people).toHaveLength(enrollmentsBefore - 2);
    for (const person of [ids.ended!, ids.unverified!]) {
      const key = await ctx.store.db
        .selectFrom('enrollment_keys')
        .select('person_id')
        .where('person_id', '=', person)
        .execute();
      expect(key, 'the wrapped key is gone (crypto-shredded)').toEqual([]);
      const contacts = await ctx.store.db
        .selectFrom('enrollment_contacts')
        .select('id')
        .where('person_id', '=', person)
        .execute();
      expect(contacts).toEqual([]);
    }
    const trips = await ctx.store.db
      .selectFrom('enrollment_trips')
      .select(['departure'])
      .where('person_id', '=', ids.two!)
      .execute();
    expect(trips.map((t) => t.departure)).toEqual([dayFrom({ ...ctx, clock: { now: () => t0 } }, 100)]);
    const contacts = await ctx.store.db
      .selectFrom('enrollment_contacts')
      .select('kind')
      .where('person_id', '=', ids.two!)
      .execute();
    expect(contacts.map((c) => c.kind)).toEqual(['email']);
    const subs = (await ctx.store.db.selectFrom('subscriptions').select('id').execute()).map((r) => r.id);
    expect(subs.sort()).toEqual([ids.subVerified, ids.subYoung].sort());
    expect(await ctx.store.db.selectFrom('enrollment_sessions').select('id').execute()).toEqual([]);

    // Audited: batches in their own transactions, then the totals; counts, never who.
    const entries = await ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', auditBefore)
      .orderBy('seq')
      .execute();
    const batches = entries.filter((e) => e.action === 'retention.purge_batch');
    expect(batches.length).toBeGreaterThan(4);
    const last = entries[entries.length - 1]!;
    expect(last.action).toBe('retention.purge');
    expect(last.actor).toBe('cli');
    expect(last.target).toBeNull();
    expect(JSON.parse(last.summary)).toMatchObject({
      ...dry,
      retention: { tripDays: 30, unverifiedDays: 7 },
    });
    const text = entries.map((e) => `${e.target} ${e.summary}`).join('\n');
    expect(text).not.toMatch(/@example\.org|Test Traveller|\+4479/);
    expect(text).not.toContain(ids.ended!);

    // Nothing is left to do.
    expect(await purgeExpired(ctx, { dryRun: true })).toEqual(ZERO);
  });

  it('`warden purge --dry-run` prints the counts and deletes nothing; `warden purge` deletes', async () => {
    // Data made 40 days ago by the clock, so the CLI (real time) finds it expired.
    h.ctx.clock.set(new Date(Date.now() - 40 * DAY));
    await traveller(ctx, {
      trips: [{ country: 'JO', wholeCountry: true, arrival: dayFrom(ctx, 1) }],
      verified: false,
    });
    await traveller(ctx, {
      trips: [{ country: 'JO', wholeCountry: true, arrival: dayFrom(ctx, 1), departure: dayFrom(ctx, 3) }],
    });
    h.ctx.clock.set(new Date());
    const expected = await purgeExpired(ctx, { dryRun: true });
    expect(expected.enrollmentsUnverified).toBe(1);
    expect(expected.enrollmentsEnded).toBe(1);
    const database = ctx.config.database;
    const env = {
      ...process.env,
      WARDEN_DATABASE_URL: database.kind === 'postgres' ? database.url : `sqlite:${database.file}`,
      WARDEN_SECRET_KEY: TEST_SECRET,
      WARDEN_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'warden-purge-')),
      WARDEN_LOG_LEVEL: 'silent',
    };
    const warden = path.resolve('bin/warden.js');
    const before = await count('enrollments');
    const dry = await run(process.execPath, [warden, 'purge', '--dry-run'], { env });
    expect(dry.stdout).toContain('Dry run: nothing was deleted');
    expect(dry.stdout).toMatch(/\b1 {2}enrollments never verified/);
    expect(dry.stdout).toMatch(/\b1 {2}enrollments with no trip left/);
    expect(await count('enrollments')).toBe(before);
    const real = await run(process.execPath, [warden, 'purge'], { env });
    expect(real.stdout).toMatch(/^Deleted/);
    expect(real.stdout).toMatch(/\b1 {2}enrollments never verified/);
    expect(await count('enrollments')).toBe(before - 2);
  }, 60_000);
});
