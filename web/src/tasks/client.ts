import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';

export interface Task {
  id: string;
  kind: string;
  status: 'open' | 'resolved' | string;
  title: string;
  country: string | null;
  postId: string | null;
  subject: string | null;
  details: Record<string, unknown>;
  createdAt: string;
  createdBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: Record<string, unknown> | null;
}

export async function fetchTasks(
  filter: { status?: string; kind?: string; country?: string; postId?: string } = {},
  signal?: AbortSignal,
): Promise<Task[]> {
  const body = await apiJson<{ tasks: Task[] }>(`/api/tasks${query(filter)}`, { signal });
  return body.tasks;
}

export async function resolveTask(
  id: string,
  resolution: { reason: string } | { link: { kind: 'advisory_edition' | 'alert'; id: string } },
): Promise<Task> {
  const body = await apiJson<{ task: Task }>(`/api/tasks/${encodeURIComponent(id)}/resolve`, {
    method: 'POST',
    body: resolution,
  });
  return body.task;
}
