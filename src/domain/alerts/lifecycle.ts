import { approvalDeadline, checkApproval } from '../approvals/two-person.ts';
import { WardenError } from '../errors.ts';
import { alertContentHash } from './hash.ts';
import type { Alert, AlertContent, AlertState } from './types.ts';

/*
 * The alert lifecycle: draft -> pending_approval -> approved -> sending -> sent, and a sent alert
 * becomes updated or cancelled when an Update or Cancel that references it is sent (a sent message
 * is never edited). A pure function of (alert, event, now): services store what it returns.
 */

export interface ApprovalPolicy {
  /** A setting: only Severe and Extreme Actual alerts need a second person. */
  readonly severeOnly: boolean;
  /** How long a submitted alert may wait for approval, and an approved one for sending. */
  readonly ttlHours: number;
}

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = { severeOnly: false, ttlHours: 4 };

/**
 * Actual alerts and updates need a second person. Drills reach only participants, and a Cancel
 * must stay one click away: one person each.
 */
export function needsApproval(c: AlertContent, p: ApprovalPolicy): boolean {
  if (c.status !== 'Actual' || c.msgType === 'Cancel') return false;
  return !p.severeOnly || c.cap.severity === 'Severe' || c.cap.severity === 'Extreme';
}

export type AlertEvent =
  /** Replace the content of a draft (validated by the caller). */
  | { readonly type: 'edit'; readonly by: string; readonly content: AlertContent }
  /** To the approval queue, or straight to approved when no second person is needed. */
  | { readonly type: 'submit'; readonly by: string }
  | { readonly type: 'withdraw'; readonly by: string }
  | { readonly type: 'approve'; readonly by: string; readonly reviewedHash: string }
  | { readonly type: 'reject'; readonly by: string }
  /** Recipients are being handed to the delivery engine. */
  | { readonly type: 'send'; readonly by: string }
  | { readonly type: 'sent' }
  /** An Update or Cancel referencing this alert was sent. */
  | { readonly type: 'supersede'; readonly by: string; readonly msgType: 'Update' | 'Cancel' };

const FROM: Record<AlertEvent['type'], readonly AlertState[]> = {
  edit: ['draft'],
  submit: ['draft'],
  withdraw: ['pending_approval'],
  approve: ['pending_approval'],
  reject: ['pending_approval'],
  send: ['approved'],
  sent: ['sending'],
  supersede: ['sent', 'updated'],
};

/** A new draft; its composer is its first author. */
export function newAlert(id: string, content: AlertContent, by: string, now: Date): Alert {
  const at = now.toISOString();
  return {
    id,
    content,
    contentHash: alertContentHash(content),
    state: 'draft',
    authors: [by],
    createdBy: by,
    createdAt: at,
    updatedAt: at,
    submittedAt: null,
    approvalExpiresAt: null,
    approval: null,
    sentAt: null,
    supersededBy: null,
  };
}

const withAuthor = (authors: readonly string[], by: string): readonly string[] =>
  authors.includes(by) ? authors : [...authors, by];

export function applyAlertEvent(a: Alert, e: AlertEvent, now: Date, policy: ApprovalPolicy): Alert {
  if (e.type === 'supersede' && a.state === 'cancelled') {
    throw new WardenError('already_cancelled', 'The alert is already cancelled.', { id: a.id });
  }
  if (e.type === 'send' && (a.state === 'draft' || a.state === 'pending_approval')) {
    throw new WardenError('approval_required', 'The alert must be approved before it is sent.', {
      id: a.id,
      state: a.state,
    });
  }
  if (
    !FROM[e.type].includes(a.state) ||
    (e.type === 'supersede' && e.msgType === 'Update' && a.state !== 'sent')
  ) {
    throw new WardenError(
      'invalid_transition',
      `An alert that is ${a.state.replace('_', ' ')} cannot take "${e.type}".`,
      {
        id: a.id,
        from: a.state,
        event: e.type,
      },
    );
  }
  const at = now.toISOString();
  const base = { ...a, updatedAt: at };
  switch (e.type) {
    case 'edit':
      return {
        ...base,
        content: e.content,
        contentHash: alertContentHash(e.content),
        authors: withAuthor(a.authors, e.by),
      };
    case 'submit': {
      const second = needsApproval(a.content, policy);
      return {
        ...base,
        state: second ? 'pending_approval' : 'approved',
        authors: withAuthor(a.authors, e.by),
        submittedAt: at,
        approvalExpiresAt: approvalDeadline(now, policy.ttlHours),
        approval: null,
      };
    }
    case 'withdraw':
    case 'reject':
      return { ...base, state: 'draft', approvalExpiresAt: null, approval: null };
    case 'approve':
      checkApproval(
        { id: a.id, authors: a.authors, contentHash: a.contentHash, expiresAt: a.approvalExpiresAt },
        e.by,
        e.reviewedHash,
        now,
      );
      return {
        ...base,
        state: 'approved',
        approval: { by: e.by, at, contentHash: a.contentHash },
        approvalExpiresAt: approvalDeadline(now, policy.ttlHours),
      };
    case 'send':
      checkSendable(a, now, policy);
      return { ...base, state: 'sending' };
    case 'sent':
      return { ...base, state: 'sent', sentAt: at };
    case 'supersede':
      return { ...base, state: e.msgType === 'Cancel' ? 'cancelled' : 'updated', supersededBy: e.by };
    default: {
      const never: never = e;
      throw new TypeError(`unknown alert event ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Sending needs the content the approver saw (its hash, recomputed: a stored row edited behind the
 * service's back is caught too), an approval window still open, and an alert not yet expired.
 */
function checkSendable(a: Alert, now: Date, policy: ApprovalPolicy): void {
  const hash = alertContentHash(a.content);
  if (hash !== a.contentHash || (a.approval && a.approval.contentHash !== hash)) {
    throw new WardenError('approval_stale', 'The alert changed after it was approved; submit it again.', {
      id: a.id,
    });
  }
  if (needsApproval(a.content, policy) && !a.approval) {
    throw new WardenError('approval_required', 'The alert must be approved by a second person.', {
      id: a.id,
    });
  }
  if (a.approvalExpiresAt !== null && Date.parse(a.approvalExpiresAt) <= now.getTime()) {
    throw new WardenError(
      'request_expired',
      'The approval expired before the alert was sent; submit it again.',
      {
        id: a.id,
        expiresAt: a.approvalExpiresAt,
      },
    );
  }
  if (Date.parse(a.content.cap.expires) <= now.getTime()) {
    throw new WardenError('alert_expired', 'The alert has already expired.', {
      id: a.id,
      expires: a.content.cap.expires,
    });
  }
}
