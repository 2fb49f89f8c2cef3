import type { Context } from '../../context.ts';
import { dummyPasswordHash, verifyPassword } from '../../domain/auth/passwords.ts';
import type { Principal } from '../../domain/auth/principal.ts';
import { addMinutes, iso } from '../../domain/clock.ts';
import { hmacHex, randomToken, sha256Hex } from '../../domain/crypto.ts';
import { WardenError } from '../../domain/errors.ts';
import { deleteSession, findSession, insertSession, touchSession } from '../../store/auth/sessions.ts';
import { clearThrottle, getThrottle, putThrottle } from '../../store/auth/throttle.ts';
import { findTokenByHash, markTokenUsed } from '../../store/auth/tokens.ts';
import { findUserByEmail, findUserById, type UserWithHash } from '../../store/auth/users.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';

export const SESSION_COOKIE = 'warden_session';
export const TOKEN_PREFIX = 'wdn_';

const principalOf = (u: UserWithHash, via: Principal['via'], extra: Partial<Principal> = {}): Principal => ({
  userId: u.id,
  email: u.email,
  role: u.role,
  scope: u.scope,
  via,
  ...extra,
});

/**
 * Checks a password with a lock-out keyed by a hash of the email (known or not, so the answer
 * never tells whether an account exists) and returns a new session token to set as a cookie.
 */
export async function login(
  ctx: Context,
  actor: Actor,
  emailRaw: string,
  password: string,
): Promise<{ token: string; principal: Principal; expiresAt: string }> {
  const email = emailRaw.trim().toLowerCase();
  const key = hmacHex(ctx.keys.throttle, email);
  const now = ctx.clock.now();
  const throttle = await getThrottle(ctx.store.db, key);
  if (throttle?.lockedUntil && throttle.lockedUntil > iso(now)) {
    const retryAfter = Math.ceil((Date.parse(throttle.lockedUntil) - now.getTime()) / 1000);
    throw new WardenError('rate_limited', 'Too many failed sign-in attempts; try again later.', {
      retryAfter,
    });
  }

  const user = await findUserByEmail(ctx.store.db, email);
  const ok = user
    ? await verifyPassword(user.passwordHash, password)
    : await verifyPassword(await dummyPasswordHash(), password);
  if (!user || !ok || user.disabledAt) {
    const { maxFailures, lockoutMinutes } = ctx.config.login;
    const windowStale =
      !throttle || Date.parse(throttle.windowStartedAt) < addMinutes(now, -lockoutMinutes).getTime();
    const failures = (windowStale ? 0 : throttle.failures) + 1;
    const locked = failures >= maxFailures;
    await ctx.store.db.transaction().execute(async (trx) => {
      await putThrottle(trx, {
        key,
        failures: locked ? 0 : failures,
        windowStartedAt: windowStale ? iso(now) : throttle.windowStartedAt,
        lockedUntil: locked ? iso(addMinutes(now, lockoutMinutes)) : null,
      });
      await recordAudit(
        ctx,
        trx,
        actor,
        locked ? 'auth.locked_out' : 'auth.login_failed',
        user ? `user:${user.id}` : null,
        {
          failures,
        },
      );
    });
    throw new WardenError('invalid_credentials', 'Invalid email or password.');
  }

  const token = randomToken();
  const expiresAt = iso(addMinutes(now, ctx.config.sessionTtlHours * 60));
  const sessionId = sha256Hex(token);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (throttle) await clearThrottle(trx, key);
    await insertSession(trx, {
      id: sessionId,
      userId: user.id,
      createdAt: iso(now),
      expiresAt,
      lastSeenAt: iso(now),
    });
    await recordAudit(
      ctx,
      trx,
      { ...actor, principal: principalOf(user, 'session') },
      'auth.login',
      `user:${user.id}`,
    );
  });
  return { token, principal: principalOf(user, 'session', { sessionId }), expiresAt };
}

export async function logout(ctx: Context, actor: Actor): Promise<void> {
  const sessionId = actor.principal?.sessionId;
  if (!sessionId) return;
  await ctx.store.db.transaction().execute(async (trx) => {
    await deleteSession(trx, sessionId);
    await recordAudit(ctx, trx, actor, 'auth.logout', `user:${actor.principal?.userId}`);
  });
}

export type Resolved =
  | { principal: Principal }
  | { error: 'session_expired' | 'invalid_token' | 'unauthenticated' };

/** Resolves a session cookie token. Unknown, expired or disabled all end the same way for the caller. */
export async function resolveSession(ctx: Context, token: string): Promise<Resolved> {
  const session = await findSession(ctx.store.db, sha256Hex(token));
  if (!session) return { error: 'unauthenticated' };
  const now = iso(ctx.clock.now());
  if (session.expiresAt <= now) {
    await deleteSession(ctx.store.db, session.id);
    return { error: 'session_expired' };
  }
  const user = await findUserById(ctx.store.db, session.userId);
  if (!user || user.disabledAt) return { error: 'unauthenticated' };
  // Write last-seen at most once a minute: a busy console must not turn reads into writes.
  if (Date.parse(now) - Date.parse(session.lastSeenAt) > 60_000)
    await touchSession(ctx.store.db, session.id, now);
  return { principal: principalOf(user, 'session', { sessionId: session.id }) };
}

export async function resolveApiToken(ctx: Context, token: string): Promise<Resolved> {
  if (!token.startsWith(TOKEN_PREFIX)) return { error: 'invalid_token' };
  const found = await findTokenByHash(ctx.store.db, sha256Hex(token));
  const now = iso(ctx.clock.now());
  if (!found || found.revokedAt || (found.expiresAt && found.expiresAt <= now))
    return { error: 'invalid_token' };
  const user = await findUserById(ctx.store.db, found.userId);
  if (!user || user.disabledAt) return { error: 'invalid_token' };
  if (!found.lastUsedAt || Date.parse(now) - Date.parse(found.lastUsedAt) > 60_000) {
    await markTokenUsed(ctx.store.db, found.id, now);
  }
  return { principal: principalOf(user, 'token', { tokenId: found.id }) };
}
