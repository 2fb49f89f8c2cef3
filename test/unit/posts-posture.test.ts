import { describe, expect, it } from 'vitest';
import {
  checkConsistency,
  checkTransition,
  expectedState,
  isDelegating,
  needsApproval,
  promptsAdvisoryReview,
  validatePostureContent,
} from '../../src/domain/posts/posture.ts';
import { contentHash } from '../../src/domain/posts/posture-hash.ts';
import type { PostureContent, PostureRequestContent, PostureState } from '../../src/domain/posts/types.ts';

const STATES: PostureState[] = ['normal', 'authorized_departure', 'ordered_departure', 'suspended'];

const content = (over: Partial<PostureContent> = {}): PostureContent => ({
  state: 'authorized_departure',
  departure: { staff: 'authorized', family: 'authorized' },
  services: { citizenServices: true, visas: false, walkIn: false },
  effectiveAt: null,
  reason: 'Threat increased.',
  reviewBy: '2026-02-01',
  statement: null,
  ...over,
});

describe('posture state machine', () => {
  it('derives the state from the stricter of staff and family departure', () => {
    expect(expectedState({ staff: 'none', family: 'none' })).toBe('normal');
    expect(expectedState({ staff: 'authorized', family: 'none' })).toBe('authorized_departure');
    expect(expectedState({ staff: 'none', family: 'authorized' })).toBe('authorized_departure');
    expect(expectedState({ staff: 'authorized', family: 'ordered' })).toBe('ordered_departure');
    expect(() =>
      checkConsistency('authorized_departure', { staff: 'authorized', family: 'ordered' }),
    ).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        details: expect.objectContaining({ expectedState: 'ordered_departure' }),
      }),
    );
    expect(() => checkConsistency('normal', { staff: 'authorized', family: 'none' })).toThrow();
    expect(() => checkConsistency('suspended', { staff: 'ordered', family: 'authorized' })).toThrow();
    expect(() => checkConsistency('suspended', { staff: 'ordered', family: 'ordered' })).not.toThrow();
  });

  it('refuses the same state again and suspended -> authorized_departure, allows the rest', () => {
    for (const from of STATES) {
      for (const to of STATES) {
        const illegal = from === to || (from === 'suspended' && to === 'authorized_departure');
        if (illegal)
          expect(() => checkTransition(from, to), `${from} -> ${to}`).toThrow(
            expect.objectContaining({ code: 'invalid_transition' }),
          );
        else expect(() => checkTransition(from, to), `${from} -> ${to}`).not.toThrow();
      }
    }
  });

  it('asks for a second person for ordered departure, suspension and the return from either', () => {
    expect(needsApproval('normal', 'authorized_departure')).toBe(false);
    expect(needsApproval('authorized_departure', 'normal')).toBe(false);
    expect(needsApproval('normal', 'ordered_departure')).toBe(true);
    expect(needsApproval('authorized_departure', 'suspended')).toBe(true);
    expect(needsApproval('ordered_departure', 'normal')).toBe(true);
    expect(needsApproval('suspended', 'normal')).toBe(true);
    expect(needsApproval('ordered_departure', 'authorized_departure')).toBe(true);
    expect(promptsAdvisoryReview('authorized_departure')).toBe(true);
    expect(promptsAdvisoryReview('normal')).toBe(false);
    expect(isDelegating('ordered_departure', false)).toBe(true);
    expect(isDelegating('ordered_departure', true)).toBe(false);
    expect(isDelegating('authorized_departure', false)).toBe(false);
  });

  it('checks dates: no future changes, none before the current one, a review date for departures', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    const current = { state: 'normal' as const, effectiveAt: '2026-01-05T00:00:00.000Z' };
    expect(() => validatePostureContent(content(), current, now)).not.toThrow();
    expect(() =>
      validatePostureContent(content({ effectiveAt: '2026-01-11T00:00:00.000Z' }), current, now),
    ).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'effectiveAt' }) }));
    expect(() =>
      validatePostureContent(content({ effectiveAt: '2026-01-01T00:00:00.000Z' }), current, now),
    ).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'effectiveAt' }) }));
    expect(() => validatePostureContent(content({ reviewBy: null }), current, now)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: 'reviewBy' }) }),
    );
    expect(() => validatePostureContent(content({ reviewBy: '2026-01-09' }), current, now)).toThrow();
  });

  it('hashes request content canonically: key order does not matter, any edit does', () => {
    const req: PostureRequestContent = { ...content(), postId: 'p', baseChangeId: 'c', fromState: 'normal' };
    const reordered = JSON.parse(
      JSON.stringify({ fromState: 'normal', ...content(), baseChangeId: 'c', postId: 'p' }),
    );
    expect(contentHash(reordered)).toBe(contentHash(req));
    expect(contentHash(req)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ ...req, reason: 'Threat increased!' })).not.toBe(contentHash(req));
    expect(contentHash({ ...req, coverageDelegateId: null })).not.toBe(contentHash(req));
  });
});
