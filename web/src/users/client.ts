import type { Static } from 'typebox';
import type { SessionSchema, TokenSchema, UserSchema } from '../../../src/server/routes/auth/schema.ts';
import { apiJson, apiRequest } from '../app/api.ts';

// Staff users (admins) and "My account" (everyone): src/server/routes/auth/. Types are the route
// schemas' own.

export type StaffUser = Static<typeof UserSchema>;
export type ApiToken = Static<typeof TokenSchema>;
export type Session = Static<typeof SessionSchema>;

export async function fetchUsers(signal?: AbortSignal): Promise<StaffUser[]> {
  return (await apiJson<{ users: StaffUser[] }>('/api/users', { signal })).users;
}

export function createUser(input: {
  email: string;
  role: string;
  scope: string[];
}): Promise<{ user: StaffUser; password?: string }> {
  return apiJson('/api/users', { method: 'POST', body: input });
}

export async function updateUser(
  id: string,
  patch: { role?: string; scope?: string[]; disabled?: boolean },
): Promise<StaffUser> {
  return (
    await apiJson<{ user: StaffUser }>(`/api/users/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: patch,
    })
  ).user;
}

export async function resetPassword(id: string): Promise<string> {
  return (
    await apiJson<{ password: string }>(`/api/users/${encodeURIComponent(id)}/password-reset`, {
      method: 'POST',
    })
  ).password;
}

/** Own tokens; an admin may name a user. */
export async function fetchTokens(userId: string | null, signal?: AbortSignal): Promise<ApiToken[]> {
  const query = userId ? `?userId=${encodeURIComponent(userId)}` : '';
  return (await apiJson<{ tokens: ApiToken[] }>(`/api/tokens${query}`, { signal })).tokens;
}

export function createToken(input: {
  name: string;
  expiresInDays?: number;
}): Promise<{ token: ApiToken; secret: string }> {
  return apiJson('/api/tokens', { method: 'POST', body: input });
}

export async function revokeToken(id: string): Promise<void> {
  await apiRequest(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await apiRequest('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
}

export async function fetchSessions(signal?: AbortSignal): Promise<Session[]> {
  return (await apiJson<{ sessions: Session[] }>('/api/auth/sessions', { signal })).sessions;
}

export async function endSession(id: string): Promise<void> {
  await apiRequest(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function signOutEverywhere(): Promise<number> {
  return (await apiJson<{ ended: number }>('/api/auth/sign-out-everywhere', { method: 'POST' })).ended;
}
