import { Type } from 'typebox';
import type { Role } from '../../../domain/auth/principal.ts';
import { domainTyped } from '../../schemas.ts';

/** Response schemas of the auth and user routes shared with the console. */

const RoleOut = domainTyped<Role>(Type.String());

/** The signed-in user as the console knows them (login, /api/auth/me). */
export const PublicUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: RoleOut,
  scope: Type.Array(Type.String()),
  /** Signed in with a one-time password: the console shows only the change-password form. */
  mustChangePassword: Type.Boolean(),
});

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: RoleOut,
  scope: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  disabledAt: Type.Union([Type.String(), Type.Null()]),
  mustChangePassword: Type.Boolean(),
});

/** A staff member as other staff see them: enough to name them (issue 16: "user …8c6086"). */
export const DirectoryEntry = Type.Object({ id: Type.String(), email: Type.String() });

export const SessionSchema = Type.Object({
  id: Type.String({ description: 'SHA-256 of the session cookie (the cookie itself is never stored)' }),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean({ description: 'The session this request came with' }),
});

/** A staff API token as listed (the secret is shown once, at creation, and never again). */
export const TokenSchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
