import type { Context } from '../../context.ts';
import { findEnrollment } from '../../store/enrollments/enrollments.ts';
import type { Actor } from '../audit/audit.ts';
import { stopMessages } from '../enrollments/self.ts';
import { recipientOf } from './list-unsubscribe-links.ts';
import { removeSubscription } from './subscriptions.ts';

/*
 * One-click unsubscribe from advisory mail (RFC 2369 List-Unsubscribe, RFC 8058 one-click): every
 * notice and digest carries a link a mail client can POST to without the reader opening
 * anything, as the large mailbox providers require of bulk senders. The token in it can do
 * nothing but unsubscribe its recipient: a subscriber's subscription is deleted (as from the
 * manage page), a traveller stops receiving messages (their enrollment stays, as from
 * self-service). A GET of the link only shows a button, so link scanners unsubscribe nobody.
 */

/** Said in the audit entry: the unsubscribe came from a mail client's one click. */
const VIA = { via: 'list-unsubscribe' };

/**
 * Unsubscribes the token's recipient. The same answer every time, and for a recipient already
 * gone (erased, unsubscribed before): a link works however often a mail client uses it.
 */
export async function listUnsubscribe(ctx: Context, actor: Actor, token: string): Promise<void> {
  const { kind, id: sub } = recipientOf(ctx, token);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (kind === 'subscriber') return removeSubscription(ctx, trx, actor, sub, VIA);
    const person = await findEnrollment(trx, sub);
    if (person && !person.unsubscribed_at) await stopMessages(ctx, trx, actor, sub, VIA);
  });
}
