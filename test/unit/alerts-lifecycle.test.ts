import { describe, expect, it } from 'vitest';
import { alertContentHash } from '../../src/domain/alerts/hash.ts';
import {
  type AlertEvent,
  type ApprovalPolicy,
  applyAlertEvent,
  DEFAULT_APPROVAL_POLICY,
  needsApproval,
  newAlert,
} from '../../src/domain/alerts/lifecycle.ts';
import type { Alert } from '../../src/domain/alerts/types.ts';
import { WardenError } from '../../src/domain/errors.ts';
import { DEMONSTRATION, sentAlert } from '../fixtures/alerts/basrah.ts';

const policy = DEFAULT_APPROVAL_POLICY;
const t0 = new Date('2018-09-08T09:40:00Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function refusal(f: () => unknown): WardenError {
  try {
    f();
  } catch (e) {
    if (e instanceof WardenError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** Applies events one after another, a minute apart. */
const run = (a: Alert, events: AlertEvent[], p: ApprovalPolicy = policy): Alert =>
  events.reduce((x, e, i) => applyAlertEvent(x, e, later(i + 1), p), a);

describe('alert lifecycle', () => {
  it('goes draft -> pending approval -> approved -> sending -> sent with a second person', () => {
    const draft = newAlert('a1', DEMONSTRATION, 'user:composer', t0);
    expect(draft).toMatchObject({ state: 'draft', authors: ['user:composer'] });
    expect(draft.contentHash).toBe(alertContentHash(DEMONSTRATION));
    const pending = run(draft, [{ type: 'submit', by: 'user:composer' }]);
    expect(pending.state).toBe('pending_approval');
    expect(pending.approvalExpiresAt).toBe(new Date(later(1).getTime() + 4 * 3_600_000).toISOString());
    const sent = run(pending, [
      { type: 'approve', by: 'user:approver', reviewedHash: draft.contentHash },
      { type: 'send', by: 'user:composer' },
      { type: 'sent' },
    ]);
    expect(sent).toMatchObject({
      state: 'sent',
      approval: { by: 'user:approver', contentHash: draft.contentHash },
      sentAt: later(3).toISOString(),
    });
  });

  it('refuses self-approval, a stale hash and an expired request, with the posture codes', () => {
    const draft = run(newAlert('a1', DEMONSTRATION, 'user:composer', t0), [
      { type: 'edit', by: 'user:editor', content: { ...DEMONSTRATION, includeUnknownLocation: true } },
      { type: 'submit', by: 'user:composer' },
    ]);
    const approve = (by: string, reviewedHash: string, at: Date) =>
      applyAlertEvent(draft, { type: 'approve', by, reviewedHash }, at, policy);
    expect(refusal(() => approve('user:composer', draft.contentHash, later(5))).code).toBe('self_approval');
    expect(refusal(() => approve('user:editor', draft.contentHash, later(5))).code).toBe('self_approval');
    // The approver reviewed the content before the edit: the hash of the area option differs.
    expect(refusal(() => approve('user:approver', alertContentHash(DEMONSTRATION), later(5))).code).toBe(
      'approval_stale',
    );
    expect(refusal(() => approve('user:approver', draft.contentHash, later(5 * 60))).code).toBe(
      'request_expired',
    );
    expect(approve('user:approver', draft.contentHash, later(5)).state).toBe('approved');
  });

  it('binds the approval to the area too', () => {
    const moved = {
      ...DEMONSTRATION,
      area: { ...DEMONSTRATION.area, circles: [{ lat: 30.5, lon: 47.8, radiusKm: 1 }] },
    };
    expect(alertContentHash(moved)).not.toBe(alertContentHash(DEMONSTRATION));
    // Key order does not matter.
    const reordered = Object.fromEntries(Object.entries(DEMONSTRATION).reverse()) as typeof DEMONSTRATION;
    expect(alertContentHash(reordered)).toBe(alertContentHash(DEMONSTRATION));
  });

  it('refuses sending without approval, after the approval expired, or once the alert expired', () => {
    const draft = newAlert('a1', DEMONSTRATION, 'user:composer', t0);
    expect(refusal(() => run(draft, [{ type: 'send', by: 'user:composer' }])).code).toBe('approval_required');
    const pending = run(draft, [{ type: 'submit', by: 'user:composer' }]);
    expect(refusal(() => run(pending, [{ type: 'send', by: 'user:composer' }])).code).toBe(
      'approval_required',
    );
    const approved = run(pending, [
      { type: 'approve', by: 'user:approver', reviewedHash: draft.contentHash },
    ]);
    expect(
      refusal(() => applyAlertEvent(approved, { type: 'send', by: 'x' }, later(10 * 60), policy)).code,
    ).toBe('request_expired');
    const short = {
      ...approved,
      content: { ...approved.content, cap: { ...approved.content.cap, expires: later(5).toISOString() } },
    };
    const rehashed = {
      ...short,
      contentHash: alertContentHash(short.content),
      approval: { ...approved.approval!, contentHash: alertContentHash(short.content) },
    };
    expect(refusal(() => applyAlertEvent(rehashed, { type: 'send', by: 'x' }, later(6), policy)).code).toBe(
      'alert_expired',
    );
    // Content changed in the store behind the service's back.
    expect(refusal(() => applyAlertEvent(short, { type: 'send', by: 'x' }, later(3), policy)).code).toBe(
      'approval_stale',
    );
  });

  it('lets one person send drills, cancels and (by setting) lesser alerts', () => {
    const exercise = { ...DEMONSTRATION, status: 'Exercise' as const };
    expect(needsApproval(exercise, policy)).toBe(false);
    expect(needsApproval({ ...DEMONSTRATION, msgType: 'Cancel' }, policy)).toBe(false);
    const minor = { ...DEMONSTRATION, cap: { ...DEMONSTRATION.cap, severity: 'Minor' as const } };
    expect(needsApproval(minor, policy)).toBe(true);
    expect(needsApproval(minor, { ...policy, severeOnly: true })).toBe(false);
    expect(needsApproval(DEMONSTRATION, { ...policy, severeOnly: true })).toBe(true);
    const sent = run(newAlert('a2', exercise, 'user:composer', t0), [
      { type: 'submit', by: 'user:composer' },
      { type: 'send', by: 'user:composer' },
      { type: 'sent' },
    ]);
    expect(sent).toMatchObject({ state: 'sent', approval: null });
  });

  it('supersedes a sent alert by an update or a cancel, and refuses a second cancel', () => {
    const original = sentAlert();
    const updated = applyAlertEvent(original, { type: 'supersede', by: 'a2', msgType: 'Update' }, t0, policy);
    expect(updated).toMatchObject({ state: 'updated', supersededBy: 'a2' });
    expect(
      refusal(() => applyAlertEvent(updated, { type: 'supersede', by: 'a3', msgType: 'Update' }, t0, policy))
        .code,
    ).toBe('invalid_transition');
    const cancelled = applyAlertEvent(
      updated,
      { type: 'supersede', by: 'a3', msgType: 'Cancel' },
      t0,
      policy,
    );
    expect(cancelled.state).toBe('cancelled');
    expect(
      refusal(() =>
        applyAlertEvent(cancelled, { type: 'supersede', by: 'a4', msgType: 'Cancel' }, t0, policy),
      ).code,
    ).toBe('already_cancelled');
  });

  it('names the state and event of an impossible step, and edits only drafts', () => {
    const sent = sentAlert();
    expect(
      refusal(() => applyAlertEvent(sent, { type: 'edit', by: 'x', content: DEMONSTRATION }, t0, policy)),
    ).toMatchObject({
      code: 'invalid_transition',
      details: { from: 'sent', event: 'edit' },
    });
    const pending = run(newAlert('a1', DEMONSTRATION, 'user:composer', t0), [
      { type: 'submit', by: 'user:composer' },
    ]);
    const back = run(pending, [{ type: 'reject', by: 'user:approver' }]);
    expect(back).toMatchObject({ state: 'draft', approval: null, approvalExpiresAt: null });
    expect(refusal(() => run(pending, [{ type: 'sent' }])).code).toBe('invalid_transition');
  });
});
