import { WardenError } from '../errors.ts';

/*
 * The two-person rule, one mechanism for everything that needs a second person (alerts here;
 * posture requests check the same three things with the same codes in services/posture.ts):
 * whoever wrote or edited the content cannot approve it, an approval binds to the content hash the
 * approver reviewed, and a request can be approved only until it expires.
 */

export interface ApprovalSubject {
  readonly id: string;
  /** Everyone who wrote or edited the content. */
  readonly authors: readonly string[];
  readonly contentHash: string;
  /** ISO time; null when the subject has no deadline. */
  readonly expiresAt: string | null;
}

/** Throws self_approval, approval_stale or request_expired (in that order of checking). */
export function checkApproval(s: ApprovalSubject, approver: string, reviewedHash: string, now: Date): void {
  if (s.authors.includes(approver)) {
    throw new WardenError(
      'self_approval',
      'A change you wrote or edited needs another person to approve it.',
      {
        id: s.id,
      },
    );
  }
  if (reviewedHash !== s.contentHash) {
    throw new WardenError('approval_stale', 'The content changed after you reviewed it; review it again.', {
      id: s.id,
      reviewedHash,
    });
  }
  if (s.expiresAt !== null && Date.parse(s.expiresAt) <= now.getTime()) {
    throw new WardenError('request_expired', 'The request expired before it was approved; submit it again.', {
      id: s.id,
      expiresAt: s.expiresAt,
    });
  }
}

/** When an approval window opened now closes. */
export const approvalDeadline = (now: Date, ttlHours: number): string =>
  new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
