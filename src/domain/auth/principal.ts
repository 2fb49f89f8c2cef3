export const ROLES = ['admin', 'crisis_manager', 'officer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** "post:<id>" or "country:<ISO alpha-2>": where an officer (or a scoped viewer) may act. */
export type ScopeEntry = `post:${string}` | `country:${string}`;

export interface Principal {
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly scope: readonly ScopeEntry[];
  readonly via: 'session' | 'token';
  readonly sessionId?: string;
  readonly tokenId?: string;
  /** Signed in with a one-time password: only "me", "change password" and "sign out" are open. */
  readonly mustChangePassword?: boolean;
}

/**
 * An organisation calling with one of its own API tokens (`wor_…`). Not staff: it holds no role,
 * passes only `Access.organisation` rules, and reaches only the people it enrolled itself.
 */
export interface OrganisationPrincipal {
  readonly organisationId: string;
  readonly tokenId: string;
}

/** What a scoped rule asks about: the posts and/or country a request touches. */
export interface ResourceScope {
  readonly postIds?: readonly string[];
  readonly country?: string;
}

const SCOPE_RE = /^(post:[A-Za-z0-9_-]{1,64}|country:[A-Z]{2})$/;

export function parseScope(entries: readonly string[]): { ok: ScopeEntry[]; bad: string[] } {
  const ok: ScopeEntry[] = [];
  const bad: string[] = [];
  for (const raw of entries) {
    const e = raw.trim().replace(/^country:([a-z]{2})$/i, (_, c: string) => `country:${c.toUpperCase()}`);
    if (SCOPE_RE.test(e)) ok.push(e as ScopeEntry);
    else bad.push(raw);
  }
  return { ok: [...new Set(ok)], bad };
}
