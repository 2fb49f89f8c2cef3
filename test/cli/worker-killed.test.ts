import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../../src/channels/fakes/index.ts';
import { createContext } from '../../src/context.ts';
import { PRIORITY } from '../../src/domain/deliveries/model.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { enqueueDeliveries } from '../../src/services/deliveries/enqueue.ts';
import { subscribe } from '../../src/services/subscriptions/subscriptions.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { backends, createTestDatabase, TEST_SECRET, testConfig } from '../support/context.ts';
import { testLogger } from '../support/log.ts';

const WARDEN = path.resolve('bin/warden.js');
const N = 300;

/**
 * Issue 12, reliability at small size (bench/ has no full-size script yet): `warden worker`
 * processes killed with SIGKILL mid-fan-out. Nothing is lost; a message that reached the sink
 * twice carries the same key both times and is marked possible_duplicate; the work resumes
 * after the lease.
 */
describe.each(backends())('delivery workers killed mid-send on %s', (backend) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: Store;
  let dir: string;
  let sink: SmtpSink;

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    sink = await startSmtpSink({ parse: false });
    const config = testConfig(db.database, { WARDEN_ENROLL_PER_IP_PER_10MIN: '100000' });
    const ctx = await createContext(config, { log: testLogger() });
    for (let i = 0; i < N; i++)
      await subscribe(
        ctx,
        cliActor,
        { email: `s${i}@example.org`, countries: ['IQ'], frequency: 'immediate', language: 'en' },
        '127.0.0.1',
      );
    // One more message each, so a run is long enough to be killed in the middle.
    const subs = await ctx.store.db.selectFrom('subscriptions').select('id').execute();
    await enqueueDeliveries(
      ctx,
      ctx.store.db,
      subs.map((s) => ({
        template: 'subscription_manage_link',
        channel: 'email' as const,
        to: { subscriptionId: s.id },
        priority: PRIORITY.interactive,
      })),
    );
    await ctx.close();
    store = openStore(db.database);
    dir = mkdtempSync(path.join(tmpdir(), 'warden-worker-killed-'));
  }, 120_000);
  afterAll(async () => {
    await store.destroy();
    await sink.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (): ChildProcess =>
    spawn(process.execPath, [WARDEN, 'worker', '--report', '1'], {
      env: {
        ...process.env,
        WARDEN_DATABASE_URL: db.database.kind === 'postgres' ? db.database.url : `sqlite:${db.database.file}`,
        WARDEN_DATA_DIR: dir,
        WARDEN_SECRET_KEY: TEST_SECRET,
        WARDEN_LOG_LEVEL: 'silent',
        WARDEN_SMTP_URL: sink.url,
        WARDEN_WORKER_LEASE_SECONDS: '2',
        WARDEN_WORKER_BATCH: '20',
        WARDEN_WORKER_POLL_MS: '100',
        WARDEN_EMAIL_CONCURRENCY: '4',
      },
      stdio: 'ignore',
    });
  const waitFor = async (cond: () => boolean | Promise<boolean>, ms: number) => {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  };
  const left = async () =>
    Number(
      (
        await store.db
          .selectFrom('deliveries')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('status', 'in', ['queued', 'sending'])
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('loses nothing and marks every resend', async () => {
    const total = N * 2;
    // Kill a worker three times as the sink fills, once with two running at once.
    for (const at of [60, 200, 380]) {
      const workers = at === 200 ? [start(), start()] : [start()];
      expect(await waitFor(() => sink.records.length >= at, 60_000)).toBe(true);
      for (const w of workers) w.kill('SIGKILL');
    }
    const last = start();
    try {
      expect(await waitFor(async () => (await left()) === 0, 90_000)).toBe(true);
    } finally {
      last.kill('SIGTERM');
    }
    const rows = await store.db
      .selectFrom('deliveries')
      .select(['id', 'status', 'possible_duplicate'])
      .execute();
    expect(rows).toHaveLength(total);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const seen = new Map<string, number>();
    for (const r of sink.records) {
      const id = /^<([^@]+)@/.exec(r.messageId)?.[1] ?? '';
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    // Zero lost: every delivery reached the sink under its own key.
    for (const r of rows) expect(seen.get(r.id), r.id).toBeGreaterThanOrEqual(1);
    // Every duplicate is marked; duplicates per kill stay within the in-flight batch.
    const dup = rows.filter((r) => (seen.get(r.id) ?? 0) > 1);
    for (const r of dup) expect(r.possible_duplicate, r.id).toBe(1);
    expect(dup.length).toBeLessThanOrEqual(4 * 20);
    console.log(
      `${backend}: ${sink.records.length} messages for ${total} deliveries, ${dup.length} sent twice (all marked)`,
    );
  }, 240_000);
});
