import { randomUUID } from 'node:crypto';
import type { Channel, ChannelKind, Outcome } from '../channels/types.ts';
import type { Context } from '../context.ts';
import { iso } from '../domain/clock.ts';
import { DEFAULT_RETRY, type RetryPolicy, retryDelayMs } from '../domain/deliveries/model.ts';
import { orderedId } from '../domain/ids.ts';
import type { RenderedDelivery, Renderer } from '../services/deliveries/render.ts';
import { RENDERERS } from '../services/deliveries/renderers.ts';
import {
  type AttemptResult,
  claimDeliveries,
  type DeliveryRow,
  extendLease,
  recordResults,
} from '../store/deliveries/deliveries.ts';
import { listenForDeliveries } from '../store/deliveries/listen.ts';
import type { DeliveryAttemptTable, DeliveryTable } from '../store/deliveries/tables.ts';

/*
 * The delivery worker (docs/ARCHITECTURE.md, "Delivery engine"): claims due deliveries under a
 * lease, renders each through its template's renderer, sends it through its channel, and records
 * the outcome with an attempt entry. Runs in `warden worker` (any number of processes on one
 * PostgreSQL) and inside `warden serve` / `warden demo`.
 *
 * Waking: enqueueDeliveries() wakes this process's worker at once (ctx.deliveries); on
 * PostgreSQL a LISTEN connection wakes it when any process commits deliveries; otherwise it
 * polls every `pollMs` (default 500 ms), so a committed message is claimed within 1 s anywhere.
 */

export interface DeliveryWorkerOptions {
  /** Names this worker in leases and attempt history. */
  readonly owner?: string;
  readonly batchSize?: number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
  /** LISTEN on PostgreSQL (default true; off in tests that drive the worker by hand). */
  readonly listen?: boolean;
  /** Claim only these deliveries. */
  readonly ids?: readonly string[];
  /** Renderers by template (default: the registry, services/deliveries/renderers.ts). */
  readonly renderers?: Readonly<Record<string, Renderer>>;
}

export interface DeliveryStats {
  claimed: number;
  sent: number;
  delivered: number;
  retried: number;
  failed: number;
  dropped: number;
  takenOver: number;
}

export interface DeliveryWorker {
  readonly owner: string;
  readonly stats: DeliveryStats;
  /** Starts the loop (timers unref'd). */
  start(): void;
  /** Stops claiming and waits for the batch in hand to be recorded. */
  stop(): Promise<void>;
  /** One claim-send-record round now; resolves with how many deliveries it handled. */
  runOnce(): Promise<number>;
}

type Sem = { active: number; waiting: Array<() => void>; limit: number };

async function acquire(s: Sem): Promise<void> {
  if (s.active < s.limit) {
    s.active++;
    return;
  }
  await new Promise<void>((resolve) => s.waiting.push(resolve));
}

function release(s: Sem): void {
  const next = s.waiting.shift();
  if (next) next();
  else s.active--;
}

/** Spaces sends of one channel to at most `perSecond` (0 = no limit). */
function rateLimiter(perSecond: number): () => Promise<void> {
  if (perSecond <= 0) return async () => {};
  const gap = 1000 / perSecond;
  let nextAt = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, nextAt);
    nextAt = at + gap;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };
}

export function channelOf(ctx: Context, kind: string): Channel | undefined {
  return kind === 'email'
    ? ctx.email
    : kind === 'sms'
      ? ctx.sms
      : kind === 'webhook'
        ? ctx.webhook
        : undefined;
}

export function configuredChannels(ctx: Context): ChannelKind[] {
  return (['email', 'sms', 'webhook'] as const).filter((k) => channelOf(ctx, k));
}

