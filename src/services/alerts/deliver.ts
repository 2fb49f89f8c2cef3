import type { Context } from '../../context.ts';
import type { AlertRecord } from '../../domain/alerts/record.ts';
import { renderAlertEmail, renderAlertSms, renderAlertWebhook } from '../../domain/alerts/render.ts';
import { messageLanguage } from '../../domain/messages/catalogue.ts';
import { PersonCipher } from '../../domain/privacy/index.ts';
import { findAlert } from '../../store/alerts/alerts.ts';
import type { AudienceContact } from '../../store/alerts/audience.ts';
import { alertDeliveryCounts } from '../../store/alerts/progress.ts';
import type { Db } from '../../store/db.ts';
import type { DeliveryRow } from '../../store/deliveries/deliveries.ts';
import { findContact, findEnrollment, findWrappedKey } from '../../store/enrollments/enrollments.ts';
import { checkinLinks } from '../checkins/links.ts';
import { enqueueDeliveries, PRIORITY } from '../deliveries/enqueue.ts';
import type { RenderedDelivery } from '../deliveries/render.ts';

/*
 * Handing an alert's recipients to the delivery engine (services/deliveries/enqueue.ts): one
 * delivery per contact, in the send's transaction, with the alert's priority; the engine's worker
 * renders each at send time with renderAlertDelivery (registered in deliveries/renderers.ts).
 */

export const ALERT_TEMPLATE = 'alert';

/** Emergencies and Cancels overtake routine messages. */
export const alertPriority = (a: AlertRecord): number =>
  a.content.msgType === 'Cancel'
    ? PRIORITY.cancellation
    : a.content.kind === 'emergency'
      ? PRIORITY.emergency
      : PRIORITY.alert;

export const alertMessageRef = (alertId: string): string => `alert:${alertId}`;

/** Queues one delivery per contact in the caller's transaction; returns the delivery ids. */
export function enqueueAlert(
  ctx: Context,
  db: Db,
  alert: AlertRecord,
  contacts: readonly AudienceContact[],
): Promise<string[]> {
  const priority = alertPriority(alert);
  return enqueueDeliveries(
    ctx,
    db,
    contacts.map((c) => ({
      template: ALERT_TEMPLATE,
      channel: c.channel,
      to: c.contactId ? { personId: c.personId, contactId: c.contactId } : { personId: c.personId },
      message: alertMessageRef(alert.id),
      priority,
      params: { alert: alert.id },
      dedupeKey: `alert:${alert.id}:${c.contactId ?? `webhook:${c.personId}`}`,
      retention: 'security',
    })),
  );
}

export const alertLinks = (ctx: Context, alertId: string) => ({
  alert: `${ctx.config.publicUrl}/alerts/${alertId}`,
  manage: `${ctx.config.publicUrl}/enroll/manage`,
  checkIn: null,
});

/**
 * One alert delivery rendered for its recipient in their language (English with a note when the
 * alert has no text in it). Dropped when the person was erased or the contact is gone. A Cancel or
 * Update sent meanwhile does not drop the original: people must be able to read what is cancelled.
 */
export async function renderAlertDelivery(
  ctx: Context,
  row: DeliveryRow,
): Promise<RenderedDelivery | { drop: string }> {
  const db = ctx.store.db;
  const { alert: alertId } = JSON.parse(row.params) as { alert: string };
  const alert = await findAlert(db, alertId);
  if (!alert?.sentAt) return { drop: 'alert not sent' };
  const person = row.person_id ? await findEnrollment(db, row.person_id) : undefined;
  const wrapped = row.person_id ? await findWrappedKey(db, row.person_id) : undefined;
  if (!person || !wrapped || !row.person_id) return { drop: 'recipient erased' };
  if (person.unsubscribed_at !== null) return { drop: 'recipient stopped all messages' };
  const cipher = PersonCipher.open(ctx.privacy.kek, row.person_id, wrapped);
  // Check-in links and the SMS reply code (services/checkins/links.ts), signed now, never stored.
  const channel = row.channel as 'email' | 'sms' | 'webhook';
  const checkIn = await checkinLinks(ctx, alert, row.person_id, channel);
  const links = alertLinks(ctx, alert.id);
  const input = {
    alert: { id: alert.id, content: alert.content, sentAt: alert.sentAt },
    language: messageLanguage(person.language),
    links: checkIn
      ? {
          ...links,
          checkIn: channel === 'webhook' ? checkIn.callback : checkIn.page,
          ...(channel === 'email' && { checkInSafe: checkIn.safe, checkInHelp: checkIn.needHelp }),
          replyCode: checkIn.replyCode,
        }
      : links,
  };
  if (row.channel === 'webhook') {
    if (!person.webhook_url_enc) return { drop: 'webhook removed' };
    return {
      to: cipher.decrypt('webhookUrl', person.webhook_url_enc),
      text: '',
      json: renderAlertWebhook(input),
    };
  }
  const contact = row.contact_id ? await findContact(db, row.contact_id) : undefined;
  if (!contact || contact.verified_at === null) return { drop: 'contact removed' };
  const to = cipher.decrypt(contact.kind === 'phone' ? 'phone' : 'email', contact.value_enc);
  if (row.channel === 'sms') return { to, text: renderAlertSms(input).text };
  const email = renderAlertEmail(input);
  return { to, subject: email.subject, text: email.text, html: email.html };
}

export interface DeliveryProgress {
  readonly total: number;
  readonly byStatus: Record<string, number>;
  readonly byChannel: Record<string, Record<string, number>>;
}

export async function deliveryProgress(ctx: Context, alertId: string): Promise<DeliveryProgress> {
  const rows = await alertDeliveryCounts(ctx.store.db, alertMessageRef(alertId));
  const byStatus: Record<string, number> = {};
  const byChannel: Record<string, Record<string, number>> = {};
  let total = 0;
  for (const r of rows) {
    total += r.n;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    const ch = byChannel[r.channel] ?? {};
    ch[r.status] = (ch[r.status] ?? 0) + r.n;
    byChannel[r.channel] = ch;
  }
  return { total, byStatus, byChannel };
}
