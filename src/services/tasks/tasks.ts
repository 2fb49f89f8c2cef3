import type { Context } from '../../context.ts';
import { inScope } from '../../domain/auth/policy.ts';
import type { Principal } from '../../domain/auth/principal.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { Task, TaskKind } from '../../domain/tasks/types.ts';
import { findEdition } from '../../store/advisories/advisories.ts';
import { findAlert } from '../../store/alerts/alerts.ts';
import type { Db } from '../../store/db.ts';
import { findTask, insertTask, listTasks, resolveTaskRow, type TaskFilter } from '../../store/tasks/tasks.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';

export interface NewTask {
  readonly kind: TaskKind;
  readonly title: string;
  readonly country?: string | null;
  readonly postId?: string | null;
  readonly subject?: string | null;
  readonly details?: Record<string, unknown>;
}

/** Opens a task in the caller's transaction (the change that prompts it and the task land together). */
export async function openTask(ctx: Context, db: Db, actor: Actor, t: NewTask): Promise<Task> {
  const task: Task = {
    id: newId(),
    kind: t.kind,
    status: 'open',
    title: t.title,
    country: t.country ?? null,
    postId: t.postId ?? null,
    subject: t.subject ?? null,
    details: t.details ?? {},
    createdAt: iso(ctx.clock.now()),
    createdBy: actorId(actor),
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
  };
  await insertTask(db, task);
  await recordAudit(ctx, db, actor, 'task.open', `task:${task.id}`, {
    kind: task.kind,
    country: task.country,
    postId: task.postId,
  });
  return task;
}

/** Resolves every open task of a kind for a country, e.g. when an advisory is re-published or confirmed. */
export async function resolveOpenTasks(
  ctx: Context,
  db: Db,
  actor: Actor,
  filter: { kind: TaskKind; country: string },
  resolution: Record<string, unknown>,
): Promise<number> {
  const open = await listTasks(db, { status: 'open', kind: filter.kind, country: filter.country });
  for (const t of open) {
    await resolveTaskRow(db, t.id, actorId(actor), iso(ctx.clock.now()), resolution);
    await recordAudit(ctx, db, actor, 'task.resolve', `task:${t.id}`, { resolution });
  }
  return open.length;
}

/** Tasks the principal may see: all for HQ roles, those of their posts/countries for officers. */
export async function visibleTasks(ctx: Context, principal: Principal, filter: TaskFilter): Promise<Task[]> {
  const tasks = await listTasks(ctx.store.db, filter);
  return tasks.filter((t) =>
    inScope(principal, { country: t.country ?? undefined, postIds: t.postId ? [t.postId] : undefined }),
  );
}

/**
 * A resolution's link must name something that exists, that the resolver may act on, and that
 * belongs to the task's country (issue 11: any edition id, or a made-up alert id, was accepted).
 * An alert must have been sent, for real (not a drill): the public was told.
 */
async function checkLink(
  db: Db,
  p: Principal,
  task: Task,
  link: { kind: 'advisory_edition' | 'alert'; id: string },
): Promise<void> {
  switch (link.kind) {
    case 'alert': {
      const alert = await findAlert(db, link.id);
      const inCountry =
        alert &&
        (task.country === null || alert.country === task.country || alert.countries.includes(task.country));
      if (!alert || !inCountry) {
        throw new WardenError('invalid_link', `No alert ${link.id} for this task's country.`, {
          field: 'link',
          kind: link.kind,
          id: link.id,
        });
      }
      if (!inScope(p, { country: alert.country, postIds: [alert.content.postId] })) {
        throw new WardenError('forbidden', 'The linked alert is outside your scope.', {});
      }
      if (alert.sentAt === null || alert.content.status !== 'Actual') {
        throw new WardenError(
          'invalid_link',
          'Link an alert that was sent to the public (not a draft or a drill).',
          {
            field: 'link',
            kind: link.kind,
            id: link.id,
            state: alert.state,
            status: alert.content.status,
          },
        );
      }
      return;
    }
    case 'advisory_edition': {
      const edition = await findEdition(db, link.id);
      if (!edition || (task.country !== null && edition.country !== task.country)) {
        throw new WardenError('invalid_link', `No advisory edition ${link.id} for this task's country.`, {
          field: 'link',
          kind: link.kind,
          id: link.id,
        });
      }
      if (!inScope(p, { country: edition.country })) {
        throw new WardenError('forbidden', 'The linked edition is outside your scope.', {});
      }
    }
  }
}

export async function resolveTask(
  ctx: Context,
  actor: Actor,
  id: string,
  resolution: { reason?: string; link?: { kind: 'advisory_edition' | 'alert'; id: string } },
): Promise<Task> {
  const p = actor.principal;
  if (!p) throw new WardenError('unauthenticated', 'Sign in first.');
  if (!resolution.reason && !resolution.link) {
    throw new WardenError('validation_failed', 'Resolve a task with a link or a recorded reason.', {
      field: 'reason',
    });
  }
  return ctx.store.db.transaction().execute(async (trx) => {
    const task = await findTask(trx, id);
    if (!task) throw new WardenError('not_found', 'Task not found.', { id });
    if (
      !inScope(p, { country: task.country ?? undefined, postIds: task.postId ? [task.postId] : undefined })
    ) {
      throw new WardenError('forbidden', 'This task is outside your scope.', {});
    }
    if (task.status !== 'open') throw new WardenError('conflict', 'The task is already resolved.', { id });
    if (resolution.link) await checkLink(trx, p, task, resolution.link);
    await resolveTaskRow(trx, id, actorId(actor), iso(ctx.clock.now()), resolution);
    await recordAudit(ctx, trx, actor, 'task.resolve', `task:${id}`, { resolution });
    return (await findTask(trx, id))!;
  });
}