export function createDeliveryWorker(ctx: Context, opts: DeliveryWorkerOptions = {}): DeliveryWorker {
  const settings = ctx.config.deliveries;
  const owner = opts.owner ?? `${process.pid}:${randomUUID().slice(0, 8)}`;
  const batchSize = opts.batchSize ?? settings.batchSize;
  const leaseMs = opts.leaseMs ?? settings.leaseSeconds * 1000;
  const pollMs = opts.pollMs ?? settings.pollMs;
  const retry = opts.retry ?? { ...DEFAULT_RETRY, maxAttempts: settings.maxAttempts };
  const random = opts.random ?? Math.random;
  const renderers = opts.renderers ?? RENDERERS;
  // Internal requests (lookups expanded into messages) need no channel: every worker takes them.
  const channels = [...configuredChannels(ctx), 'internal'];
  const sems: Record<string, Sem> = {};
  const limits: Record<string, () => Promise<void>> = {};
  for (const k of ['email', 'sms', 'webhook'] as const) {
    sems[k] = { active: 0, waiting: [], limit: settings.concurrency[k] };
    limits[k] = rateLimiter(settings.ratePerSecond[k]);
  }
  const stats: DeliveryStats = {
    claimed: 0,
    sent: 0,
    delivered: 0,
    retried: 0,
    failed: 0,
    dropped: 0,
    takenOver: 0,
  };

  let stopped = true;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let unsubscribe: (() => void) | null = null;
  let unlisten: (() => Promise<void>) | null = null;

  const wake = () => {
    woken = true;
    wakeUp?.();
  };

  async function attempt(
    row: DeliveryRow,
  ): Promise<{ outcome: Outcome | { kind: 'dropped'; reason: string }; ms: number }> {
    const started = performance.now();
    const done = (outcome: Outcome | { kind: 'dropped'; reason: string }) => ({
      outcome,
      ms: Math.round(performance.now() - started),
    });
    const render = renderers[row.template];
    if (!render) return done({ kind: 'permanent', reason: `no renderer for template ${row.template}` });
    let rendered: RenderedDelivery | { drop: string };
    try {
      rendered = await render(ctx, row);
    } catch (err) {
      ctx.log.error({ err, deliveryId: row.id }, 'delivery render failed');
      return done({ kind: 'transient', reason: 'render failed' });
    }
    if ('drop' in rendered) return done({ kind: 'dropped', reason: rendered.drop });
    if (row.channel === 'internal')
      return done({ kind: 'permanent', reason: 'an internal request cannot be sent' });
    const channel = channelOf(ctx, row.channel);
    if (!channel) return done({ kind: 'transient', reason: `channel ${row.channel} not configured` });
    const sem = sems[row.channel]!;
    await acquire(sem);
    try {
      await limits[row.channel]!();
      return done(await channel.send({ id: row.id, ...rendered }));
    } catch (err) {
      // Channels never throw for a delivery problem; anything else is a bug worth a retry.
      ctx.log.error({ err, deliveryId: row.id }, 'channel threw');
      return done({ kind: 'transient', reason: 'channel error' });
    } finally {
      release(sem);
    }
  }

  function resultOf(
    row: DeliveryRow,
    outcome: Outcome | { kind: 'dropped'; reason: string },
    ms: number,
    now: Date,
  ): AttemptResult {
    const at = iso(now);
    const clear = { lease_owner: null, lease_expires_at: null, updated_at: at };
    const answer = 'answer' in outcome ? outcome.answer : undefined;
    const entry: DeliveryAttemptTable = {
      id: orderedId(now.getTime()),
      delivery_id: row.id,
      attempt: row.attempts,
      at,
      outcome: outcome.kind,
      status: answer?.status ?? null,
      answer: answer?.body ?? null,
      reason: 'reason' in outcome ? outcome.reason : null,
      worker: owner,
      duration_ms: ms,
    };
    let patch: Partial<DeliveryTable>;
    switch (outcome.kind) {
      case 'sent':
        stats.sent++;
        patch = {
          ...clear,
          status: 'sent',
          provider_id: outcome.providerId,
          sent_at: at,
          last_error: null,
          next_attempt_at: null,
          // SMS receipts come later (status callback); nothing more comes for email.
          finished_at: row.channel === 'sms' ? null : at,
        };
        break;
      case 'delivered':
        stats.delivered++;
        patch = {
          ...clear,
          status: 'delivered',
          provider_id: outcome.providerId ?? null,
          sent_at: at,
          finished_at: at,
          last_error: null,
          next_attempt_at: null,
        };
        break;
      case 'dropped':
        stats.dropped++;
        patch = {
          ...clear,
          status: 'dropped',
          last_error: outcome.reason,
          next_attempt_at: null,
          finished_at: at,
        };
        break;
      case 'permanent':
        stats.failed++;
        patch = {
          ...clear,
          status: 'failed',
          last_error: outcome.reason,
          next_attempt_at: null,
          finished_at: at,
        };
        break;
      case 'transient': {
        if (row.attempts >= retry.maxAttempts) {
          stats.failed++;
          patch = {
            ...clear,
            status: 'failed',
            last_error: `gave up after ${row.attempts} attempts: ${outcome.reason}`,
            next_attempt_at: null,
            finished_at: at,
          };
        } else {
          stats.retried++;
          const delay = retryDelayMs(retry, row.attempts, outcome.retryAfterMs, random);
          patch = {
            ...clear,
            status: 'queued',
            last_error: outcome.reason,
            next_attempt_at: iso(new Date(now.getTime() + delay)),
          };
        }
        break;
      }
    }
    return { id: row.id, patch, attempt: entry };
  }

  async function runOnce(): Promise<number> {
    const now = ctx.clock.now();
    const { rows, expired } = await ctx.store.db.transaction().execute((trx) =>
      claimDeliveries(trx, ctx.store.backend, {
        owner,
        now: iso(now),
        leaseUntil: iso(new Date(now.getTime() + leaseMs)),
        limit: batchSize,
        channels,
        ...(opts.ids && { ids: opts.ids }),
      }),
    );
    if (rows.length === 0) return 0;
    stats.claimed += rows.length;
    stats.takenOver += expired.length;
    if (expired.length > 0)
      ctx.log.warn(
        { count: expired.length, owner },
        'took over deliveries whose lease expired (possible duplicates)',
      );
    const pending = new Set(rows.map((r) => r.id));
    // Keeps the lease while the batch is slower than a third of it.
    const renew = setInterval(
      () => {
        const until = iso(new Date(ctx.clock.now().getTime() + leaseMs));
        extendLease(ctx.store.db, owner, [...pending], until).catch((err: unknown) =>
          ctx.log.error({ err }, 'lease renewal failed'),
        );
      },
      Math.max(1000, leaseMs / 3),
    ).unref();
    try {
      const results = await Promise.all(
        rows.map(async (row) => {
          const { outcome, ms } = await attempt(row);
          pending.delete(row.id);
          return resultOf(row, outcome, ms, ctx.clock.now());
        }),
      );
      await ctx.store.db.transaction().execute((trx) => recordResults(trx, owner, results));
    } finally {
      clearInterval(renew);
    }
    return rows.length;
  }

  async function run(): Promise<void> {
    while (!stopped) {
      let n = 0;
      woken = false;
      try {
        n = await runOnce();
      } catch (err) {
        ctx.log.error({ err }, 'delivery round failed');
      }
      if (stopped) break;
      if (n > 0 || woken) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        t.unref();
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wakeUp = null;
    }
  }

  return {
    owner,
    stats,
    start() {
      if (!stopped) return;
      stopped = false;
      unsubscribe = ctx.deliveries.subscribe(wake);
      const db = ctx.config.database;
      if (opts.listen !== false && db.kind === 'postgres')
        unlisten = listenForDeliveries(db.url, wake, (err) =>
          ctx.log.warn({ err }, 'delivery LISTEN failed'),
        );
      loop = run();
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      wakeUp?.();
      await loop;
      await unlisten?.();
      loop = null;
      unlisten = null;
    },
    runOnce,
  };
}

/**
 * Sends everything due now and returns when nothing due is left (tests, `warden purge`-style
 * one-shot runs). Deliveries waiting for a retry later are left queued.
 */
export async function drainDeliveries(
  ctx: Context,
  opts: DeliveryWorkerOptions = {},
): Promise<DeliveryStats> {
  const worker = createDeliveryWorker(ctx, { listen: false, ...opts });
  while ((await worker.runOnce()) > 0) {}
  return worker.stats;
}
