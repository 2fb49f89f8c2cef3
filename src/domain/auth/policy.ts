import type { OrganisationPrincipal, Principal, ResourceScope, Role } from './principal.ts';

/**
 * Every route declares one rule; a route without one is refused for everybody (deny by default).
 * - public: anyone, signed in or not.
 * - authenticated: any signed-in staff member.
 * - roles: one of these roles; with `scoped`, an officer (and a viewer with a scope) must also hold
 *   the post or country the request touches. admin and crisis_manager act on all posts.
 * - organisation: an organisation's own token (`wor_…`) and nothing else; staff are refused, and an
 *   organisation token is refused on every staff rule.
 */
export type AccessRule =
  | { readonly kind: 'public' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'roles'; readonly roles: readonly Role[]; readonly scoped: boolean }
  | { readonly kind: 'organisation' };

export const Access = {
  public: { kind: 'public' } as AccessRule,
  authenticated: { kind: 'authenticated' } as AccessRule,
  roles: (...roles: Role[]): AccessRule => ({ kind: 'roles', roles, scoped: false }),
  scoped: (...roles: Role[]): AccessRule => ({ kind: 'roles', roles, scoped: true }),
  organisation: { kind: 'organisation' } as AccessRule,
};

export type Decision = 'allow' | 'unauthenticated' | 'forbidden';

/** `organisation` is the caller when it presented an organisation token (then `principal` is null). */
export function authorize(
  principal: Principal | null,
  rule: AccessRule | undefined,
  organisation: OrganisationPrincipal | null = null,
): Decision {
  // Someone identified, but not as what the rule asks for: forbidden, not "sign in".
  const other = principal || organisation ? 'forbidden' : 'unauthenticated';
  if (!rule) return other;
  switch (rule.kind) {
    case 'public':
      return 'allow';
    case 'organisation':
      return organisation ? 'allow' : other;
    case 'authenticated':
      return principal ? 'allow' : other;
    case 'roles':
      if (!principal) return other;
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
