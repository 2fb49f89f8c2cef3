import type {
  DepartureScope,
  PostureChange,
  PostureRequest,
  PostureRequestContent,
  PostureRequestStatus,
  PostureState,
  Services,
  Statement,
} from '../../domain/posts/types.ts';
import type { Db } from '../db.ts';
import type { PostureChangeTable, PostureRequestTable } from './tables.ts';

export const changeRowToChange = (r: PostureChangeTable): PostureChange => ({
  id: r.id,
  postId: r.post_id,
  previousState: r.previous_state as PostureState | null,
  state: r.state as PostureState,
  departure: { staff: r.staff_departure as DepartureScope, family: r.family_departure as DepartureScope },
  services: JSON.parse(r.services) as Services,
  effectiveAt: r.effective_at,
  reason: r.reason,
  reviewBy: r.review_by,
  statement: r.statement ? (JSON.parse(r.statement) as Statement) : null,
  coverageDelegateId: r.coverage_delegate_id,
  requestId: r.request_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
  approvedBy: r.approved_by,
});

export async function insertPostureChange(db: Db, c: PostureChange): Promise<void> {
  await db
    .insertInto('posture_changes')
    .values({
      id: c.id,
      post_id: c.postId,
      previous_state: c.previousState,
      state: c.state,
      staff_departure: c.departure.staff,
      family_departure: c.departure.family,
      services: JSON.stringify(c.services),
      effective_at: c.effectiveAt,
      reason: c.reason,
      review_by: c.reviewBy,
      statement: c.statement ? JSON.stringify(c.statement) : null,
      coverage_delegate_id: c.coverageDelegateId,
      request_id: c.requestId,
      created_at: c.createdAt,
      created_by: c.createdBy,
      approved_by: c.approvedBy,
    })
    .execute();
}

export async function findPostureChange(db: Db, id: string): Promise<PostureChange | undefined> {
  const r = await db.selectFrom('posture_changes').selectAll().where('id', '=', id).executeTakeFirst();
  return r && changeRowToChange(r);
}

/** Several posts' current changes in one query (the id is on each post row). */
export async function findPostureChanges(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, PostureChange>> {
  const out = new Map<string, PostureChange>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('posture_changes').selectAll().where('id', 'in', ids).execute();
  for (const r of rows) out.set(r.id, changeRowToChange(r));
  return out;
}

/** A post's history, newest first. */
export async function listPostureHistory(db: Db, postId: string): Promise<PostureChange[]> {
  const rows = await db
    .selectFrom('posture_changes')
    .selectAll()
    .where('post_id', '=', postId)
    .orderBy('effective_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(changeRowToChange);
}

/** Every post's changes, newest first, without the posture each post starts with (the public feed). */
export async function listRecentPostureChanges(db: Db, limit: number): Promise<PostureChange[]> {
  const rows = await db
    .selectFrom('posture_changes')
    .selectAll()
    .where('previous_state', 'is not', null)
    .orderBy('effective_at', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(changeRowToChange);
}

export const requestRowToRequest = (r: PostureRequestTable): PostureRequest => ({
  id: r.id,
  postId: r.post_id,
  status: r.status as PostureRequestStatus,
  content: JSON.parse(r.content) as PostureRequestContent,
  contentHash: r.content_hash,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  authors: JSON.parse(r.authors) as string[],
  updatedAt: r.updated_at,
  expiresAt: r.expires_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
  changeId: r.change_id,
});

const requestToRow = (q: PostureRequest): PostureRequestTable => ({
  id: q.id,
  post_id: q.postId,
  status: q.status,
  content: JSON.stringify(q.content),
  content_hash: q.contentHash,
  requested_by: q.requestedBy,
  requested_at: q.requestedAt,
  authors: JSON.stringify(q.authors),
  updated_at: q.updatedAt,
  expires_at: q.expiresAt,
  decided_by: q.decidedBy,
  decided_at: q.decidedAt,
  decision_note: q.decisionNote,
  change_id: q.changeId,
});

export async function insertPostureRequest(db: Db, q: PostureRequest): Promise<void> {
  await db.insertInto('posture_requests').values(requestToRow(q)).execute();
}

/**
 * Rewrites a request, but only if it is still pending with the hash the caller read: a concurrent
 * edit or decision makes this return false instead of silently overwriting it.
 */
export async function updatePostureRequest(
  db: Db,
  q: PostureRequest,
  expectedHash: string,
): Promise<boolean> {
  const { id: _id, ...rest } = requestToRow(q);
  const r = await db
    .updateTable('posture_requests')
    .set(rest)
    .where('id', '=', q.id)
    .where('status', '=', 'pending')
    .where('content_hash', '=', expectedHash)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findPostureRequest(db: Db, id: string): Promise<PostureRequest | undefined> {
  const r = await db.selectFrom('posture_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return r && requestRowToRequest(r);
}

export interface PostureRequestFilter {
  /** Stored status; 'expired' is derived from expires_at by the service. */
  readonly status?: 'pending' | 'approved' | 'rejected';
  readonly postId?: string;
}

export async function listPostureRequests(db: Db, f: PostureRequestFilter = {}): Promise<PostureRequest[]> {
  let q = db.selectFrom('posture_requests').selectAll().orderBy('requested_at', 'desc').orderBy('id');
  if (f.status) q = q.where('status', '=', f.status);
  if (f.postId) q = q.where('post_id', '=', f.postId);
  return (await q.execute()).map(requestRowToRequest);
}
