import { createContext, useContext } from 'react';
import type { User } from './auth.ts';

// Role-aware views: hide buttons a user cannot use. The server remains the authority (deny by
// default, scope checks), so these helpers only mirror src/domain/auth/policy.ts for the UI.

export const UserContext = createContext<User | null>(null);

export function useUser(): User {
  const user = useContext(UserContext);
  if (!user) throw new Error('useUser outside a signed-in shell');
  return user;
}

const HQ_ROLES = new Set(['admin', 'crisis_manager']);

/** Whether the user may act on a post or a country (officers only inside their scope). */
export function inScope(user: User, resource: { postId?: string | null; country?: string | null }): boolean {
  if (HQ_ROLES.has(user.role)) return true;
  if (user.role !== 'officer') return false;
  const country = resource.country?.toUpperCase();
  if (country && user.scope.includes(`country:${country}`)) return true;
  return !!resource.postId && user.scope.includes(`post:${resource.postId}`);
}

export function isReadOnly(user: User): boolean {
  return user.role === 'viewer';
}

export const can = {
  /** POST /api/posts is admin / crisis_manager only. */
  createPost: (user: User) => HQ_ROLES.has(user.role),
  editPost: (user: User, post: { id: string; country: string }) =>
    inScope(user, { postId: post.id, country: post.country }),
  changePosture: (user: User, post: { id: string; country: string }) =>
    inScope(user, { postId: post.id, country: post.country }),
  decidePosture: (user: User, post: { id?: string | null; country?: string | null }) =>
    inScope(user, { postId: post.id ?? null, country: post.country ?? null }),
  editAdvisory: (user: User, country: string) => inScope(user, { country }),
  resolveTask: (user: User, task: { postId: string | null; country: string | null }) =>
    inScope(user, { postId: task.postId, country: task.country }),
};
