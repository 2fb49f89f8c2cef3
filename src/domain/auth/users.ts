import type { Role, ScopeEntry } from './principal.ts';

/** A staff account (its password hash stays in the store). */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly scope: readonly ScopeEntry[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly disabledAt: string | null;
  /** The password is one someone else chose or printed: its owner must set their own first. */
  readonly mustChangePassword: boolean;
}

/** A staff API token (`wdn_…`): shown once, only its hash is kept. */
export interface ApiToken {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}
