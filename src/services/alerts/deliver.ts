import { accepted, type OutboundMessage } from '../../channels/types.ts';
import type { Context } from '../../context.ts';
import type { AlertRecord } from '../../domain/alerts/record.ts';
import { renderAlertEmail, renderAlertSms, renderAlertWebhook } from '../../domain/alerts/render.ts';
import { iso } from '../../domain/clock.ts';
import { newId } from '../../domain/ids.ts';
import { messageLanguage } from '../../domain/messages/catalogue.ts';
import { PersonCipher } from '../../domain/privacy/index.ts';
import type { AudienceContact } from '../../store/alerts/audience.ts';
import { findAlert } from '../../store/alerts/alerts.ts';
import { alertOutboxProgress, insertAlertOutbox } from '../../store/alerts/outbox.ts';
import type { Db } from '../../store/db.ts';
import {
  findContact,
  findEnrollment,
  findOutbox,
  findWrappedKey,
  finishOutbox,
  type OutboxRow,
} from '../../store/enrollments/enrollments.ts';

/*
 * Handing an alert's recipients to delivery. Until the delivery engine (issue 12) is merged, the
 * messages are outbox rows (template `alert`, no text and no address at rest) and email goes out
 * at once through ctx.email; SMS and webhooks wait in the outbox for the engine.
 */

export const ALERT_TEMPLATE = 'alert';
export type AlertPriority = 'urgent' | 'normal';

/** Emergencies and Cancels overtake routine messages. */
export const alertPriority = (a: AlertRecord): AlertPriority =>
  a.content.kind === 'emergency' || a.content.msgType === 'Cancel' ? 'urgent' : 'normal';

/** Queues one message per contact in the caller's transaction; returns the outbox ids. */
export async function enqueueAlert(
  ctx: Context,
  db: Db,
  alert: AlertRecord,
  contacts: readonly AudienceContact[],
): Promise<string[]> {
  const at = iso(ctx.clock.now());
  const priority = alertPriority(alert);
  const rows: OutboxRow[] = contacts.map((c) => ({
    id: `msg_${newId().replace(/-/g, '')}`,
    channel: c.channel,
    template: ALERT_TEMPLATE,
    person_id: c.personId,
    contact_id: c.contactId,
    params: JSON.stringify({ alertId: alert.id, priority }),
    status: 'queued',
    attempts: 0,
    last_error: null,
    created_at: at,
    sent_at: null,
    dedupe_key: `alert:${alert.id}:${c.contactId ?? `webhook:${c.personId}`}`,
  }));
  await insertAlertOutbox(db, rows);
  return rows.map((r) => r.id);
}

export const alertLinks = (ctx: Context, alertId: string) => ({
  alert: `${ctx.config.publicUrl}/alerts/${alertId}`,
  manage: `${ctx.config.publicUrl}/enroll/manage`,
  checkIn: null,
});

/** One queued alert message rendered for its recipient in their language; null if erased. */
export async function renderAlertOutbox(ctx: Context, row: OutboxRow): Promise<OutboundMessage | null> {
  const db = ctx.store.db;
  const { alertId } = JSON.parse(row.params) as { alertId: string };
  const alert = await findAlert(db, alertId);
  const person = row.person_id ? await findEnrollment(db, row.person_id) : undefined;
  const wrapped = row.person_id ? await findWrappedKey(db, row.person_id) : undefined;
  if (!alert?.sentAt || !person || !wrapped || !row.person_id) return null;
  const cipher = PersonCipher.open(ctx.privacy.kek, row.person_id, wrapped);
  const input = {
    alert: { id: alert.id, content: alert.content, sentAt: alert.sentAt },
    language: messageLanguage(person.language),
    links: alertLinks(ctx, alert.id),
  };
  if (row.channel === 'webhook') {
    if (!person.webhook_url_enc) return null;
    const payload = renderAlertWebhook(input);
    return { id: row.id, to: cipher.decrypt('webhookUrl', person.webhook_url_enc), text: '', json: payload };
  }
  const contact = row.contact_id ? await findContact(db, row.contact_id) : undefined;
  if (!contact) return null;
  const to = cipher.decrypt(contact.kind === 'phone' ? 'phone' : 'email', contact.value_enc);
  if (row.channel === 'sms') return { id: row.id, to, text: renderAlertSms(input).text };
  const email = renderAlertEmail(input);
  return { id: row.id, to, subject: email.subject, text: email.text, html: email.html };
}

/** Sends queued alert emails now through ctx.email (never throws). */
export async function sendAlertEmails(ctx: Context, ids: readonly string[]): Promise<void> {
  const email = ctx.email;
  if (!email) return;
  const db = ctx.store.db;
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of await findOutbox(db, ids.slice(i, i + 500))) {
      if (row.status !== 'queued' || row.channel !== 'email') continue;
      const at = iso(ctx.clock.now());
      const message = await renderAlertOutbox(ctx, row);
      if (!message) {
        await finishOutbox(db, row.id, { status: 'failed', error: 'recipient erased', at });
        continue;
      }
      const result = await email.send(message);
      const status = accepted(result) ? 'sent' : result.kind === 'permanent' ? 'failed' : 'queued';
      await finishOutbox(db, row.id, { status, error: accepted(result) ? null : result.reason, at });
    }
  }
}

const inFlight = new WeakMap<object, Set<Promise<void>>>();

/** Sends after the response; tests wait with settleAlertSends(). */
export function dispatchAlert(ctx: Context, ids: readonly string[]): void {
  if (ids.length === 0 || !ctx.email) return;
  const set = inFlight.get(ctx.store) ?? new Set<Promise<void>>();
  inFlight.set(ctx.store, set);
  const p: Promise<void> = sendAlertEmails(ctx, ids)
    .catch((err: unknown) => ctx.log.error({ err }, 'alert dispatch failed'))
    .finally(() => set.delete(p));
  set.add(p);
}

export async function settleAlertSends(ctx: Context): Promise<void> {
  const set = inFlight.get(ctx.store);
  while (set && set.size > 0) await Promise.all([...set]);
}

export interface DeliveryProgress {
  readonly total: number;
  readonly byStatus: Record<string, number>;
  readonly byChannel: Record<string, Record<string, number>>;
}

export async function deliveryProgress(ctx: Context, alertId: string): Promise<DeliveryProgress> {
  const rows = await alertOutboxProgress(ctx.store.db, alertId);
  const byStatus: Record<string, number> = {};
  const byChannel: Record<string, Record<string, number>> = {};
  let total = 0;
  for (const r of rows) {
    total += r.n;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    const ch = (byChannel[r.channel] ??= {});
    ch[r.status] = (ch[r.status] ?? 0) + r.n;
  }
  return { total, byStatus, byChannel };
}
