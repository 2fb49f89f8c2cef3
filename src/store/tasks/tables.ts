export interface TaskTables {
  tasks: TaskTable;
  revisions: RevisionTable;
}

export interface TaskTable {
  id: string;
  kind: string;
  status: string;
  title: string;
  country: string | null;
  post_id: string | null;
  /** What the task is about, e.g. "posture_change:<id>" or "restriction:<id>". */
  subject: string | null;
  details: string;
  created_at: string;
  created_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  /** JSON: how it was resolved (linked edition/alert, or a recorded reason). */
  resolution: string | null;
}

export interface RevisionTable {
  key: string;
  rev: number;
  updated_at: string;
}
