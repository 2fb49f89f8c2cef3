import type { Task, TaskKind, TaskStatus } from '../../domain/tasks/types.ts';
import type { Db } from '../db.ts';
import type { TaskTable } from './tables.ts';

export const taskRowToTask = (r: TaskTable): Task => ({
  id: r.id,
  kind: r.kind as TaskKind,
  status: r.status as TaskStatus,
  title: r.title,
  country: r.country,
  postId: r.post_id,
  subject: r.subject,
  details: JSON.parse(r.details) as Record<string, unknown>,
  createdAt: r.created_at,
  createdBy: r.created_by,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by,
  resolution: r.resolution ? (JSON.parse(r.resolution) as Record<string, unknown>) : null,
});

export async function insertTask(db: Db, t: Task): Promise<void> {
  await db
    .insertInto('tasks')
    .values({
      id: t.id,
      kind: t.kind,
      status: t.status,
      title: t.title,
      country: t.country,
      post_id: t.postId,
      subject: t.subject,
      details: JSON.stringify(t.details),
      created_at: t.createdAt,
      created_by: t.createdBy,
      resolved_at: null,
      resolved_by: null,
      resolution: null,
    })
    .execute();
}

export async function findTask(db: Db, id: string): Promise<Task | undefined> {
  const r = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return r && taskRowToTask(r);
}

export interface TaskFilter {
  readonly status?: TaskStatus;
  readonly kind?: TaskKind;
  readonly country?: string;
  readonly postId?: string;
}

export async function listTasks(db: Db, f: TaskFilter = {}): Promise<Task[]> {
  let q = db.selectFrom('tasks').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (f.status) q = q.where('status', '=', f.status);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.country) q = q.where('country', '=', f.country);
  if (f.postId) q = q.where('post_id', '=', f.postId);
  return (await q.execute()).map(taskRowToTask);
}

export async function resolveTaskRow(
  db: Db,
  id: string,
  by: string,
  at: string,
  resolution: Record<string, unknown>,
): Promise<boolean> {
  const r = await db
    .updateTable('tasks')
    .set({ status: 'resolved', resolved_at: at, resolved_by: by, resolution: JSON.stringify(resolution) })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
