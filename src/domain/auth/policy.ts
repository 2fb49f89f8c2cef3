import type { Principal, ResourceScope, Role } from './principal.ts';

/**
 * Every route declares one rule; a route without one is refused for everybody (deny by default).
 * - public: anyone, signed in or not.
 * - authenticated: any signed-in staff member.
 * - roles: one of these roles; with `scoped`, an officer (and a viewer with a scope) must also hold
 *   the post or country the request touches. admin and crisis_manager act on all posts.
 */
export type AccessRule =
  | { readonly kind: 'public' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'roles'; readonly roles: readonly Role[]; readonly scoped: boolean };

export const Access = {
  public: { kind: 'public' } as AccessRule,
  authenticated: { kind: 'authenticated' } as AccessRule,
  roles: (...roles: Role[]): AccessRule => ({ kind: 'roles', roles, scoped: false }),
  scoped: (...roles: Role[]): AccessRule => ({ kind: 'roles', roles, scoped: true }),
};

export type Decision = 'allow' | 'unauthenticated' | 'forbidden';

export function authorize(principal: Principal | null, rule: AccessRule | undefined): Decision {
  if (!rule) return principal ? 'forbidden' : 'unauthenticated';
  switch (rule.kind) {
    case 'public':
      return 'allow';
    case 'authenticated':
      return principal ? 'allow' : 'unauthenticated';
    case 'roles':
      if (!principal) return 'unauthenticated';
      return rule.roles.includes(principal.role) ? 'allow' : 'forbidden';
    default: {
      const never: never = rule;
      return never;
    }
  }
}

/** Whether the principal may act on the posts / country a request touches. */
export function inScope(principal: Principal, resource: ResourceScope): boolean {
  if (principal.role === 'admin' || principal.role === 'crisis_manager') return true;
  // An unscoped viewer reads everything; an officer with no scope acts nowhere.
  if (principal.role === 'viewer' && principal.scope.length === 0) return true;
  const country = resource.country?.toUpperCase();
  if (country && principal.scope.includes(`country:${country}`)) return true;
  const posts = resource.postIds ?? [];
  return posts.length > 0 && posts.every((id) => principal.scope.includes(`post:${id}`));
}
