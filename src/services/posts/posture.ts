import type { Context } from '../../context.ts';
import { checkApprover } from '../../domain/approvals/two-person.ts';
import { inScope } from '../../domain/auth/policy.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { newId } from '../../domain/ids.ts';
import { needsApproval, promptsAdvisoryReview, validatePostureContent } from '../../domain/posts/posture.ts';
import { contentHash } from '../../domain/posts/posture-hash.ts';
import type {
  Post,
  PostureChange,
  PostureContent,
  PostureRequest,
  PostureRequestContent,
  PostureState,
} from '../../domain/posts/types.ts';
import type { Task } from '../../domain/tasks/types.ts';
import type { Db } from '../../store/db.ts';
import { findPost, lockPosts, setPostDelegate, setPostPosture } from '../../store/posts/posts.ts';
import {
  findPostureChange,
  findPostureRequest,
  insertPostureChange,
  insertPostureRequest,
  listPostureHistory,
  listPostureRequests,
  updatePostureRequest,
} from '../../store/posts/posture.ts';
import { bumpRevision } from '../../store/revisions.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';
import { followPosture } from '../rosters/drawdown.ts';
import { recordPostureNotice } from '../subscriptions/notices.ts';
import { openTask } from '../tasks/tasks.ts';
import { checkDelegate, POSTS_REVISION, requirePost } from './posts.ts';

/** A posture change as the API takes it (effectiveAt/reviewBy/statement optional). */
export interface PostureInput {
  readonly state: PostureState;
  readonly departure: PostureContent['departure'];
  readonly services: PostureContent['services'];
  readonly effectiveAt?: string | null;
  readonly reason: string;
  readonly reviewBy?: string | null;
  readonly statement?: PostureContent['statement'];
  readonly coverageDelegateId?: string | null;
}

export type PostureRequestPatch = Partial<PostureInput>;

export interface PostureResult {
  /** Set when the change applied at once (or on approval). */
  readonly change: PostureChange | null;
  /** Set when the change waits for a second person. */
  readonly request: PostureRequest | null;
  /** Tasks the change opened (advisory review). */
  readonly tasks: Task[];
}

const STATE_WORDS: Record<PostureState, string> = {
  normal: 'back to normal operations',
  authorized_departure: 'on authorized departure',
  ordered_departure: 'on ordered departure',
  suspended: 'suspended',
};

function normalise(input: PostureInput): PostureContent {
  const content: PostureContent = {
    state: input.state,
    departure: { staff: input.departure.staff, family: input.departure.family },
    services: {
      citizenServices: input.services.citizenServices,
      visas: input.services.visas,
      walkIn: input.services.walkIn,
    },
    effectiveAt: input.effectiveAt ? new Date(input.effectiveAt).toISOString() : null,
    reason: input.reason.trim(),
    reviewBy: input.reviewBy ?? null,
    statement: input.statement ? { text: input.statement.text.trim(), by: input.statement.by.trim() } : null,
  };
  return input.coverageDelegateId === undefined
    ? content
    : { ...content, coverageDelegateId: input.coverageDelegateId };
}

const stateSummary = (c: { state: PostureState; departure: unknown; services: unknown }) => ({
  state: c.state,
  departure: c.departure,
  services: c.services,
});

/** The request as callers see it: a pending request past its time reads as expired. */
export const presentRequest = (q: PostureRequest, now: string): PostureRequest =>
  q.status === 'pending' && q.expiresAt <= now ? { ...q, status: 'expired' } : q;

async function currentChange(db: Db, post: Post): Promise<PostureChange | null> {
  return post.postureChangeId ? ((await findPostureChange(db, post.postureChangeId)) ?? null) : null;
}

/** Writes the change, moves the post to it, opens the advisory review: all in the caller's transaction. */
async function applyChange(
  ctx: Context,
  trx: Db,
  actor: Actor,
  post: Post,
  current: PostureChange | null,
  content: PostureContent,
  approval: { requestId: string; requestedBy: string } | null,
): Promise<{ change: PostureChange; tasks: Task[] }> {
  const now = iso(ctx.clock.now());
  const delegate =
    content.coverageDelegateId === undefined ? post.coverageDelegateId : content.coverageDelegateId;
  if (content.coverageDelegateId !== undefined) await checkDelegate(trx, post.id, delegate, actor);
  const change: PostureChange = {
    id: newId(),
    postId: post.id,
    previousState: current?.state ?? null,
    state: content.state,
    departure: content.departure,
    services: content.services,
    effectiveAt: content.effectiveAt ?? now,
    reason: content.reason,
    reviewBy: content.reviewBy,
    statement: content.statement,
    coverageDelegateId: delegate,
    requestId: approval?.requestId ?? null,
    createdAt: now,
    createdBy: approval?.requestedBy ?? actorId(actor),
    approvedBy: approval ? actorId(actor) : null,
  };
  await insertPostureChange(trx, change);
  await recordPostureNotice(ctx, trx, post, change);
  await setPostPosture(trx, post.id, change.id, now);
  await followPosture(ctx, trx, actor, post, change);
  if (delegate !== post.coverageDelegateId) await setPostDelegate(trx, post.id, delegate, now);
  const tasks: Task[] = [];
  if (promptsAdvisoryReview(change.state)) {
    const country = loadGeography().country(post.country)?.name ?? post.country;
    tasks.push(
      await openTask(ctx, trx, actor, {
        kind: 'advisory_review',
        title: `Review the advisory for ${country}: ${post.name} is ${STATE_WORDS[change.state]}`,
        country: post.country,
        postId: post.id,
        subject: `posture_change:${change.id}`,
        details: { changeId: change.id, state: change.state, previousState: change.previousState },
      }),
    );
  }
  await bumpRevision(trx, POSTS_REVISION, now);
  await recordAudit(ctx, trx, actor, 'posture.change', `post:${post.id}`, {
    changeId: change.id,
    requestId: change.requestId,
    before: current ? stateSummary(current) : null,
    after: stateSummary(change),
    coverageDelegateId: delegate,
  });
  return { change, tasks };
}

