import { ApiError, apiJson, apiRequest } from './api.ts';

export interface User {
  id: string;
  email: string;
  role: string;
  scope: string[];
}

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

/** 'duty_officer' -> 'Duty officer': roles are identifiers, people read labels. */
export function roleLabel(role: string): string {
  const words = role.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
