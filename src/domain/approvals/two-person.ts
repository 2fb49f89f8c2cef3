import { WardenError } from '../errors.ts';

/**
 * The two-person rule, one mechanism for everything that guards a change with a second person
 * (posture requests and alerts). Two halves:
 *
 * 1. Which changes need a second person. A rule is given by the set of guarded states (e.g.
 *    ordered departure and suspension). A change needs approval whenever it starts OR ends in a
 *    guarded state. Then the only changes one person can make alone stay inside the unguarded
 *    states, so no sequence of single-person changes, however long, can take a subject from a
 *    guarded state to an unguarded one or back: the rule holds for paths, not only for steps.
 *    A rule that only guarded "guarded -> the lowest state" could be walked around through an
 *    intermediate state (ordered -> authorized -> normal), which is why every edge touching the
 *    guarded set counts.
 *
 * 2. Who may approve: nobody who wrote or edited the request, only the exact content they
 *    reviewed (its hash), so an edit after review invalidates the approval, and only until the
 *    request expires.
 */
export interface GuardedStates<S> {
  /** Whether being in this state (with whatever extra it carries) needs two people to enter or leave. */
  readonly guarded: (state: S) => boolean;
}

/** True when the change from -> to needs a second person under the rule. */
export function needsSecondPerson<S>(rule: GuardedStates<S>, from: S, to: S): boolean {
  return rule.guarded(from) || rule.guarded(to);
}

/** What an approver is shown and must echo back. */
export interface Approvable {
  readonly id: string;
  /** Everyone who wrote or edited the request. */
  readonly authors: readonly string[];
  /** Hash of the content as it stands now. */
  readonly contentHash: string;
}

/**
 * Refuses an approval by one of the request's authors (`self_approval`) or of content other than
 * what the approver reviewed (`approval_stale`).
 */
export function checkApprover(request: Approvable, approver: string, reviewedHash: string): void {
  if (request.authors.includes(approver)) {
    throw new WardenError(
      'self_approval',
      'A change you wrote or edited needs another person to approve it.',
      { id: request.id },
    );
  }
  if (reviewedHash !== request.contentHash) {
    throw new WardenError('approval_stale', 'The content changed after you reviewed it; review it again.', {
      id: request.id,
      reviewedHash,
    });
  }
}

export interface ApprovalSubject extends Approvable {
  /** ISO time; null when the subject has no deadline. */
  readonly expiresAt: string | null;
}

/** checkApprover, then `request_expired` once the approval window has closed. */
export function checkApproval(s: ApprovalSubject, approver: string, reviewedHash: string, now: Date): void {
  checkApprover(s, approver, reviewedHash);
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