/**
 * Changes a post's posture. Any change into or out of ordered departure or suspension (including
 * ordered -> authorized) becomes a pending request for a second person; a change between normal
 * and authorized departure applies at once.
 */
export async function changePosture(
  ctx: Context,
  actor: Actor,
  postId: string,
  input: PostureInput,
): Promise<PostureResult> {
  const content = normalise(input);
  const result = await ctx.store.db.transaction().execute(async (trx): Promise<PostureResult> => {
    await lockPosts(trx, ctx.store.backend);
    const post = await requirePost(trx, postId);
    const current = await currentChange(trx, post);
    const now = ctx.clock.now();
    validatePostureContent(content, current, now);
    const from = current?.state ?? 'normal';
    const before = {
      state: from,
      departure: current?.departure ?? { staff: 'none', family: 'none' },
    } as const;
    if (!needsApproval(before, content)) {
      const { change, tasks } = await applyChange(ctx, trx, actor, post, current, content, null);
      return { change, request: null, tasks };
    }
    if (content.coverageDelegateId !== undefined)
      await checkDelegate(trx, post.id, content.coverageDelegateId, actor);
    const open = (await listPostureRequests(trx, { status: 'pending', postId })).filter(
      (q) => q.expiresAt > iso(now),
    );
    if (open[0]) {
      throw new WardenError('conflict', 'A posture change for this post is already waiting for approval.', {
        requestId: open[0].id,
      });
    }
    const full: PostureRequestContent = {
      ...content,
      postId,
      baseChangeId: current?.id ?? null,
      fromState: from,
    };
    const request: PostureRequest = {
      id: newId(),
      postId,
      status: 'pending',
      content: full,
      contentHash: contentHash(full),
      requestedBy: actorId(actor),
      requestedAt: iso(now),
      authors: [actorId(actor)],
      updatedAt: iso(now),
      expiresAt: iso(new Date(now.getTime() + ctx.config.postureRequestTtlHours * 3_600_000)),
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      changeId: null,
    };
    await insertPostureRequest(trx, request);
    await recordAudit(ctx, trx, actor, 'posture_request.create', `posture_request:${request.id}`, {
      postId,
      contentHash: request.contentHash,
      before: { state: from },
      after: stateSummary(content),
    });
    return { change: null, request, tasks: [] };
  });
  if (result.change) ctx.changes.notify([POSTS_REVISION]);
  return result;
}

async function pendingRequest(ctx: Context, trx: Db, id: string): Promise<PostureRequest> {
  const q = await findPostureRequest(trx, id);
  if (!q) throw new WardenError('not_found', 'Posture request not found.', { id });
  if (q.status !== 'pending') {
    throw new WardenError('conflict', `The request is already ${q.status}.`, { id, status: q.status });
  }
  if (q.expiresAt <= iso(ctx.clock.now())) {
    throw new WardenError('request_expired', 'The request expired before it was approved; make a new one.', {
      id,
      expiresAt: q.expiresAt,
    });
  }
  return q;
}

/** The post must still be where the request started from. */
async function requireBase(
  trx: Db,
  q: PostureRequest,
): Promise<{ post: Post; current: PostureChange | null }> {
  const post = await requirePost(trx, q.postId);
  if (post.postureChangeId !== q.content.baseChangeId) {
    throw new WardenError(
      'conflict',
      "The post's posture changed after this request was made; make a new one.",
      {
        reason: 'posture_changed',
        id: q.id,
      },
    );
  }
  return { post, current: await currentChange(trx, post) };
}

