import type { TaskKind } from '../../../src/domain/tasks/types.ts';

export const TASK_KIND_LABELS: Readonly<Record<TaskKind, string>> = {
  advisory_review: 'Advisory review',
  public_notice: 'Public notice',
  threat_review: 'Threat review',
};
