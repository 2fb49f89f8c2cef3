import type { Context } from '../../context.ts';
import { expiresIn, signToken, TokenError, verifyToken } from '../../domain/privacy/index.ts';

/*
 * The links of one-click unsubscribe (list-unsubscribe.ts): signing them into a message's
 * headers and reading them back. Apart from the action, which needs the subscription and
 * enrollment services, so that rendering a message (messages.ts) imports no cycle.
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

/** Whom an unsubscribe token is for; throws TokenError. */
export function recipientOf(ctx: Context, token: string): { kind: 'subscriber' | 'traveller'; id: string } {
  const claims = verifyToken(ctx.privacy.tokens, token, LIST_UNSUBSCRIBE, ctx.clock.now());
  if (claims.k === 's') return { kind: 'subscriber', id: claims.sub };
  if (claims.k === 'p') return { kind: 'traveller', id: claims.sub };
  throw new TokenError('invalid');
}

/** Checks an unsubscribe token without using it (the confirmation page); throws TokenError. */
export const checkListUnsubscribe = (ctx: Context, token: string): 'subscriber' | 'traveller' =>
  recipientOf(ctx, token).kind;
