import type { Context } from '../../context.ts';
import {
  generatePassword,
  hashPassword,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from '../../domain/auth/passwords.ts';
import { isRole, parseScope, type Role, type ScopeEntry } from '../../domain/auth/principal.ts';
import type { User } from '../../domain/auth/users.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { newId } from '../../domain/ids.ts';
import { deleteUserSessions } from '../../store/auth/sessions.ts';
import { revokeUserTokens } from '../../store/auth/tokens.ts';
import {
  countActiveAdmins,
  countUsers,
  findUserByEmail,
  findUserById,
  insertUser,
  type UserWithHash,
  updateUser as updateUserRow,
} from '../../store/auth/users.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';

export const presentUser = (u: User) => ({
  id: u.id,
  email: u.email,
  role: u.role,
  scope: [...u.scope],
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
  disabledAt: u.disabledAt,
  mustChangePassword: u.mustChangePassword,
});

function validateScope(role: Role, raw: readonly string[]): ScopeEntry[] {
  const { ok, bad } = parseScope(raw);
  if (bad.length > 0) {
    throw new WardenError(
      'invalid_scope',
      'Scope entries must look like "post:<id>" or "country:<ISO alpha-2>".',
      { invalid: bad },
    );
  }
  const geo = loadGeography();
  const unknown = ok.filter((e) => e.startsWith('country:') && !geo.country(e.slice(8)));
  if (unknown.length > 0)
    throw new WardenError('unknown_country', 'Unknown country in scope.', { invalid: unknown });
  if (role === 'officer' && ok.length === 0) {
    throw new WardenError('invalid_scope', 'An officer needs at least one post or country in scope.', {});
  }
  return ok;
}

function validatePassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new WardenError(
      'validation_failed',
      `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`,
      {
        field: 'password',
      },
    );
  }
}

export async function createUser(
  ctx: Context,
  actor: Actor,
  input: {
    email: string;
    role: string;
    scope?: readonly string[];
    password?: string;
    /**
     * Whether the first sign-in must set a new password. Default: when the password is generated
     * (printed once for someone to pass on). An admin creating a user over the API always sets it.
     */
    mustChangePassword?: boolean;
  },
): Promise<{ user: User; password: string }> {
  const email = input.email.trim().toLowerCase();
  if (!isRole(input.role))
    throw new WardenError('validation_failed', `Unknown role "${input.role}".`, { field: 'role' });
  const scope = validateScope(input.role, input.scope ?? []);
  const password = input.password ?? generatePassword();
  validatePassword(password);
  const now = iso(ctx.clock.now());
  const user: UserWithHash = {
    id: newId(),
    email,
    role: input.role,
    scope,
    createdAt: now,
    updatedAt: now,
    disabledAt: null,
    mustChangePassword: input.mustChangePassword ?? input.password === undefined,
    passwordHash: await hashPassword(password),
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    if (await findUserByEmail(trx, email))
      throw new WardenError('email_taken', 'A user with this email exists.', {});
    await insertUser(trx, user);
    await recordAudit(ctx, trx, actor, 'user.create', `user:${user.id}`, {
      after: { role: user.role, scope, email, mustChangePassword: user.mustChangePassword },
    });
  });
  return { user, password };
}

