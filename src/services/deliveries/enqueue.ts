/**
 * Sending a message: the one entry point (docs/ARCHITECTURE.md, "Sending a message").
 *
 *   const ids = await enqueueDeliveries(ctx, trx, [
 *     { template: 'alert', channel: 'sms', to: { personId, contactId }, message: `alert:${id}`,
 *       priority: PRIORITY.emergency, params: { alert: id }, dedupeKey: `a:${id}:${contactId}`,
 *       retention: 'security' },
 *   ]);
 *
 * Rows are written in the caller's transaction (so a message exists if and only if the change
 * that caused it commits) and the workers are woken: at once in this process, and at commit in
 * every process listening on PostgreSQL. The worker renders `template` at send time through the
 * renderer registered for it (renderers.ts), so nothing rendered or personal is stored.
 */
import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { type NewDelivery, PRIORITY } from '../../domain/deliveries/model.ts';
import { orderedId } from '../../domain/ids.ts';
import type { Db } from '../../store/db.ts';
import { insertDeliveries } from '../../store/deliveries/deliveries.ts';
import type { DeliveryTable } from '../../store/deliveries/tables.ts';

export { type NewDelivery, PRIORITY } from '../../domain/deliveries/model.ts';

/** A new delivery id: `msg_` + a time-ordered UUID (v7) in hex. */
export const deliveryId = (now?: number): string => `msg_${orderedId(now).replace(/-/g, '')}`;

/** The row for one delivery (not yet written); `at` is the creation time. */
export function deliveryRow(d: NewDelivery, at: Date): DeliveryTable {
  const now = iso(at);
  const to = d.to;
  return {
    id: deliveryId(at.getTime()),
    channel: d.channel,
    template: d.template,
    person_id: 'personId' in to ? to.personId : null,
    contact_id: 'contactId' in to && to.contactId ? to.contactId : null,
    subscription_id: 'subscriptionId' in to ? to.subscriptionId : null,
    organisation_id: 'organisationId' in to ? to.organisationId : null,
    params: JSON.stringify(d.params ?? {}),
    status: 'queued',
    attempts: 0,
    last_error: null,
    created_at: now,
    sent_at: null,
    dedupe_key: d.dedupeKey ?? null,
    message_ref: d.message ?? null,
    priority: d.priority ?? PRIORITY.notice,
    next_attempt_at: d.notBefore ? iso(d.notBefore) : now,
    retention: d.retention ?? 'routine',
    updated_at: now,
  };
}

/**
 * Writes deliveries in the caller's transaction `db` and wakes the workers. A delivery whose
 * dedupeKey is already taken is skipped. Returns the ids written, in order.
 */
export async function enqueueDeliveries(
  ctx: Context,
  db: Db,
  deliveries: readonly NewDelivery[],
): Promise<string[]> {
  if (deliveries.length === 0) return [];
  const at = ctx.clock.now();
  const ids = await insertDeliveries(
    db,
    ctx.store.backend,
    deliveries.map((d) => deliveryRow(d, at)),
    ctx.store.sqlite,
  );
  if (ids.length > 0) ctx.deliveries.wake();
  return ids;
}
