import { WardenError } from '../errors.ts';
import { isDrawnDown } from './two-person.ts';
import type { Departure, DepartureScope, PostureContent, PostureState } from './types.ts';

// Pure rules (no Node imports): the console imports this module to offer only the moves and
// departure scopes the server accepts. The approval hash lives in posture-hash.ts.

const RANK: Record<DepartureScope, number> = { none: 0, authorized: 1, ordered: 2 };

/**
 * Posture must agree with the departure scopes (the stricter of staff and family decides):
 * - normal: nobody is departing;
 * - authorized_departure: someone may leave, nobody must (e.g. authorized for staff and family);
 * - ordered_departure: someone must leave (authorized for staff + ordered for family counts);
 * - suspended: operations stop, so staff and family are both ordered out.
 */
export function expectedState(d: Departure): Exclude<PostureState, 'suspended'> {
  const top = Math.max(RANK[d.staff], RANK[d.family]);
  return top === 0 ? 'normal' : top === 1 ? 'authorized_departure' : 'ordered_departure';
}

/** Whether the departure scopes fit the posture (see expectedState; suspension orders everybody out). */
export const departureFits = (state: PostureState, d: Departure): boolean =>
  state === 'suspended' ? d.staff === 'ordered' && d.family === 'ordered' : expectedState(d) === state;

export function checkConsistency(state: PostureState, d: Departure): void {
  if (!departureFits(state, d)) {
    const expected = state === 'suspended' ? { staff: 'ordered', family: 'ordered' } : undefined;
    throw new WardenError(
      'validation_failed',
      `Departure scope (staff ${d.staff}, family ${d.family}) does not fit ${state}.`,
      {
        field: 'departure',
        path: '/departure',
        state,
        ...(expected ? { expected } : { expectedState: expectedState(d) }),
      },
    );
  }
}

/**
 * Legal moves of the posture state machine; the reason a move is refused, or null. Refused:
 * - the same state again: a change must change something visible to staff and public alike
 *   (services or scope adjustments within a state are a new change only via another state);
 * - suspended -> authorized_departure: a suspended post has no staff at post; it reopens under
 *   ordered_departure (emergency staff only) or straight to normal, never with voluntary departure.
 * Everything else is allowed, including stepping down (ordered -> authorized) and returning to normal.
 */
export function transitionRefusal(from: PostureState, to: PostureState): string | null {
  if (from === to) return `The post is already ${to}.`;
  if (from === 'suspended' && to === 'authorized_departure') {
    return 'A suspended post resumes under ordered departure or normal operations.';
  }
  return null;
}

export function checkTransition(from: PostureState, to: PostureState): void {
  const refusal = transitionRefusal(from, to);
  if (refusal === null) return;
  const details = from === to ? { from, to } : { from, to, allowed: ['ordered_departure', 'normal'] };
  throw new WardenError('invalid_transition', refusal, details);
}

// The two-person rule lives in its own module (no node:crypto) so the console imports it too.
export { isDrawnDown, needsApproval } from './two-person.ts';

/** Any departure or suspension prompts a review of the country's advisory. */
export const promptsAdvisoryReview = (to: PostureState): boolean => to !== 'normal';

/** Whether the post's district is served by its delegate instead of the post itself. */
export const isDelegating = (state: PostureState, citizenServices: boolean): boolean =>
  isDrawnDown({ state }) && !citizenServices;

/** Changes may not be dated in the future: "now" must be answerable without a scheduler. */
export const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Checks a change's content against the current posture: transition, departure scope, dates.
 * `effectiveAt` is when it would apply (the given one, or now).
 */
export function validatePostureContent(
  c: PostureContent,
  current: { state: PostureState; effectiveAt: string } | null,
  now: Date,
): void {
  if (current) checkTransition(current.state, c.state);
  checkConsistency(c.state, c.departure);
  const effectiveAt = c.effectiveAt ?? now.toISOString();
  if (Date.parse(effectiveAt) > now.getTime() + FUTURE_SKEW_MS) {
    throw new WardenError('validation_failed', 'A posture change cannot take effect in the future.', {
      field: 'effectiveAt',
      path: '/effectiveAt',
    });
  }
  if (current && effectiveAt < current.effectiveAt) {
    throw new WardenError(
      'validation_failed',
      'A change cannot take effect before the current posture did.',
      {
        field: 'effectiveAt',
        path: '/effectiveAt',
        currentEffectiveAt: current.effectiveAt,
      },
    );
  }
  if (c.state !== 'normal' && !c.reviewBy) {
    throw new WardenError('validation_failed', 'A departure or suspension needs a review-by date.', {
      field: 'reviewBy',
      path: '/reviewBy',
    });
  }
  if (c.reviewBy && c.reviewBy < effectiveAt.slice(0, 10)) {
    throw new WardenError('validation_failed', 'The review-by date is before the change takes effect.', {
      field: 'reviewBy',
      path: '/reviewBy',
    });
  }
}
