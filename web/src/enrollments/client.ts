import type { Static } from 'typebox';
import type {
  EmergencyContactInput,
  EnrollmentBody,
  EnrollmentOut,
  EnrollmentPatchBody,
  MessageOut,
  SessionOut,
  StatsOut,
  TravellerHitOut,
  TripInput as TripInputSchema,
  VerifiedOut,
} from '../../../src/server/routes/enrollments/schema.ts';
import { ApiError, apiJson } from '../app/api.ts';
import { isRecord } from '../app/util.ts';

// Traveller enrollment: the public endpoints (no staff session) and the staff counts, typed by
// the route schemas (src/server/routes/enrollments/).

export type TripInput = Static<typeof TripInputSchema>;
export type EmergencyContact = Static<typeof EmergencyContactInput>;
export type EnrollmentInput = Static<typeof EnrollmentBody>;
export type Enrollment = Static<typeof EnrollmentOut>;
export type Trip = Enrollment['trips'][number];
export type EnrollmentPatch = Static<typeof EnrollmentPatchBody>;
export type TravellerSession = Static<typeof SessionOut>;
export type EnrollmentStats = Static<typeof StatsOut>;
export type CountryEnrollment = EnrollmentStats['countries'][number];

// ---- public, no session ---------------------------------------------------------------------

/** Always 202 "pending_verification", whether or not the contact was enrolled before. */
export async function enroll(input: EnrollmentInput): Promise<void> {
  await apiJson('/api/public/enrollments', { method: 'POST', body: input });
}

export function verifyEmail(token: string): Promise<Static<typeof VerifiedOut>> {
  return apiJson('/api/public/verify', { method: 'POST', body: { token } });
}

export function verifyPhone(phone: string, code: string): Promise<{ status: 'verified' }> {
  return apiJson('/api/public/verify-phone', { method: 'POST', body: { phone, code } });
}

/** The same answer whether or not the address is enrolled. */
export async function requestManageLink(email: string): Promise<void> {
  await apiJson('/api/public/manage-link', { method: 'POST', body: { email } });
}

// ---- traveller session (Authorization: Bearer wtr_…) ----------------------------------------

export function openSession(token: string): Promise<TravellerSession> {
  return apiJson('/api/public/me/session', { method: 'POST', body: { token } });
}

/**
 * A request with the traveller's bearer token. Not through apiRequest: no cookie is wanted here,
 * and a 401 means "the manage link ran out", not "the staff session ended".
 */
export async function travellerRequest(
  session: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${session}` };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection.', null, null);
  }
  if (res.ok) return res;
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: a generic message below.
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  throw new ApiError(
    res.status,
    typeof error?.code === 'string' ? error.code : 'http_error',
    typeof error?.message === 'string' ? error.message : `Request failed (${res.status}).`,
    error?.details ?? null,
    null,
  );
}

/** From the link of a presence reminder (/enroll/confirm#token=…). */
export function confirmPresenceByLink(token: string): Promise<{ status: 'confirmed' | 'already_confirmed' }> {
  return apiJson('/api/public/trips/confirm', { method: 'POST', body: { token } });
}

export async function fetchMine(session: string): Promise<Enrollment> {
  const res = await travellerRequest(session, '/api/public/me');
  return ((await res.json()) as { enrollment: Enrollment }).enrollment;
}

export async function updateMine(session: string, patch: EnrollmentPatch): Promise<Enrollment> {
  const res = await travellerRequest(session, '/api/public/me', { method: 'PATCH', body: patch });
  return ((await res.json()) as { enrollment: Enrollment }).enrollment;
}

/** Everything stored about the traveller, as the JSON file the server sends. */
export async function exportMine(session: string): Promise<Blob> {
  const res = await travellerRequest(session, '/api/public/me/export');
  return res.blob();
}

/** "I am still here" for an open-ended trip. */
export async function confirmMyTrip(session: string, tripId: string): Promise<Enrollment> {
  const res = await travellerRequest(session, `/api/public/me/trips/${encodeURIComponent(tripId)}/confirm`, {
    method: 'POST',
  });
  return ((await res.json()) as { enrollment: Enrollment }).enrollment;
}

export async function unsubscribeMine(session: string): Promise<void> {
  await travellerRequest(session, '/api/public/me/unsubscribe', { method: 'POST' });
}

export async function eraseMine(session: string): Promise<void> {
  await travellerRequest(session, '/api/public/me', { method: 'DELETE' });
}

// ---- staff: counts only ----------------------------------------------------------------------

export function fetchEnrollmentStats(signal?: AbortSignal): Promise<EnrollmentStats> {
  return apiJson<EnrollmentStats>('/api/enrollments/stats', { signal, cache: 'no-cache' });
}

// ---- staff: find a traveller (issue 16); every call carries the reason for the audit log --------

export type TravellerHit = Static<typeof TravellerHitOut>;
export type TravellerMessage = Static<typeof MessageOut>;

export function searchTravellers(input: {
  query: string;
  reason: string;
  country?: string;
}): Promise<{ by: 'email' | 'phone' | 'name'; travellers: TravellerHit[]; truncated: boolean }> {
  return apiJson('/api/enrollments/search', { method: 'POST', body: input });
}

export function travellersIn(
  country: string,
  input: { region?: string; reason: string },
): Promise<{ travellers: TravellerHit[]; truncated: boolean }> {
  return apiJson(`/api/enrollments/countries/${encodeURIComponent(country)}/people`, {
    method: 'POST',
    body: input,
  });
}

export function viewTraveller(
  id: string,
  reason: string,
): Promise<{ enrollment: Enrollment; messages: TravellerMessage[] }> {
  return apiJson(`/api/enrollments/${encodeURIComponent(id)}/view`, { method: 'POST', body: { reason } });
}

/**
 * The reason typed for the last search, offered again when a result is opened: the officer looks
 * for someone and opens them for the same reason, and the read is audited with it all the same.
 */
let lastReason = '';
export const rememberReason = (reason: string) => {
  lastReason = reason;
};
export const rememberedReason = () => lastReason;
