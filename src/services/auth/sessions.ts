import type { Context } from '../../context.ts';
import { dummyPasswordHash, verifyPassword } from '../../domain/auth/passwords.ts';
import type { Principal } from '../../domain/auth/principal.ts';
import { addMinutes, iso } from '../../domain/clock.ts';
import { hmacHex, randomToken, sha256Hex } from '../../domain/crypto.ts';
import { WardenError } from '../../domain/errors.ts';
import { deleteSession, findSession, insertSession, touchSession } from '../../store/auth/sessions.ts';
import { clearThrottle, getThrottle, putThrottle, type ThrottleState } from '../../store/auth/throttle.ts';
import { findTokenByHash, markTokenUsed } from '../../store/auth/tokens.ts';
import { findUserByEmail, findUserById, type UserWithHash } from '../../store/auth/users.ts';
import { hitThrottle } from '../../store/enrollments/enrollments.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';

export const SESSION_COOKIE = 'warden_session';
export const TOKEN_PREFIX = 'wdn_';

const principalOf = (u: UserWithHash, via: Principal['via'], extra: Partial<Principal> = {}): Principal => ({
  userId: u.id,
  email: u.email,
  role: u.role,
  scope: u.scope,
  via,
  ...(u.mustChangePassword && { mustChangePassword: true }),
  ...extra,
});

/** A throttle row's lock, as a refusal with Retry-After, or null when not locked now. */
function lockedNow(t: ThrottleState | undefined, now: Date): WardenError | null {
  if (!t?.lockedUntil || t.lockedUntil <= iso(now)) return null;
  const retryAfter = Math.ceil((Date.parse(t.lockedUntil) - now.getTime()) / 1000);
  return new WardenError('rate_limited', 'Too many failed sign-in attempts; try again later.', {
    retryAfter,
  });
}

/** Counts a failure on a throttle row; locks it for `minutes` once `max` failures are in its window. */
function failed(
  key: string,
  t: ThrottleState | undefined,
  now: Date,
  window: number,
  max: number,
  minutes: number,
): ThrottleState & { locked: boolean; count: number } {
  const stale = !t || Date.parse(t.windowStartedAt) < addMinutes(now, -window).getTime();
  const count = (stale ? 0 : t.failures) + 1;
  const locked = count >= max;
  return {
    key,
    failures: locked ? 0 : count,
    windowStartedAt: stale ? iso(now) : t.windowStartedAt,
    lockedUntil: locked ? iso(addMinutes(now, minutes)) : null,
    locked,
    count,
  };
}

/**
 * Sign-in attempts per client address per minute, counted in the store so that every process
 * serving the same database shares the count (issue 11: it was per process).
 */
async function limitAddress(ctx: Context, ip: string, now: Date): Promise<void> {
  const key = `login-ip:${hmacHex(ctx.keys.throttle, `ip:${ip}`)}`;
  const since = iso(new Date(now.getTime() - 60_000));
  const { count, windowStartedAt } = await hitThrottle(ctx.store.db, key, iso(now), since);
  if (count > ctx.config.login.perIpPerMinute) {
    const retryAfter = Math.max(1, Math.ceil((Date.parse(windowStartedAt) + 60_000 - now.getTime()) / 1000));
    throw new WardenError('rate_limited', 'Too many sign-in attempts from this address.', { retryAfter });
  }
}

/**
 * Checks a password and returns a new session token to set as a cookie. Failures are counted
 * twice, each keyed by an HMAC of the email, known or not (so no answer tells whether an account
 * exists):
 * - per account AND client address: `maxFailures` lock that pair for `lockoutMinutes`, so
 *   guessing from one address stops there, and the owner signing in from elsewhere is not
 *   locked out (issue 11: five bad passwords locked any named account for everyone);
 * - per account, from every address: `accountMaxFailures` within `lockoutMinutes` lock the
 *   account for `accountLockoutMinutes`, a slower and shorter brake on guessing spread over many
 *   addresses. One address adds at most `maxFailures` to it per window.
 */
export async function login(
  ctx: Context,
  actor: Actor,
  emailRaw: string,
  password: string,
  ip = 'unknown',
  userAgent: string | null = null,
): Promise<{ token: string; principal: Principal; expiresAt: string }> {
  const email = emailRaw.trim().toLowerCase();
  const now = ctx.clock.now();
  await limitAddress(ctx, ip, now);
  const accountKey = hmacHex(ctx.keys.throttle, email);
  const pairKey = hmacHex(ctx.keys.throttle, `${email}\n${ip}`);
  const [pair, account] = [
    await getThrottle(ctx.store.db, pairKey),
    await getThrottle(ctx.store.db, accountKey),
  ];
  const refusal = lockedNow(pair, now) ?? lockedNow(account, now);
  if (refusal) throw refusal;

  const user = await findUserByEmail(ctx.store.db, email);
  const ok = user
    ? await verifyPassword(user.passwordHash, password)
    : await verifyPassword(await dummyPasswordHash(), password);
  if (!user || !ok || user.disabledAt) {
    const l = ctx.config.login;
    const p = failed(pairKey, pair, now, l.lockoutMinutes, l.maxFailures, l.lockoutMinutes);
    const a = failed(
      accountKey,
      account,
      now,
      l.lockoutMinutes,
      l.accountMaxFailures,
      l.accountLockoutMinutes,
    );
    await ctx.store.db.transaction().execute(async (trx) => {
      await putThrottle(trx, p);
      await putThrottle(trx, a);
      await recordAudit(
        ctx,
        trx,
        actor,
        p.locked || a.locked ? 'auth.locked_out' : 'auth.login_failed',
        user ? `user:${user.id}` : null,
        {
          failures: p.count,
          accountFailures: a.count,
          ...((p.locked || a.locked) && { lock: a.locked ? 'account' : 'address' }),
        },
      );
    });
    throw new WardenError('invalid_credentials', 'Invalid email or password.');
  }

  const token = randomToken();
  const expiresAt = iso(addMinutes(now, ctx.config.sessionTtlHours * 60));
  const sessionId = sha256Hex(token);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (pair) await clearThrottle(trx, pairKey);
    await insertSession(trx, {
      id: sessionId,
      userId: user.id,
      createdAt: iso(now),
      expiresAt,
      lastSeenAt: iso(now),
      userAgent: userAgent?.slice(0, 300) ?? null,
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
