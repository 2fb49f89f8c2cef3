import type { Static } from 'typebox';
import type {
  DistrictReportOut,
  PostBody,
  PostOut,
  PostPatch,
  RestrictionBody,
  RestrictionOut,
} from '../../../src/server/routes/posts/schema.ts';
import type { TaskOut } from '../../../src/server/routes/tasks/schema.ts';
import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';

// The posts API (src/server/routes/posts/index.ts). Types are the route schemas' own, so the
// console and the server cannot drift apart.

export type { AreaGeometry } from '../../../src/domain/geo/types.ts';
export type Post = Static<typeof PostOut>;
export type PostInput = Static<typeof PostBody>;
export type PostPatchInput = Static<typeof PostPatch>;
export type DistrictReport = Static<typeof DistrictReportOut>;
export type Restriction = Static<typeof RestrictionOut>;
export type RestrictionInput = Static<typeof RestrictionBody>;
type Task = Static<typeof TaskOut>;

const path = (id: string) => `/api/posts/${encodeURIComponent(id)}`;

export async function fetchPosts(signal?: AbortSignal, country?: string): Promise<Post[]> {
  const body = await apiJson<{ posts: Post[] }>(`/api/posts${query({ country })}`, { signal });
  return body.posts;
}

export async function fetchPost(id: string, signal?: AbortSignal): Promise<Post> {
  const body = await apiJson<{ post: Post }>(path(id), { signal });
  return body.post;
}

export async function createPost(input: PostInput): Promise<Post> {
  const body = await apiJson<{ post: Post }>('/api/posts', { method: 'POST', body: input });
  return body.post;
}

/** The country of a post never changes (the server refuses it in PATCH). */
export async function updatePost(id: string, patch: PostPatchInput): Promise<Post> {
  const body = await apiJson<{ post: Post }>(path(id), { method: 'PATCH', body: patch });
  return body.post;
}

export async function setCoverageDelegate(postId: string, coverageDelegateId: string | null): Promise<Post> {
  const body = await apiJson<{ post: Post }>(`${path(postId)}/coverage`, {
    method: 'PUT',
    body: { coverageDelegateId },
  });
  return body.post;
}

// ---- district validation -------------------------------------------------------------------

export async function fetchDistrictReport(
  country: string,
  signal?: AbortSignal,
): Promise<DistrictReport | null> {
  const body = await apiJson<{ countries: DistrictReport[] }>(`/api/posts/validation${query({ country })}`, {
    signal,
  });
  return body.countries.find((c) => c.country === country.toUpperCase()) ?? body.countries[0] ?? null;
}

// ---- staff movement restrictions ------------------------------------------------------------

export async function fetchRestrictions(postId: string, signal?: AbortSignal): Promise<Restriction[]> {
  const body = await apiJson<{ restrictions: Restriction[] }>(`${path(postId)}/restrictions`, { signal });
  return body.restrictions;
}

export async function createRestriction(
  postId: string,
  input: RestrictionInput,
): Promise<{ restriction: Restriction; task: Task }> {
  return apiJson(`${path(postId)}/restrictions`, { method: 'POST', body: input });
}
