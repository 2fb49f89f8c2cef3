import { expiresIn, signToken, type TokenClaims, TokenError, verifyToken } from '../privacy/tokens.ts';
import type { AnswerChannel } from './types.ts';

/*
 * The signed parts of check-in links. One token per recipient, alert and channel:
 *   - `checkin.answer`: the one-click links of an email (`/checkin/<token>?answer=safe|need_help`);
 *     the answer sits outside the token, so both links share one token and the page can change it;
 *   - `checkin.callback`: the URL an organisation's system POSTs answers to (webhook channel).
 * Tokens carry ids only, never a name or contact, and are signed with the privacy `tokens` key.
 * They outlive the deadline by ANSWER_GRACE_S: a late answer is still an answer (flagged late).
 */

export const ANSWER_PURPOSE = 'checkin.answer';
export const CALLBACK_PURPOSE = 'checkin.callback';
/** Answers are taken for a week after the deadline (people answer late after a blackout). */
export const ANSWER_GRACE_S = 7 * 86_400;
/** Without a deadline, links live this long after they are made. */
export const DEFAULT_LIFETIME_S = 14 * 86_400;

export interface AnswerTokenSubject {
  readonly alertId: string;
  readonly recipientId: string;
  readonly channel: Exclude<AnswerChannel, 'staff'>;
}

export type TokenPurpose = typeof ANSWER_PURPOSE | typeof CALLBACK_PURPOSE;

/** Seconds-since-epoch expiry of a check-in link: deadline + grace, or now + default lifetime. */
export function answerTokenExpiry(now: Date, deadline: string | null): number {
  if (deadline === null) return expiresIn(now, DEFAULT_LIFETIME_S);
  return Math.max(expiresIn(new Date(deadline), ANSWER_GRACE_S), expiresIn(now, 3600));
}

export function signAnswerToken(
  key: Buffer,
  purpose: TokenPurpose,
  s: AnswerTokenSubject,
  exp: number,
): string {
  const claims: TokenClaims = { sub: s.recipientId, purpose, exp, a: s.alertId, c: s.channel };
  return signToken(key, claims);
}

/**
 * The subject of a genuine, unexpired token of `purpose`; throws TokenError otherwise (forged,
 * altered, another purpose: `invalid`; genuine but old: `expired`).
 */
export function verifyAnswerToken(
  key: Buffer,
  purpose: TokenPurpose,
  token: string,
  now: Date,
): AnswerTokenSubject {
  const claims = verifyToken(key, token, purpose, now);
  const { a, c } = claims;
  if (typeof a !== 'string' || (c !== 'email' && c !== 'sms' && c !== 'webhook')) {
    // Signed by us but not shaped like ours: as invalid as any other.
    throw new TokenError('invalid');
  }
  return { alertId: a, recipientId: claims.sub, channel: c };
}
