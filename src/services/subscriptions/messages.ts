import type { Context } from '../../context.ts';
import { type DeliveryChannel, type NewDelivery, PRIORITY } from '../../domain/deliveries/model.ts';
import type { RenderedMessage } from '../../domain/enrollments/messages.ts';
import { messageLanguage } from '../../domain/messages/catalogue.ts';
import { expiresIn, PersonCipher, signToken } from '../../domain/privacy/index.ts';
import {
  isSubscriptionTemplate,
  type NoticeDetails,
  noticeSms,
  noticeTitle,
  renderSubscriptionMessage,
  type SubscriptionTemplate,
} from '../../domain/subscriptions/messages.ts';
import type { Db } from '../../store/db.ts';
import type { DeliveryRow } from '../../store/deliveries/deliveries.ts';
import { findContact, findEnrollment, findWrappedKey } from '../../store/enrollments/enrollments.ts';
import { findNotices } from '../../store/subscriptions/notices.ts';
import {
  findSubscription,
  findSubscriptionKey,
  listCountries,
} from '../../store/subscriptions/subscriptions.ts';
import { enqueueDeliveries } from '../deliveries/enqueue.ts';
import type { RenderedDelivery } from '../deliveries/render.ts';
import { listUnsubscribeHeaders } from './list-unsubscribe-links.ts';

/** The renderer of every subscription template (services/deliveries/renderers.ts). */
export async function renderSubscriptionDelivery(
  ctx: Context,
  row: DeliveryRow,
): Promise<RenderedDelivery | { drop: string }> {
  return (await renderSubscriptionOutbox(ctx, row)) ?? { drop: DROPPED_GONE };
}

/** Why a message was dropped when its renderer found nobody (or nothing) to send it to. */
export const DROPPED_GONE = 'recipient erased or unsubscribed, or its notices purged';

/*
 * Queuing and rendering of advisory messages (subscriber and traveller). Kept apart from
 * verification.ts, which calls renderSubscriptionOutbox() from its renderOutbox(), and from
 * subscriptions.ts, which queues through here: no import cycle.
 */

export const SUBSCRIPTION_VERIFY = 'subscription-verify';
export const SUBSCRIPTION_MANAGE = 'subscription-manage';

/** How urgent a message of each existing template is (PRIORITY in the delivery model). */
export function templatePriority(template: string): number {
  switch (template) {
    case 'advisory_notice':
      return PRIORITY.notice;
    case 'advisory_digest':
      return PRIORITY.digest;
    case 'confirm_presence':
      return PRIORITY.reminder;
    default:
      // Verification and manage links: someone is waiting for them.
      return PRIORITY.interactive;
  }
}

/** A delivery (not yet written) for a subscriber or a traveller's contact. */
export function messageDelivery(
  to: { subscriptionId: string } | { personId: string; contactId: string; channel?: DeliveryChannel },
  template: string,
  params: Record<string, unknown>,
  dedupeKey: string | null = null,
  message: string | null = null,
): NewDelivery {
  const sub = 'subscriptionId' in to;
  return {
    template,
    channel: sub ? 'email' : (to.channel ?? 'email'),
    to: sub ? { subscriptionId: to.subscriptionId } : { personId: to.personId, contactId: to.contactId },
    params,
    dedupeKey,
    message,
    priority: templatePriority(template),
  };
}

/** Queues one message to a subscriber in the caller's transaction; returns the delivery id. */
export async function queueSubscriptionMessage(
  ctx: Context,
  db: Db,
  subscriptionId: string,
  template: SubscriptionTemplate,
  params: Record<string, unknown> = {},
): Promise<string> {
  const [id] = await enqueueDeliveries(ctx, db, [messageDelivery({ subscriptionId }, template, params)]);
  return id ?? '';
}

/** A manage/unsubscribe token, signed now; it works until it expires or the subscription goes. */
export function manageToken(ctx: Context, subscriptionId: string): string {
  const exp = expiresIn(ctx.clock.now(), ctx.config.subscriptions.linkTtlDays * 86_400);
  return signToken(ctx.privacy.tokens, { sub: subscriptionId, purpose: SUBSCRIPTION_MANAGE, exp });
}

