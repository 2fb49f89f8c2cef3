import type { Role, ScopeEntry } from '../../domain/auth/principal.ts';
import type { User } from '../../domain/auth/users.ts';
import type { Db } from '../db.ts';
import type { UserTable } from '../schema.ts';

export interface UserWithHash extends User {
  readonly passwordHash: string;
}

export function userRowToUser(r: UserTable): UserWithHash {
  return {
    id: r.id,
    email: r.email,
    role: r.role as Role,
    scope: JSON.parse(r.scope) as ScopeEntry[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    disabledAt: r.disabled_at,
    mustChangePassword: Number(r.must_change_password) === 1,
    passwordHash: r.password_hash,
  };
}

export async function insertUser(db: Db, u: UserWithHash): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      email: u.email,
      password_hash: u.passwordHash,
      role: u.role,
      scope: JSON.stringify(u.scope),
      created_at: u.createdAt,
      updated_at: u.updatedAt,
      disabled_at: u.disabledAt,
      must_change_password: u.mustChangePassword ? 1 : 0,
    })
    .execute();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserWithHash | undefined> {
  const r = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return r && userRowToUser(r);
}

export async function findUserById(db: Db, id: string): Promise<UserWithHash | undefined> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r && userRowToUser(r);
}

export async function listUsers(db: Db): Promise<UserWithHash[]> {
  return (await db.selectFrom('users').selectAll().orderBy('email').execute()).map(userRowToUser);
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function updateUser(
  db: Db,
  id: string,
  patch: {
    role?: Role;
    scope?: readonly ScopeEntry[];
    disabledAt?: string | null;
    passwordHash?: string;
    mustChangePassword?: boolean;
    updatedAt: string;
  },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(patch.role !== undefined && { role: patch.role }),
      ...(patch.scope !== undefined && { scope: JSON.stringify(patch.scope) }),
      ...(patch.disabledAt !== undefined && { disabled_at: patch.disabledAt }),
      ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
      ...(patch.mustChangePassword !== undefined && {
        must_change_password: patch.mustChangePassword ? 1 : 0,
      }),
      updated_at: patch.updatedAt,
    })
    .where('id', '=', id)
    .execute();
}

/** id and email of every staff user: the console names people by email, not by id (issue 16). */
export async function listUserDirectory(db: Db): Promise<Array<{ id: string; email: string }>> {
  return db.selectFrom('users').select(['id', 'email']).orderBy('email').execute();
}
