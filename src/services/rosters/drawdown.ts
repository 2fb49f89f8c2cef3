import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { newId, orderedId } from '../../domain/ids.ts';
import type { Post, PostureChange } from '../../domain/posts/types.ts';
import { expiresIn, signToken, TokenError, verifyToken } from '../../domain/privacy/tokens.ts';
import { boardOpensFor, checkStatusChange, headcounts } from '../../domain/rosters/board.ts';
import type {
  DrawdownBoard,
  Headcounts,
  RosterEvent,
  StatusChange,
  StatusSource,
} from '../../domain/rosters/types.ts';
import type { Db } from '../../store/db.ts';
import {
  closeBoard,
  findOpenBoard,
  insertBoard,
  listBoards,
  setBoardState,
} from '../../store/rosters/boards.ts';
import { findMember, listEvents, listMembers, setMemberStatus } from '../../store/rosters/members.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';
import { requirePost } from '../posts/posts.ts';
import { requireMember } from './roster.ts';

/*
 * The drawdown board of a post: opened by the posture change that takes the post out of normal
 * operations, closed (with its final headcounts) by the one that brings it back. Members' statuses
 * are set by staff or by the members themselves through a roster check-in link.
 */

/**
 * Keeps the board in step with a posture change, in the posture change's transaction (called by
 * services/posts/posture.ts): opens one on leaving normal, follows the state while drawn down,
 * closes it on return to normal.
 */
export async function followPosture(ctx: Context, trx: Db, actor: Actor, post: Post, change: PostureChange) {
  const open = await findOpenBoard(trx, post.id);
  const now = iso(ctx.clock.now());
  if (boardOpensFor(change.state)) {
    if (open) {
      if (open.state !== change.state) await setBoardState(trx, open.id, change.state);
      return;
    }
    const board: DrawdownBoard = {
      id: newId(),
      postId: post.id,
      state: change.state,
      openedAt: now,
      openedChangeId: change.id,
      closedAt: null,
      closedChangeId: null,
      finalCounts: null,
    };
    await insertBoard(trx, board);
    await recordAudit(ctx, trx, actor, 'drawdown.open', `post:${post.id}`, {
      boardId: board.id,
      state: change.state,
    });
  } else if (open) {
    const counts = headcounts(await listMembers(trx, post.id), open.id);
    await closeBoard(trx, open.id, now, change.id, counts);
    await recordAudit(ctx, trx, actor, 'drawdown.close', `post:${post.id}`, { boardId: open.id, counts });
  }
}

export interface BoardView {
  readonly board: DrawdownBoard | null;
  /** Live headcounts of the open board (null when none is open). */
  readonly counts: Headcounts | null;
  /** Newest status changes on the open board (ids and statuses, no personal data). */
  readonly events: RosterEvent[];
  /** Every board of the post, newest first (closed ones carry their final counts). */
  readonly history: DrawdownBoard[];
}

/** The board: counts and history are not personal data, so reading them is not audited. */
export async function drawdownBoard(ctx: Context, postId: string): Promise<BoardView> {
  await requirePost(ctx.store.db, postId);
  const db = ctx.store.db;
  const [board, history] = [await findOpenBoard(db, postId), await listBoards(db, postId)];
  if (!board) return { board: null, counts: null, events: [], history };
  const counts = headcounts(await listMembers(db, postId), board.id);
  return { board, counts, events: await listEvents(db, board.id, 200), history };
}

async function recordStatus(
  ctx: Context,
  trx: Db,
  postId: string,
  memberId: string,
  change: StatusChange,
  source: StatusSource,
  by: string,
): Promise<RosterEvent> {
  const board = await findOpenBoard(trx, postId);
  const event: RosterEvent = {
    // Ordered ids: events of the same millisecond still list in the order they happened.
    id: orderedId(),
    postId,
    memberId,
    boardId: board?.id ?? null,
    ...checkStatusChange(change),
    source,
    at: iso(ctx.clock.now()),
    by,
  };
  await setMemberStatus(trx, event);
  return event;
}

/** Staff set where a member is. */
export async function setStatus(
  ctx: Context,
  actor: Actor,
  postId: string,
  memberId: string,
  change: StatusChange,
): Promise<RosterEvent> {
  return ctx.store.db.transaction().execute(async (trx) => {
    await requireMember(trx, postId, memberId);
    const event = await recordStatus(ctx, trx, postId, memberId, change, 'staff', actorId(actor));
    await recordAudit(ctx, trx, actor, 'roster.status', `roster_member:${memberId}`, {
      postId,
      status: event.status,
      boardId: event.boardId,
    });
    return event;
  });
}

/*
 * Roster check-in links: sent to staff (and adult family) on a drawdown board, so each can say
 * themself where they are. Signed, bound to the member and to the board (a link from an earlier
 * drawdown is refused), valid for 14 days; using it again just updates the status (last one counts).
 */
export const ROSTER_CHECKIN_PURPOSE = 'roster.checkin';
const ROSTER_CHECKIN_S = 14 * 86_400;

export const signRosterCheckin = (ctx: Context, memberId: string, boardId: string): string =>
  signToken(ctx.privacy.tokens, {
    sub: memberId,
    purpose: ROSTER_CHECKIN_PURPOSE,
    exp: expiresIn(ctx.clock.now(), ROSTER_CHECKIN_S),
    b: boardId,
  });

export interface RosterCheckinView {
  readonly postName: string;
  readonly memberId: string;
  readonly status: StatusChange;
}

/** The member and open board a roster check-in link is for; TokenError('invalid') otherwise. */
async function openCheckin(ctx: Context, db: Db, token: string) {
  const claims = verifyToken(ctx.privacy.tokens, token, ROSTER_CHECKIN_PURPOSE, ctx.clock.now());
  const member = await findMember(db, claims.sub);
  const board = member ? await findOpenBoard(db, member.postId) : undefined;
  // A removed member, or a board closed since: the link says nothing any more.
  if (!member || !board || board.id !== claims.b) throw new TokenError('invalid');
  return { member, board };
}

/** What the roster check-in page shows: the post and the member's current status, no name. */
export async function rosterCheckinView(ctx: Context, token: string): Promise<RosterCheckinView> {
  const { member } = await openCheckin(ctx, ctx.store.db, token);
  const post = await requirePost(ctx.store.db, member.postId);
  return {
    postName: post.name,
    memberId: member.id,
    status: { status: member.status, location: member.location },
  };
}

/** A member says where they are, by their link. */
export async function answerRosterCheckin(
  ctx: Context,
  actor: Actor,
  token: string,
  change: StatusChange,
): Promise<RosterEvent> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const { member } = await openCheckin(ctx, trx, token);
    const event = await recordStatus(
      ctx,
      trx,
      member.postId,
      member.id,
      change,
      'checkin',
      `roster_member:${member.id}`,
    );
    await recordAudit(ctx, trx, actor, 'roster.checkin', `roster_member:${member.id}`, {
      postId: member.postId,
      status: event.status,
      boardId: event.boardId,
    });
    return event;
  });
}
