import { WardenError } from '../errors.ts';
import type { PostureState } from '../posts/types.ts';
import type { Headcounts, MemberStatus, RosterMember, StatusChange } from './types.ts';

/** A drawdown board is open while the post is not in normal operations. */
export const boardOpensFor = (state: PostureState): boolean => state !== 'normal';

/** Whether a member counts as accounted for on the board `boardId`: a status given on that board. */
export const isAccounted = (m: Pick<RosterMember, 'status' | 'statusBoardId'>, boardId: string): boolean =>
  m.status !== 'at_post' && m.statusBoardId === boardId;

/**
 * Headcounts of a board. A status given before the board opened (on no board, or an earlier one) does not count: people move in a
 * crisis, so everyone must be accounted for again (at_post is never "accounted": during a drawdown
 * a member at post is either confirmed remaining or not yet heard from).
 */
export function headcounts(
  members: Iterable<Pick<RosterMember, 'status' | 'statusBoardId' | 'essential'>>,
  boardId: string,
): Headcounts {
  const c = { total: 0, departed: 0, relocated: 0, remaining: 0, unaccounted: 0, essentialRemaining: 0 };
  for (const m of members) {
    c.total++;
    if (!isAccounted(m, boardId)) {
      c.unaccounted++;
      continue;
    }
    const s = m.status as Exclude<MemberStatus, 'at_post'>;
    c[s]++;
    if (s === 'remaining' && m.essential) c.essentialRemaining++;
  }
  return c;
}

export const LOCATION_MAX = 200;

/** Checks a status change: relocated needs a place; at_post and remaining take none. */
export function checkStatusChange(s: StatusChange): StatusChange {
  const location = s.location?.trim() || null;
  if (location !== null && location.length > LOCATION_MAX) {
    throw new WardenError('validation_failed', `The location is longer than ${LOCATION_MAX} characters.`, {
      field: 'location',
    });
  }
  if (s.status === 'relocated' && location === null) {
    throw new WardenError('validation_failed', 'Say where the member relocated to.', { field: 'location' });
  }
  if ((s.status === 'at_post' || s.status === 'remaining') && location !== null) {
    throw new WardenError('validation_failed', `A member who is ${s.status} has no other location.`, {
      field: 'location',
    });
  }
  return { status: s.status, location };
}
