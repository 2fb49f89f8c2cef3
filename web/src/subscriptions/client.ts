import { apiJson } from '../app/api.ts';
import { travellerRequest } from '../enrollments/client.ts';

// Advisory e-mail subscriptions without a trip (src/server/routes/subscriptions/public.ts).
// The manage link's token is itself the bearer credential for /me and the unsubscribe token.

export type Frequency = 'immediate' | 'daily';

export interface SubscriptionInput {
  email: string;
  countries: string[];
  frequency: Frequency;
  language: string;
}

export interface Subscription {
  email: string;
  countries: string[];
  frequency: Frequency;
  language: string;
  verifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Always 202, whether or not the address was subscribed before. */
export async function subscribe(input: SubscriptionInput): Promise<void> {
  await apiJson('/api/public/subscriptions', { method: 'POST', body: input });
}

export function verifySubscription(token: string): Promise<{ status: 'verified' | 'already_verified' }> {
  return apiJson('/api/public/subscriptions/verify', { method: 'POST', body: { token } });
}

/** The same answer whether or not the address is subscribed. */
export async function requestSubscriptionLink(email: string): Promise<void> {
  await apiJson('/api/public/subscriptions/manage-link', { method: 'POST', body: { email } });
}

/** Deletes the subscription. */
export async function unsubscribe(token: string): Promise<void> {
  await apiJson('/api/public/subscriptions/unsubscribe', { method: 'POST', body: { token } });
}

export async function fetchMySubscription(token: string): Promise<Subscription> {
  const res = await travellerRequest(token, '/api/public/subscriptions/me');
  return ((await res.json()) as { subscription: Subscription }).subscription;
}

export async function updateMySubscription(
  token: string,
  patch: Partial<Pick<Subscription, 'countries' | 'frequency' | 'language'>>,
): Promise<Subscription> {
  const res = await travellerRequest(token, '/api/public/subscriptions/me', { method: 'PATCH', body: patch });
  return ((await res.json()) as { subscription: Subscription }).subscription;
}
