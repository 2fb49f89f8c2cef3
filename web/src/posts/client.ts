import type { MultiPolygon, Polygon } from 'geojson';
import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';
import type { DepartureScope, PostureState } from '../../../src/domain/posts/types.ts';

// Shapes of src/server/routes/posts/index.ts, posture.ts and posts-schemas.ts.

export type AreaGeometry = Polygon | MultiPolygon;

export interface Services {
  citizenServices: boolean;
  visas: boolean;
  walkIn: boolean;
}

export interface Statement {
  text: string;
  by: string;
}

export interface DepartureScope {
  staff: DepartureScope;
  family: DepartureScope;
}

/** What a posture change says (POST /api/posts/:id/posture body). */
export interface PostureInput {
  state: PostureState;
  departure: DepartureScope;
  services: Services;
  /** null or absent: now (at approval for a request). Never in the future. */
  effectiveAt?: string | null;
  reason: string;
  /** YYYY-MM-DD; required for every state but normal. */
  reviewBy?: string | null;
  statement?: Statement | null;
  /** Absent: leave the delegate as it is; null: clear it. */
  coverageDelegateId?: string | null;
}

/** An applied posture change (PostureChangeOut). */
export interface PostureChange {
  id: string;
  postId: string;
  previousState: PostureState | null;
  state: PostureState;
  departure: DepartureScope;
  services: Services;
  effectiveAt: string;
  reason: string;
  reviewBy: string | null;
  statement: Statement | null;
  coverageDelegateId: string | null;
  requestId: string | null;
  createdAt: string;
  createdBy: string;
  approvedBy: string | null;
}

/** Anything that reads like a posture: an applied change or a request's content. */
export interface PostureFactsLike {
  state: PostureState;
  departure: DepartureScope;
  services: Services;
  effectiveAt: string | null;
  reason: string;
  reviewBy: string | null;
  statement: Statement | null;
  coverageDelegateId?: string | null;
}

export interface Contact {
  phone: string | null;
  email: string | null;
  address: string | null;
  hours: string | null;
}

export interface District {
  regions: string[];
  geometry: AreaGeometry | null;
}

export interface Post {
  id: string;
  kind: string;
  name: string;
  city: string;
  country: string;
  location: { lat: number; lon: number };
  contact: Contact;
  district: District;
  coverageDelegateId: string | null;
  /** The newest applied change; null only for a post without any. */
  posture: PostureChange | null;
  pendingRequestId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The posture state a post is in now ('normal' when none was ever recorded). */
export const stateOf = (post: Post): PostureState => post.posture?.state ?? 'normal';

export interface PostInput {
  kind: string;
  name: string;
  city: string;
  country: string;
  location: { lat: number; lon: number };
  contact: Partial<Contact>;
  district: { regions: string[]; geometry: AreaGeometry | null };
}

export async function fetchPosts(signal?: AbortSignal, country?: string): Promise<Post[]> {
  const body = await apiJson<{ posts: Post[] }>(`/api/posts${query({ country })}`, { signal });
  return body.posts;
}

export async function fetchPost(id: string, signal?: AbortSignal): Promise<Post> {
  const body = await apiJson<{ post: Post }>(`/api/posts/${encodeURIComponent(id)}`, { signal });
  return body.post;
}

export async function createPost(input: PostInput): Promise<Post> {
  const body = await apiJson<{ post: Post }>('/api/posts', { method: 'POST', body: input });
  return body.post;
}

/** The country of a post never changes (the server refuses it in PATCH). */
export async function updatePost(id: string, patch: Partial<Omit<PostInput, 'country'>>): Promise<Post> {
  const body = await apiJson<{ post: Post }>(`/api/posts/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: patch,
  });
  return body.post;
}

export async function setCoverageDelegate(postId: string, coverageDelegateId: string | null): Promise<Post> {
  const body = await apiJson<{ post: Post }>(`/api/posts/${encodeURIComponent(postId)}/coverage`, {
    method: 'PUT',
    body: { coverageDelegateId },
  });
  return body.post;
}

// ---- district validation -------------------------------------------------------------------

export interface Overlap {
  postIds: string[];
  postNames: string[];
  regions: string[];
  areaKm2: number;
}

export interface Gap {
  region: string;
  name: string;
  areaKm2: number;
  regionAreaKm2: number;
  partial: boolean;
}

export interface Unserved {
  postId: string;
  name: string;
  problem: string;
}

export interface DistrictReport {
  country: string;
  name: string;
  posts: number;
  ok: boolean;
  overlaps: Overlap[];
  gaps: Gap[];
  unserved: Unserved[];
}

export async function fetchDistrictReport(
  country: string,
  signal?: AbortSignal,
): Promise<DistrictReport | null> {
  const body = await apiJson<{ countries: DistrictReport[] }>(`/api/posts/validation${query({ country })}`, {
    signal,
  });
  return body.countries.find((c) => c.country === country.toUpperCase()) ?? body.countries[0] ?? null;
}

// ---- posture ------------------------------------------------------------------------------

export interface PostureRequestContent extends PostureFactsLike {
  postId: string;
  baseChangeId: string | null;
  fromState: PostureState;
}

export type PostureRequestStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface PostureRequest {
  id: string;
  postId: string;
  status: PostureRequestStatus | string;
  content: PostureRequestContent;
  contentHash: string;
  /** 'user:<id>' */
  requestedBy: string;
  requestedAt: string;
  /** Everyone who wrote the content (requester and editors): none of them may approve it. */
  authors: string[];
  updatedAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  changeId: string | null;
}

export interface Task {
  id: string;
  kind: string;
  title: string;
  country: string | null;
  postId: string | null;
}

/** 201: applied at once (change); 202: a request for a second person (request). */
export interface PostureResult {
  change: PostureChange | null;
  request: PostureRequest | null;
  tasks: Task[];
}

export async function changePosture(postId: string, input: PostureInput): Promise<PostureResult> {
  return apiJson<PostureResult>(`/api/posts/${encodeURIComponent(postId)}/posture`, {
    method: 'POST',
    body: input,
  });
}

export async function fetchPostureHistory(postId: string, signal?: AbortSignal): Promise<PostureChange[]> {
  const body = await apiJson<{ history: PostureChange[] }>(
    `/api/posts/${encodeURIComponent(postId)}/posture`,
    {
      signal,
    },
  );
  return body.history;
}

export async function fetchPostureRequests(
  filter: { status?: PostureRequestStatus; postId?: string } = {},
  signal?: AbortSignal,
): Promise<PostureRequest[]> {
  const body = await apiJson<{ requests: PostureRequest[] }>(`/api/posture-requests${query({ ...filter })}`, {
    signal,
  });
  return body.requests;
}

export async function fetchPostureRequest(id: string, signal?: AbortSignal): Promise<PostureRequest> {
  const body = await apiJson<{ request: PostureRequest }>(`/api/posture-requests/${encodeURIComponent(id)}`, {
    signal,
  });
  return body.request;
}

export async function editPostureRequest(id: string, patch: Partial<PostureInput>): Promise<PostureRequest> {
  const body = await apiJson<{ request: PostureRequest }>(`/api/posture-requests/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: patch,
  });
  return body.request;
}

