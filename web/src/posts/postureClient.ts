import type { Static } from 'typebox';
import { canonicalJson } from '../../../src/domain/canonical-json.ts';
import { isDelegating } from '../../../src/domain/posts/posture.ts';
import type { PostureRequestStatus, PostureState } from '../../../src/domain/posts/types.ts';
import type {
  PostureBody,
  PostureChangeOut,
  PostureRequestOut,
  PostureRequestPatch,
  PostureResultOut,
} from '../../../src/server/routes/posts/posture-schema.ts';
import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';
import type { Post } from './client.ts';

// The posture API (src/server/routes/posts/posture.ts), typed by its route schemas.

/** What a posture change says (POST /api/posts/:id/posture body). */
export type PostureInput = Static<typeof PostureBody>;
export type PostureRequestEdit = Static<typeof PostureRequestPatch>;
/** An applied posture change. */
export type PostureChange = Static<typeof PostureChangeOut>;
export type PostureRequest = Static<typeof PostureRequestOut>;
export type PostureRequestContent = PostureRequest['content'];
/** 201: applied at once (change); 202: a request for a second person (request). */
export type PostureResult = Static<typeof PostureResultOut>;
export type { PostureRequestStatus };

/** Anything that reads like a posture: an applied change or a request's content. */
export type PostureFactsLike = Pick<
  PostureRequestContent,
  'state' | 'departure' | 'services' | 'effectiveAt' | 'reason' | 'reviewBy' | 'statement'
> & { coverageDelegateId?: string | null };

/** The posture state a post is in now ('normal' when none was ever recorded). */
export const stateOf = (post: Post): PostureState => post.posture?.state ?? 'normal';

/**
 * The post whose citizens are served by its delegate now: only while it cannot serve them itself
 * (the domain's rule). A post back to normal keeps its delegate for next time, but is not
 * "covered by" it (issue 16: the page said so after Basrah returned to normal).
 */
export const activeDelegateId = (post: Post): string | null =>
  post.coverageDelegateId && isDelegating(stateOf(post), post.posture?.services.citizenServices ?? true)
    ? post.coverageDelegateId
    : null;

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

export async function editPostureRequest(id: string, patch: PostureRequestEdit): Promise<PostureRequest> {
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

// ---- the two-person rule: what the approver signs ------------------------------------------

/** Readable form of the content an approver signs: the canonical key order, indented. */
export function prettyCanonical(value: unknown): string {
  return JSON.stringify(JSON.parse(canonicalJson(value)), null, 2);
}

/**
 * sha256 of the canonical JSON (the server's posture-hash.ts over the same canonicalJson), computed
 * in the browser, so the approver knows the hash they send belongs to the content on their screen.
 * null where WebCrypto is unavailable (plain http).
 */
export async function hashContent(value: unknown): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const bytes = new TextEncoder().encode(canonicalJson(value));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
