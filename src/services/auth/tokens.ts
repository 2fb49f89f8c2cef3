import type { Context } from '../../context.ts';
import type { ApiToken } from '../../domain/auth/users.ts';
import { addMinutes, iso } from '../../domain/clock.ts';
import { randomToken, sha256Hex } from '../../domain/crypto.ts';
import { WardenError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import {
  findToken,
  insertToken,
  listTokens,
  revokeToken as revokeTokenRow,
} from '../../store/auth/tokens.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';
import { TOKEN_PREFIX } from './sessions.ts';

export const presentToken = (t: ApiToken) => ({
  id: t.id,
  userId: t.userId,
  name: t.name,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
});

/** Creates a token for the actor. The secret is returned once; only its hash is stored. */
export async function createToken(
  ctx: Context,
  actor: Actor,
  input: { name: string; expiresInDays?: number },
): Promise<{ token: ApiToken; secret: string }> {
  const p = actor.principal;
  if (!p) throw new WardenError('unauthenticated', 'Sign in first.');
  const now = ctx.clock.now();
  const secret = `${TOKEN_PREFIX}${randomToken()}`;
  const token: ApiToken = {
    id: newId(),
    userId: p.userId,
    name: input.name.trim(),
    createdAt: iso(now),
    expiresAt: input.expiresInDays ? iso(addMinutes(now, input.expiresInDays * 24 * 60)) : null,
    lastUsedAt: null,
    revokedAt: null,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await insertToken(trx, { ...token, tokenHash: sha256Hex(secret) });
    await recordAudit(ctx, trx, actor, 'token.create', `token:${token.id}`, {
      after: { name: token.name, expiresAt: token.expiresAt },
    });
  });
  return { token, secret };
}

/** The caller's tokens; an admin's call lists everyone's, or one user's (`userId`). */
export function listOwnTokens(ctx: Context, actor: Actor, userId?: string): Promise<ApiToken[]> {
  const p = actor.principal;
  if (!p) throw new WardenError('unauthenticated', 'Sign in first.');
  if (p.role === 'admin') return listTokens(ctx.store.db, userId);
  if (userId !== undefined && userId !== p.userId)
    throw new WardenError('forbidden', 'Only an admin lists other people’s tokens.', {});
  return listTokens(ctx.store.db, p.userId);
}

/** Owners revoke their own tokens; an admin may revoke anyone's. Others see "not found", not "forbidden". */
export async function revokeToken(ctx: Context, actor: Actor, id: string): Promise<void> {
  const p = actor.principal;
  const token = await findToken(ctx.store.db, id);
  if (!p || !token || (token.userId !== p.userId && p.role !== 'admin')) {
    throw new WardenError('not_found', 'Token not found.', { id });
  }
  await ctx.store.db.transaction().execute(async (trx) => {
    await revokeTokenRow(trx, id, iso(ctx.clock.now()));
    await recordAudit(ctx, trx, actor, 'token.revoke', `token:${id}`);
  });
}
