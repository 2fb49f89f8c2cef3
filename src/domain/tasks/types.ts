/** Follow-up work a change opens for staff (review an advisory, publish a notice, review a threat). */
export const TASK_KINDS = ['advisory_review', 'public_notice', 'threat_review'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const TASK_STATUSES = ['open', 'resolved'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface Task {
  readonly id: string;
  readonly kind: TaskKind;
  readonly status: TaskStatus;
  readonly title: string;
  readonly country: string | null;
  readonly postId: string | null;
  readonly subject: string | null;
  readonly details: Record<string, unknown>;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly resolvedAt: string | null;
  readonly resolvedBy: string | null;
  readonly resolution: Record<string, unknown> | null;
}
