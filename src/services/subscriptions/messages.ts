import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import type { RenderedMessage } from '../../domain/enrollments/messages.ts';
import { newId } from '../../domain/ids.ts';
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
import {
  findContact,
  findEnrollment,
  findWrappedKey,
  type OutboxRow,
} from '../../store/enrollments/enrollments.ts';
import type { OutboxTable } from '../../store/enrollments/tables.ts';
import { findNotices } from '../../store/subscriptions/notices.ts';
import {
  findSubscription,
  findSubscriptionKey,
  insertOutboxOnce,
  listCountries,
} from '../../store/subscriptions/subscriptions.ts';
import { listUnsubscribeHeaders } from './list-unsubscribe-links.ts';

/*
 * Queuing and rendering of advisory messages (subscriber and traveller). Kept apart from
 * verification.ts, which calls renderSubscriptionOutbox() from its renderOutbox(), and from
 * subscriptions.ts, which queues through here: no import cycle.
 */

export const SUBSCRIPTION_VERIFY = 'subscription-verify';
export const SUBSCRIPTION_MANAGE = 'subscription-manage';

export const outboxId = (): string => `msg_${newId().replace(/-/g, '')}`;

/** An outbox row (not yet written) for a subscriber or a traveller's contact. */
export function outboxRow(
  ctx: Context,
  to: { subscriptionId: string } | { personId: string; contactId: string; channel?: string },
  template: string,
  params: Record<string, unknown>,
  dedupeKey: string | null = null,
): OutboxTable {
  const sub = 'subscriptionId' in to;
  return {
    id: outboxId(),
    channel: sub ? 'email' : (to.channel ?? 'email'),
    template,
    person_id: sub ? null : to.personId,
    contact_id: sub ? null : to.contactId,
    subscription_id: sub ? to.subscriptionId : null,
    dedupe_key: dedupeKey,
    params: JSON.stringify(params),
    status: 'queued',
    attempts: 0,
    last_error: null,
    created_at: iso(ctx.clock.now()),
    sent_at: null,
  };
}

/** Queues one message to a subscriber in the caller's transaction; returns the outbox id. */
export async function queueSubscriptionMessage(
  ctx: Context,
  db: Db,
  subscriptionId: string,
  template: SubscriptionTemplate,
  params: Record<string, unknown> = {},
): Promise<string> {
  const row = outboxRow(ctx, { subscriptionId }, template, params);
  await insertOutboxOnce(db, [row]);
  return row.id;
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
  row: OutboxRow,
): Promise<{ to: string; subject: string; text: string; headers?: Record<string, string> } | null> {
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