export async function approvePostureRequest(id: string, contentHash: string): Promise<PostureResult> {
  return apiJson<PostureResult>(`/api/posture-requests/${encodeURIComponent(id)}/approve`, {
    method: 'POST',
    body: { contentHash },
  });
}

export async function rejectPostureRequest(id: string, reason: string): Promise<PostureRequest> {
  const body = await apiJson<{ request: PostureRequest }>(
    `/api/posture-requests/${encodeURIComponent(id)}/reject`,
    {
      method: 'POST',
      body: { reason },
    },
  );
  return body.request;
}

// ---- staff movement restrictions ------------------------------------------------------------

export interface Restriction {
  id: string;
  postId: string;
  country: string;
  regions: string[];
  geometry: AreaGeometry | null;
  reason: string;
  validFrom: string;
  validUntil: string | null;
  taskId: string | null;
  createdAt: string;
  createdBy: string;
  active: boolean;
}

export interface RestrictionInput {
  regions?: string[];
  geometry?: AreaGeometry | null;
  reason: string;
  validFrom?: string;
  validUntil?: string | null;
}

export async function fetchRestrictions(postId: string, signal?: AbortSignal): Promise<Restriction[]> {
  const body = await apiJson<{ restrictions: Restriction[] }>(
    `/api/posts/${encodeURIComponent(postId)}/restrictions`,
    { signal },
  );
  return body.restrictions;
}

export async function createRestriction(
  postId: string,
  input: RestrictionInput,
): Promise<{ restriction: Restriction; task: Task }> {
  return apiJson(`/api/posts/${encodeURIComponent(postId)}/restrictions`, { method: 'POST', body: input });
}

// ---- the two-person rule: what the approver signs ------------------------------------------

/** The server's canonicalJson (src/domain/audit/chain.ts): sorted keys, no spaces, undefined dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Readable form of the same content: the canonical key order, indented. */
export function prettyCanonical(value: unknown): string {
  return JSON.stringify(JSON.parse(canonicalJson(value)), null, 2);
}

/**
 * sha256 of the canonical JSON, computed in the browser, so the approver knows the hash they send
 * belongs to the content on their screen. null where WebCrypto is unavailable (plain http).
 */
export async function hashContent(value: unknown): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const bytes = new TextEncoder().encode(canonicalJson(value));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
