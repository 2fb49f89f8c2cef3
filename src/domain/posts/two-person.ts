import { needsSecondPerson } from '../approvals/two-person.ts';
import type { Departure, PostureState } from './types.ts';

const SEVERE: ReadonlySet<PostureState> = new Set(['ordered_departure', 'suspended']);

type Posture = { readonly state: PostureState; readonly departure?: Departure };

/**
 * A post is drawn down when it is on ordered departure or suspended, or when anyone (staff or
 * family) is ordered out. The state machine keeps both in step (checkConsistency), but the
 * two-person rule looks at both so it still holds if scope edits within a state are ever allowed.
 */
export const isDrawnDown = (p: Posture): boolean =>
  SEVERE.has(p.state) || p.departure?.staff === 'ordered' || p.departure?.family === 'ordered';

/**
 * The two-person rule for posture: any change that starts or ends drawn down needs a second
 * person (ordered -> authorized as much as ordered -> normal, ordered <-> suspended too). One
 * officer alone can only move between normal and authorized departure, so no chain of
 * single-officer changes can draw a post down or bring it back (docs/security.md).
 */
export function needsApproval(from: PostureState | Posture, to: PostureState | Posture): boolean {
  const f = typeof from === 'string' ? { state: from } : from;
  const t = typeof to === 'string' ? { state: to } : to;
  return needsSecondPerson({ guarded: isDrawnDown }, f, t);
}