async function noticesOf(db: Db, params: Record<string, unknown>): Promise<NoticeDetails[]> {
  const ids = Array.isArray(params.notices)
    ? params.notices.filter((x): x is string => typeof x === 'string')
    : typeof params.notice === 'string'
      ? [params.notice]
      : [];
  return (await findNotices(db, ids)).map((n) => JSON.parse(n.details) as NoticeDetails);
}

/**
 * Renders an advisory or subscription message: recipient decrypted, links signed now. Null when
 * the recipient is gone (unsubscribed, erased) or the notices it named were purged.
 */
export async function renderSubscriptionOutbox(
  ctx: Context,
  row: DeliveryRow,
): Promise<RenderedDelivery | null> {
  if (!isSubscriptionTemplate(row.template)) return null;
  const db = ctx.store.db;
  const params = JSON.parse(row.params) as Record<string, unknown>;
  const base = ctx.config.publicUrl;
  let to: string;
  let message: RenderedMessage;
  const notices = await noticesOf(db, params);
  if ((row.template === 'advisory_notice' || row.template === 'advisory_digest') && notices.length === 0)
    return null;
  const day = typeof params.day === 'string' ? params.day : undefined;
  // Notices and digests are bulk mail: a mail client may unsubscribe their reader in one click.
  const bulk = row.template === 'advisory_notice' || row.template === 'advisory_digest';
  if (row.subscription_id) {
    const sub = await findSubscription(db, row.subscription_id);
    const wrapped = sub && (await findSubscriptionKey(db, sub.id));
    if (!sub || !wrapped) return null;
    to = PersonCipher.open(ctx.privacy.kek, sub.id, wrapped).decrypt('email', sub.email_enc);
    let link: string;
    if (row.template === 'subscription_verify') {
      const exp = expiresIn(ctx.clock.now(), ctx.config.enrollment.verifyTtlHours * 3600);
      const token = signToken(ctx.privacy.tokens, {
        sub: sub.id,
        purpose: SUBSCRIPTION_VERIFY,
        v: sub.verify_version,
        exp,
      });
      // In the fragment: the page posts it, so it never reaches a server log or a Referer.
      link = `${base}/subscribe/verify#token=${token}`;
    } else {
      link = `${base}/subscribe/manage#token=${manageToken(ctx, sub.id)}`;
    }
    const countries = await listCountries(db, sub.id);
    message = renderSubscriptionMessage(row.template, {
      link,
      notices,
      countries,
      audience: 'subscriber',
      language: messageLanguage(sub.language),
      ...(day && { day }),
    });
    if (bulk) return { to, ...message, headers: listUnsubscribeHeaders(ctx, { subscriptionId: sub.id }) };
  } else {
    const contact = row.contact_id ? await findContact(db, row.contact_id) : undefined;
    const wrapped = contact && (await findWrappedKey(db, contact.person_id));
    if (!contact || !wrapped) return null;
    const cipher = PersonCipher.open(ctx.privacy.kek, contact.person_id, wrapped);
    const link = `${base}/enroll/manage`;
    const person = await findEnrollment(db, contact.person_id);
    // Stopped messages since this was queued (one click in an earlier mail, say): not sent.
    if (!person || person.unsubscribed_at) return null;
    const language = messageLanguage(person.language);
    if (contact.kind === 'phone') {
      // A traveller without a verified email hears of a notice by SMS (a digest goes to subscribers only).
      const d = notices[0];
      if (row.template !== 'advisory_notice' || !d) return null;
      return {
        to: cipher.decrypt('phone', contact.value_enc),
        subject: noticeTitle(d, language),
        text: noticeSms(d, link, language),
      };
    }
    to = cipher.decrypt('email', contact.value_enc);
    message = renderSubscriptionMessage(row.template, { link, notices, audience: 'traveller', language });
    if (bulk)
      return { to, ...message, headers: listUnsubscribeHeaders(ctx, { personId: contact.person_id }) };
  }
  return { to, ...message };
}
