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
});

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: RoleOut,
  scope: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  disabledAt: Type.Union([Type.String(), Type.Null()]),
});
