import { createRequire } from 'node:module';
import type { AlertRecord } from '../src/domain/alerts/record.ts';
import { ANSWER_PURPOSE, signAnswerToken } from '../src/domain/checkins/answer-tokens.ts';
import { orderedId } from '../src/domain/ids.ts';
import { PersonCipher } from '../src/domain/privacy/index.ts';
import { buildApp } from '../src/server/app.ts';
import { accountability } from '../src/services/checkins/accountability.ts';
import { insertAlert } from '../src/store/alerts/alerts.ts';
import { DEMONSTRATION, sentAlert } from '../test/fixtures/alerts/basrah.ts';
import { type BenchBackend, benchContext } from './stores.ts';

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { average: number; p50: number; p99: number };
  errors: number;
  non2xx: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  workers?: number;
  requests: ReadonlyArray<{ method: string; path: string; headers: Record<string, string>; body: string }>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Check-ins: (1) answers accepted per second over HTTP from signed links (POST /api/public/checkin,
 * one process, autocannon in a worker thread, 50 connections); (2) the accountability roll-up of
 * one alert with WARDEN_BENCH_CHECKIN_RECIPIENTS recipients (default 100,000), a third answered.
 */
export async function checkinsBench(backend: BenchBackend): Promise<void> {
  const seconds = Number(process.env.WARDEN_BENCH_SECONDS ?? 10);
  const recipients = Number(process.env.WARDEN_BENCH_CHECKIN_RECIPIENTS ?? 100_000);
  const ctx = await benchContext(backend);
  const tag = `checkins/${backend}`;
  try {
    const db = ctx.store.db;
    const post = { id: 'bench-post' };
    const at = new Date().toISOString();
    await db
      .insertInto('posts')
      .values({
        id: post.id,
        kind: 'consulate_general',
        name: 'Bench post',
        city: 'Basrah',
        country: 'IQ',
        lat: 30.5,
        lon: 47.8,
        contact: '{}',
        district_regions: '[]',
        district_geometry: null,
        coverage_delegate_id: null,
        posture_change_id: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const alertId = 'bench-alert';
    const alert: AlertRecord = {
      ...sentAlert(
        { id: alertId, sentAt: at },
        {
          postId: post.id,
          checkIn: { requested: true, deadline: new Date(Date.now() + 86_400_000).toISOString() },
          cap: DEMONSTRATION.cap,
        },
      ),
      source: null,
      rootId: alertId,
      country: 'IQ',
      countries: ['IQ'],
      recipientCount: recipients,
    };
    await insertAlert(db, alert);
    // People: enrollments with real wrapped keys (answers seal notes with them), recipients of the alert.
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < recipients; i += 2000) {
      const chunk = Array.from({ length: Math.min(2000, recipients - i) }, () => orderedId());
      ids.push(...chunk);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('enrollments')
          .values(
            chunk.map((id) => ({
              id,
              name_enc: 'x',
              language: 'en',
              emergency_name_enc: 'x',
              emergency_phone_enc: null,
              emergency_email_enc: null,
              webhook_url_enc: null,
              consent_at: at,
              unsubscribed_at: null,
              created_at: at,
              updated_at: at,
              organisation_id: null,
              external_id: null,
              content_hash: null,
            })),
          )
          .execute();
        await trx
          .insertInto('enrollment_keys')
          .values(
            chunk.map((id) => ({
              person_id: id,
              wrapped_key: PersonCipher.create(ctx.privacy.kek, id).wrappedKey,
              created_at: at,
            })),
          )
          .execute();
        await trx
          .insertInto('alert_recipients')
          .values(chunk.map((id) => ({ alert_id: alertId, person_id: id, precision: 'country' })))
          .execute();
      });
    }
    console.log(
      `${tag}: ${recipients} recipients written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const app = await buildApp(ctx);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const exp = Math.floor(Date.now() / 1000) + 86_400;
      const requests = ids.slice(0, 2000).map((id, i) => ({
        method: 'POST',
        path: '/api/public/checkin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          token: signAnswerToken(
            ctx.privacy.tokens,
            ANSWER_PURPOSE,
            { alertId, recipientId: id, channel: 'email' },
            exp,
          ),
          answer: i % 10 === 0 ? 'need_help' : 'safe',
        }),
      }));
      const cpu0 = cpuMs();
      const r = await autocannon({ url: base, connections: 50, duration: seconds, workers: 1, requests });
      const cpu = cpuMs() - cpu0;
      console.log(
        `${tag} answers over HTTP: ${r.requests.average.toFixed(0)} answers/s (${r.requests.total} in ${seconds} s), ` +
          `latency avg ${r.latency.average.toFixed(1)} ms p99 ${r.latency.p99} ms; errors ${r.errors}, non-2xx ${r.non2xx}; ` +
          `process CPU ${((cpu * 1000) / Math.max(1, r.requests.total)).toFixed(0)} µs/answer`,
      );
    } finally {
      await app.close();
    }
    // A third of the people answered (the rest count as unreachable: no deliveries in this store).
    await db.deleteFrom('checkin_latest').execute();
    for (let i = 0; i < ids.length / 3; i += 5000) {
      const chunk = ids.slice(i, Math.min(i + 5000, Math.floor(ids.length / 3)));
      await db
        .insertInto('checkin_latest')
        .values(
          chunk.map((id, k) => ({
            alert_id: alertId,
            person_id: id,
            answer_id: id,
            answer: k % 10 ? 'safe' : 'need_help',
            channel: 'email',
            at,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    for (let run = 0; run < 3; run++) {
      const c0 = cpuMs();
      const w0 = performance.now();
      const v = await accountability(ctx, alertId);
      console.log(
        `${tag} roll-up of ${v.rollup.targeted} recipients: ${(performance.now() - w0).toFixed(0)} ms wall, ${(cpuMs() - c0).toFixed(0)} ms CPU ` +
          `(safe ${v.rollup.safe}, need help ${v.rollup.need_help}, unreachable ${v.rollup.unreachable})`,
      );
    }
  } finally {
    await ctx.dispose();
  }
}
