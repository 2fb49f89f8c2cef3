import type { Static } from 'typebox';
import type { ResolveBody, TaskOut, TaskQuery } from '../../../src/server/routes/tasks/schema.ts';
import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';

// The tasks API (src/server/routes/tasks/), typed by its route schema.

export type Task = Static<typeof TaskOut>;
export type TaskFilter = Static<typeof TaskQuery>;
export type TaskResolution = Static<typeof ResolveBody>;

export async function fetchTasks(filter: TaskFilter = {}, signal?: AbortSignal): Promise<Task[]> {
  const body = await apiJson<{ tasks: Task[] }>(`/api/tasks${query(filter)}`, { signal });
  return body.tasks;
}

export async function resolveTask(id: string, resolution: TaskResolution): Promise<Task> {
  const body = await apiJson<{ task: Task }>(`/api/tasks/${encodeURIComponent(id)}/resolve`, {
    method: 'POST',
    body: resolution,
  });
  return body.task;
}