/** Edits a pending request: the content hash changes, so approvals of the old content fail. */
export async function editPostureRequest(
  ctx: Context,
  actor: Actor,
  id: string,
  patch: PostureRequestPatch,
): Promise<PostureRequest> {
  return ctx.store.db.transaction().execute(async (trx) => {
    await lockPosts(trx, ctx.store.backend);
    const q = await pendingRequest(ctx, trx, id);
    const { current } = await requireBase(trx, q);
    const { postId, baseChangeId, fromState, ...old } = q.content;
    const merged = normalise({ ...old, ...patch });
    validatePostureContent(merged, current, ctx.clock.now());
    if (merged.coverageDelegateId !== undefined)
      await checkDelegate(trx, postId, merged.coverageDelegateId, actor);
    const content: PostureRequestContent = { ...merged, postId, baseChangeId, fromState };
    const me = actorId(actor);
    const next: PostureRequest = {
      ...q,
      content,
      contentHash: contentHash(content),
      authors: q.authors.includes(me) ? q.authors : [...q.authors, me],
      updatedAt: iso(ctx.clock.now()),
    };
    if (!(await updatePostureRequest(trx, next, q.contentHash))) {
      throw new WardenError('conflict', 'The request changed meanwhile; reload it.', { id });
    }
    await recordAudit(ctx, trx, actor, 'posture_request.edit', `posture_request:${id}`, {
      before: { contentHash: q.contentHash, ...stateSummary(q.content) },
      after: { contentHash: next.contentHash, ...stateSummary(content) },
      fields: Object.keys(patch).sort(),
    });
    return next;
  });
}

/**
 * The second person approves exactly the content they reviewed (its hash). Nobody who wrote the
 * request may approve it; an expired or edited-since request is refused.
 */
export async function approvePostureRequest(
  ctx: Context,
  actor: Actor,
  id: string,
  reviewedHash: string,
): Promise<PostureResult> {
  const result = await ctx.store.db.transaction().execute(async (trx): Promise<PostureResult> => {
    await lockPosts(trx, ctx.store.backend);
    const q = await pendingRequest(ctx, trx, id);
    const me = actorId(actor);
    checkApprover(q, me, reviewedHash);
    const { post, current } = await requireBase(trx, q);
    if (actor.principal && !inScope(actor.principal, { postIds: [post.id], country: post.country })) {
      throw new WardenError('forbidden', 'This post is outside your scope.', {});
    }
    const { postId: _p, baseChangeId: _b, fromState: _f, ...content } = q.content;
    validatePostureContent(content, current, ctx.clock.now());
    const { change, tasks } = await applyChange(ctx, trx, actor, post, current, content, {
      requestId: q.id,
      requestedBy: q.requestedBy,
    });
    const now = iso(ctx.clock.now());
    const decided: PostureRequest = {
      ...q,
      status: 'approved',
      decidedBy: me,
      decidedAt: now,
      changeId: change.id,
      updatedAt: now,
    };
    if (!(await updatePostureRequest(trx, decided, q.contentHash))) {
      throw new WardenError('conflict', 'The request changed meanwhile; reload it.', { id });
    }
    await recordAudit(ctx, trx, actor, 'posture_request.approve', `posture_request:${id}`, {
      postId: post.id,
      contentHash: q.contentHash,
      changeId: change.id,
      before: { status: 'pending' },
      after: { status: 'approved' },
    });
    return { change, request: decided, tasks };
  });
  ctx.changes.notify([POSTS_REVISION]);
  return result;
}

/** Rejects (or, by its requester, withdraws) a pending request, with the reason recorded. */
export async function rejectPostureRequest(
  ctx: Context,
  actor: Actor,
  id: string,
  reason: string,
): Promise<PostureRequest> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const q = await pendingRequest(ctx, trx, id);
    const now = iso(ctx.clock.now());
    const decided: PostureRequest = {
      ...q,
      status: 'rejected',
      decidedBy: actorId(actor),
      decidedAt: now,
      decisionNote: reason.trim(),
      updatedAt: now,
    };
    if (!(await updatePostureRequest(trx, decided, q.contentHash))) {
      throw new WardenError('conflict', 'The request changed meanwhile; reload it.', { id });
    }
    await recordAudit(ctx, trx, actor, 'posture_request.reject', `posture_request:${id}`, {
      postId: q.postId,
      reason: decided.decisionNote,
      before: { status: 'pending' },
      after: { status: 'rejected' },
    });
    return decided;
  });
}

export async function postureHistory(ctx: Context, postId: string): Promise<PostureChange[]> {
  await requirePost(ctx.store.db, postId);
  return listPostureHistory(ctx.store.db, postId);
}

export async function listRequests(
  ctx: Context,
  f: { status?: PostureRequest['status']; postId?: string },
): Promise<PostureRequest[]> {
  const now = iso(ctx.clock.now());
  const stored = f.status === 'expired' ? 'pending' : f.status;
  const all = await listPostureRequests(ctx.store.db, { status: stored, postId: f.postId });
  const shown = all.map((q) => presentRequest(q, now));
  return f.status ? shown.filter((q) => q.status === f.status) : shown;
}

export async function getRequest(ctx: Context, id: string): Promise<PostureRequest> {
  const q = await findPostureRequest(ctx.store.db, id);
  if (!q) throw new WardenError('not_found', 'Posture request not found.', { id });
  return presentRequest(q, iso(ctx.clock.now()));
}

/** The post a request is about (for scope checks). */
export async function requestPost(ctx: Context, id: string): Promise<Post | undefined> {
  const q = await findPostureRequest(ctx.store.db, id);
  return q && findPost(ctx.store.db, q.postId);
}
