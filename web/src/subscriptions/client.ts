import type { Static } from 'typebox';
import type {
  Frequency as FrequencySchema,
  SubscriptionBody,
  SubscriptionOut,
  SubscriptionPatchBody,
} from '../../../src/server/routes/subscriptions/schema.ts';
import { apiJson } from '../app/api.ts';
import { travellerRequest } from '../enrollments/client.ts';

// Advisory e-mail subscriptions without a trip (src/server/routes/subscriptions/public.ts), typed
// by its route schemas.
// The manage link's token is itself the bearer credential for /me and the unsubscribe token.

export type Subscription = Static<typeof SubscriptionOut>['subscription'];
export type Frequency = Static<typeof FrequencySchema>;
export type SubscriptionInput = Static<typeof SubscriptionBody>;
export type SubscriptionChange = Static<typeof SubscriptionPatchBody>;

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

export async function updateMySubscription(token: string, patch: SubscriptionChange): Promise<Subscription> {
  const res = await travellerRequest(token, '/api/public/subscriptions/me', { method: 'PATCH', body: patch });
  return ((await res.json()) as { subscription: Subscription }).subscription;
}
