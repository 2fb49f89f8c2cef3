/** Tables of alerts (migration 0016_alerts). */
export interface AlertTables {
  alerts: AlertTable;
  alert_recipients: AlertRecipientTable;
}

export interface AlertTable {
  id: string;
  post_id: string;
  country: string;
  /** JSON array of ISO alpha-2 codes. */
  countries: string;
  kind: string;
  status: string;
  msg_type: string;
  scope: string;
  state: string;
  /** JSON of AlertContent: what the approver approved. */
  content: string;
  content_hash: string;
  effective: string;
  expires: string;
  /** 0/1: the alert asks recipients to check in (read by the check-ins feature). */
  check_in_requested: number;
  check_in_deadline: string | null;
  /** JSON array of user ids who wrote or edited the content. */
  authors: string;
  source: string | null;
  root_id: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  approval_expires_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approved_hash: string | null;
  sent_at: string | null;
  superseded_by: string | null;
  recipient_count: number | null;
}

export interface AlertRecipientTable {
  alert_id: string;
  person_id: string;
  precision: string;
}
