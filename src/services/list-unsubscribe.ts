import type { Context } from '../context.ts';
import { iso } from '../domain/clock.ts';
import { expiresIn, signToken, TokenError, verifyToken } from '../domain/privacy/index.ts';
import { findEnrollment } from '../store/enrollments.ts';
import { updateEnrollmentRow } from '../store/enrollments-self.ts';
import { deleteSubscriptions } from '../store/subscriptions.ts';
import { type Actor, recordAudit } from './audit.ts';

/*
 * One-click unsubscribe from advisory mail (RFC 2369 List-Unsubscribe, RFC 8058 one-click): every
 * notice and digest carries a link a mail client can POST to without the reader opening
 * anything, as the large mailbox providers require of bulk senders. The token in it can do
 * nothing but unsubscribe its recipient: a subscriber's subscription is deleted (as from the
 * manage page), a traveller stops receiving messages (their enrollment stays, as from
 * self-service). A GET of the link only shows a button, so link scanners unsubscribe nobody.
 */

export const LIST_UNSUBSCRIBE = 'list-unsubscribe';
/** How long an unsubscribe link in a message works: mail is read, and searched, long after. */
export const LIST_UNSUBSCRIBE_DAYS = 365;
export const LIST_UNSUBSCRIBE_PATH = '/api/public/unsubscribe';

export type Recipient = { subscriptionId: string } | { personId: string };

/** The headers that let a mail client unsubscribe the recipient in one click. */
export function listUnsubscribeHeaders(ctx: Context, to: Recipient): Record<string, string> {
  const claims = 'subscriptionId' in to ? { sub: to.subscriptionId, k: 's' } : { sub: to.personId, k: 'p' };
  const token = signToken(ctx.privacy.tokens, {
    ...claims,
    purpose: LIST_UNSUBSCRIBE,
    exp: expiresIn(ctx.clock.now(), LIST_UNSUBSCRIBE_DAYS * 86_400),
  });
  return {
    'List-Unsubscribe': `<${ctx.config.publicUrl}${LIST_UNSUBSCRIBE_PATH}?token=${token}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

function recipientOf(ctx: Context, token: string): { kind: 'subscriber' | 'traveller'; id: string } {
  const claims = verifyToken(ctx.privacy.tokens, token, LIST_UNSUBSCRIBE, ctx.clock.now());
  if (claims.k === 's') return { kind: 'subscriber', id: claims.sub };
  if (claims.k === 'p') return { kind: 'traveller', id: claims.sub };
  throw new TokenError('invalid');
}

/** Checks an unsubscribe token without using it (the confirmation page); throws TokenError. */
export const checkListUnsubscribe = (ctx: Context, token: string): 'subscriber' | 'traveller' =>
  recipientOf(ctx, token).kind;

/**
 * Unsubscribes the token's recipient. The same answer every time, and for a recipient already
 * gone (erased, unsubscribed before): a link works however often a mail client uses it.
 */
export async function listUnsubscribe(ctx: Context, actor: Actor, token: string): Promise<void> {
  const { kind, id: sub } = recipientOf(ctx, token);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (kind === 'subscriber') {
      const counts = await deleteSubscriptions(trx, [sub]);
      if (counts.subscriptions > 0)
        await recordAudit(ctx, trx, actor, 'subscription.unsubscribe', `subscription:${sub}`, {
          ...counts,
          via: 'list-unsubscribe',
        });
      return;
    }
    const person = await findEnrollment(trx, sub);
    if (!person || person.unsubscribed_at) return;
    const now = iso(ctx.clock.now());
    await updateEnrollmentRow(trx, sub, { unsubscribed_at: now, updated_at: now });
    await recordAudit(ctx, trx, actor, 'enrollment.unsubscribe', `enrollment:${sub}`, {
      via: 'list-unsubscribe',
    });
  });
}
