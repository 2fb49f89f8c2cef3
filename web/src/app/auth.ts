import type { Static } from 'typebox';
import type { PublicUser } from '../../../src/server/routes/auth/schema.ts';
import { ApiError, apiJson, apiRequest } from './api.ts';

/** The signed-in user (src/server/routes/auth/). */
export type User = Static<typeof PublicUser>;

interface UserResponse {
  user: User;
}

/** The current session's user, or null when there is no valid session. */
export async function fetchCurrentUser(signal?: AbortSignal): Promise<User | null> {
  try {
    const { user } = await apiJson<UserResponse>('/api/auth/me', { signal });
    return user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function login(email: string, password: string): Promise<User> {
  const { user } = await apiJson<UserResponse>('/api/auth/login', {
    method: 'POST',
    body: { email, password },
  });
  return user;
}

export async function logout(): Promise<void> {
  await apiRequest('/api/auth/logout', { method: 'POST' });
}