export async function updateUser(
  ctx: Context,
  actor: Actor,
  id: string,
  patch: { role?: string; scope?: readonly string[]; disabled?: boolean },
): Promise<User> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const before = await findUserById(trx, id);
    if (!before) throw new WardenError('not_found', 'User not found.', { id });
    if (patch.role !== undefined && !isRole(patch.role)) {
      throw new WardenError('validation_failed', `Unknown role "${patch.role}".`, { field: 'role' });
    }
    const role = (patch.role ?? before.role) as Role;
    const scope =
      patch.scope !== undefined || role !== before.role
        ? validateScope(role, patch.scope ?? before.scope)
        : undefined;
    const disabledAt =
      patch.disabled === undefined
        ? undefined
        : patch.disabled
          ? (before.disabledAt ?? iso(ctx.clock.now()))
          : null;
    const losesAdmin = before.role === 'admin' && !before.disabledAt && (role !== 'admin' || disabledAt);
    if (losesAdmin && (await countActiveAdmins(trx)) <= 1) {
      throw new WardenError('last_admin', 'The last active admin cannot be demoted or disabled.', {});
    }
    const now = iso(ctx.clock.now());
    await updateUserRow(trx, id, { role, scope, disabledAt, updatedAt: now });
    if (disabledAt || role !== before.role) await deleteUserSessions(trx, id);
    // Disabling revokes the user's API tokens for good: enabling them again must not revive them.
    const tokensRevoked = disabledAt && !before.disabledAt ? await revokeUserTokens(trx, id, now) : 0;
    const after = (await findUserById(trx, id))!;
    await recordAudit(ctx, trx, actor, 'user.update', `user:${id}`, {
      before: { role: before.role, scope: before.scope, disabled: !!before.disabledAt },
      after: { role: after.role, scope: after.scope, disabled: !!after.disabledAt },
      ...(tokensRevoked > 0 && { tokensRevoked }),
    });
    return after;
  });
}

/**
 * Changes the caller's own password. The session asking stays signed in (it just proved the
 * current password), every other session of the user ends, and so does every API token: a
 * password change is often a response to a suspected compromise, and a token made by the
 * intruder must not outlive it. Clears the one-time-password mark.
 */
export async function changePassword(
  ctx: Context,
  actor: Actor,
  current: string,
  next: string,
): Promise<void> {
  const p = actor.principal;
  if (!p) throw new WardenError('unauthenticated', 'Sign in first.');
  const user = await findUserById(ctx.store.db, p.userId);
  if (!user || !(await verifyPassword(user.passwordHash, current))) {
    throw new WardenError('invalid_credentials', 'Current password is wrong.');
  }
  validatePassword(next);
  if (next === current)
    throw new WardenError('validation_failed', 'Choose a password different from the current one.', {
      field: 'newPassword',
    });
  const passwordHash = await hashPassword(next);
  await ctx.store.db.transaction().execute(async (trx) => {
    const now = iso(ctx.clock.now());
    await updateUserRow(trx, user.id, { passwordHash, mustChangePassword: false, updatedAt: now });
    const sessionsEnded = await deleteUserSessions(trx, user.id, p.sessionId);
    const tokensRevoked = await revokeUserTokens(trx, user.id, now);
    await recordAudit(ctx, trx, actor, 'user.password_change', `user:${user.id}`, {
      tokensRevoked,
      sessionsEnded,
      ...(user.mustChangePassword && { replacedOneTime: true }),
    });
  });
}

/**
 * An admin resets someone's password: a new one is generated and returned once, it must be
 * changed at the next sign-in, and the user's sessions and API tokens end.
 */
export async function resetPassword(ctx: Context, actor: Actor, id: string): Promise<string> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await ctx.store.db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, id);
    if (!user) throw new WardenError('not_found', 'User not found.', { id });
    const now = iso(ctx.clock.now());
    await updateUserRow(trx, id, { passwordHash, mustChangePassword: true, updatedAt: now });
    const sessionsEnded = await deleteUserSessions(trx, id);
    const tokensRevoked = await revokeUserTokens(trx, id, now);
    await recordAudit(ctx, trx, actor, 'user.password_reset', `user:${id}`, {
      sessionsEnded,
      tokensRevoked,
    });
  });
  return password;
}

/** Creates the first admin when there are no users at all; returns its one-time password. */
export async function ensureFirstAdmin(ctx: Context, actor: Actor, email = ctx.config.adminEmail) {
  if ((await countUsers(ctx.store.db)) > 0) return null;
  return createUser(ctx, actor, { email, role: 'admin' });
}
