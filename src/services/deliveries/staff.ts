import type { Context } from '../../context.ts';
import type { ResourceScope } from '../../domain/auth/principal.ts';
import { iso } from '../../domain/clock.ts';
import { DELIVERY_CHANNELS, DELIVERY_STATES } from '../../domain/deliveries/model.ts';
import { WardenError } from '../../domain/errors.ts';
import {
  type DeliveryFilter,
  type DeliveryRow,
  deliveryCounts,
  dropDelivery,
  findDelivery,
  listAttempts,
  listDeliveries,
  requeueDelivery,
} from '../../store/deliveries/deliveries.ts';
import { findNotice } from '../../store/subscriptions/notices.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';

/**
 * Who may see a message's deliveries: the post or country it concerns, by the prefix of its
 * reference (`notice:<id>` -> the notice's country). A feature whose messages concern a place
 * adds its prefix here; a message without one (verification and manage links, digests) is
 * seen by staff with a worldwide scope only.
 */
export const MESSAGE_SCOPES: Readonly<
  Record<string, (ctx: Context, id: string) => Promise<ResourceScope | null>>
> = {
  notice: async (ctx, id) => {
    const n = await findNotice(ctx.store.db, id);
    return n ? { country: n.country } : null;
  },
};

/** The scope of a message reference; `{}` (worldwide staff only) when it names no place; null when unknown. */
export async function messageScope(
  ctx: Context,
  message: string | null | undefined,
): Promise<ResourceScope | null> {
  if (!message) return {};
  const i = message.indexOf(':');
  const resolve = i > 0 ? MESSAGE_SCOPES[message.slice(0, i)] : undefined;
  if (!resolve) return {};
  return resolve(ctx, message.slice(i + 1));
}

export interface DeliveryView {
  id: string;
  message: string | null;
  template: string;
  channel: string;
  state: string;
  priority: number;
  attempts: number;
  possibleDuplicate: boolean;
  lastError: string | null;
  providerId: string | null;
  /** Who it goes to, as references (never an address). */
  recipient: {
    personId: string | null;
    contactId: string | null;
    subscriptionId: string | null;
    organisationId: string | null;
  };
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  finishedAt: string | null;
}

export const deliveryView = (r: DeliveryRow): DeliveryView => ({
  id: r.id,
  message: r.message_ref ?? null,
  template: r.template,
  channel: r.channel,
  state: r.status,
  priority: r.priority ?? 0,
  attempts: r.attempts,
  possibleDuplicate: r.possible_duplicate === 1,
  lastError: r.last_error,
  providerId: r.provider_id ?? null,
  recipient: {
    personId: r.person_id,
    contactId: r.contact_id,
    subscriptionId: r.subscription_id ?? null,
    organisationId: r.organisation_id ?? null,
  },
  createdAt: r.created_at,
  nextAttemptAt: r.next_attempt_at ?? null,
  sentAt: r.sent_at,
  finishedAt: r.finished_at ?? null,
});

export async function listDeliveryViews(
  ctx: Context,
  f: DeliveryFilter,
): Promise<{ deliveries: DeliveryView[]; next: string | null }> {
  const rows = await listDeliveries(ctx.store.db, { ...f, limit: f.limit + 1 });
  const page = rows.slice(0, f.limit);
  return {
    deliveries: page.map(deliveryView),
    next: rows.length > f.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

export async function deliveryDetail(ctx: Context, id: string) {
  const row = await findDelivery(ctx.store.db, id);
  if (!row) throw new WardenError('not_found', 'No such delivery.', {});
  const attempts = (await listAttempts(ctx.store.db, id)).map((a) => ({
    attempt: a.attempt,
    at: a.at,
    outcome: a.outcome,
    status: a.status,
    answer: a.answer,
    reason: a.reason,
    worker: a.worker,
    durationMs: a.duration_ms,
  }));
  return { delivery: deliveryView(row), attempts };
}

const RATE_WINDOW_S = 60;

/**
 * A message's progress: counts per channel and state, how fast deliveries finished over the last
 * minute, and the time left at that rate.
 */
export async function messageProgress(ctx: Context, message: string) {
  const now = ctx.clock.now();
  const { counts, recent, firstAt } = await deliveryCounts(
    ctx.store.db,
    message,
    iso(new Date(now.getTime() - RATE_WINDOW_S * 1000)),
  );
  const empty = () => Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<string, number>;
  const byChannel: Record<string, Record<string, number>> = {};
  const total = empty();
  for (const c of counts) {
    const ch = byChannel[c.channel] ?? empty();
    byChannel[c.channel] = ch;
    ch[c.status] = (ch[c.status] ?? 0) + c.n;
    total[c.status] = (total[c.status] ?? 0) + c.n;
  }
  const all = Object.values(total).reduce((a, b) => a + b, 0);
  const left = (total.queued ?? 0) + (total.sending ?? 0);
  const rate = recent / RATE_WINDOW_S;
  return {
    message,
    total: all,
    states: total,
    channels: DELIVERY_CHANNELS.filter((c) => byChannel[c]).map((c) => ({
      channel: c,
      states: byChannel[c]!,
    })),
    ratePerSecond: Math.round(rate * 10) / 10,
    etaSeconds: left === 0 ? 0 : rate > 0 ? Math.ceil(left / rate) : null,
    startedAt: firstAt,
  };
}

export async function retryDelivery(ctx: Context, actor: Actor, id: string) {
  const at = iso(ctx.clock.now());
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await requeueDelivery(trx, id, at)))
      throw new WardenError('conflict', 'Only a failed or queued delivery can be retried.', { id });
    await recordAudit(ctx, trx, actor, 'delivery.retry', `delivery:${id}`, {});
  });
  ctx.deliveries.wake();
  return deliveryDetail(ctx, id);
}

export async function dropDeliveryByStaff(ctx: Context, actor: Actor, id: string, reason: string) {
  const at = iso(ctx.clock.now());
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await dropDelivery(trx, id, `dropped by staff: ${reason}`, at)))
      throw new WardenError('conflict', 'Only a queued or failed delivery can be dropped.', { id });
    await recordAudit(ctx, trx, actor, 'delivery.drop', `delivery:${id}`, { reason });
  });
  return deliveryDetail(ctx, id);
}
