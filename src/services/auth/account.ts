import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import {
  deleteSession,
  deleteUserSessions,
  listUserSessions,
  type SessionRecord,
} from '../../store/auth/sessions.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';

/** "My account": the caller's own sessions (issue 16). Nobody reads or ends another user's. */

export interface SessionView {
  readonly id: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly userAgent: string | null;
  /** The session this request came with. */
  readonly current: boolean;
}

function me(actor: Actor) {
  const p = actor.principal;
  if (!p) throw new WardenError('unauthenticated', 'Sign in first.');
  return p;
}

export const presentSession = (s: SessionRecord, currentId: string | undefined): SessionView => ({
  id: s.id,
  createdAt: s.createdAt,
  lastSeenAt: s.lastSeenAt,
  expiresAt: s.expiresAt,
  userAgent: s.userAgent ?? null,
  current: s.id === currentId,
});

export async function listMySessions(ctx: Context, actor: Actor): Promise<SessionView[]> {
  const p = me(actor);
  const rows = await listUserSessions(ctx.store.db, p.userId, iso(ctx.clock.now()));
  return rows.map((s) => presentSession(s, p.sessionId));
}

/** Ends one of the caller's sessions; someone else's session is "not found". */
export async function endMySession(ctx: Context, actor: Actor, id: string): Promise<void> {
  const p = me(actor);
  const mine = await listUserSessions(ctx.store.db, p.userId, iso(ctx.clock.now()));
  if (!mine.some((s) => s.id === id)) throw new WardenError('not_found', 'Session not found.', { id });
  await ctx.store.db.transaction().execute(async (trx) => {
    await deleteSession(trx, id);
    await recordAudit(ctx, trx, actor, 'auth.session_end', `user:${p.userId}`, {
      current: id === p.sessionId,
    });
  });
}

/** "Sign out everywhere": every session of the caller ends, this one included. */
export async function signOutEverywhere(ctx: Context, actor: Actor): Promise<number> {
  const p = me(actor);
  return ctx.store.db.transaction().execute(async (trx) => {
    const ended = await deleteUserSessions(trx, p.userId);
    await recordAudit(ctx, trx, actor, 'auth.sign_out_everywhere', `user:${p.userId}`, { ended });
    return ended;
  });
}
