/** Tables of check-ins (migration 0019_checkins). */
export interface CheckinTables {
  alert_checkins: AlertCheckinTable;
  checkin_answers: CheckinAnswerTable;
  checkin_latest: CheckinLatestTable;
  need_help_cases: NeedHelpCaseTable;
  post_checkin_settings: PostCheckinSettingsTable;
  checkin_escalations: CheckinEscalationTable;
}

export interface CheckinEscalationTable {
  alert_id: string;
  person_id: string;
  repeats_done: number;
  emergency_told: number;
  updated_at: string;
}

export interface AlertCheckinTable {
  alert_id: string;
  reply_code: string;
  /** 1 while the alert takes answers by reply code. */
  open: number;
  /** JSON EscalationSettings. */
  escalation: string;
  created_at: string;
}

export interface CheckinAnswerTable {
  id: string;
  alert_id: string;
  person_id: string;
  answer: string;
  channel: string;
  note_enc: string | null;
  location_enc: string | null;
  late: number;
  alert_cancelled: number;
  provider_ref: string | null;
  at: string;
}

export interface CheckinLatestTable {
  alert_id: string;
  person_id: string;
  answer_id: string;
  answer: string;
  channel: string;
  at: string;
}

export interface NeedHelpCaseTable {
  id: string;
  alert_id: string;
  post_id: string;
  country: string;
  person_id: string;
  answer_id: string;
  opened_at: string;
  handled_at: string | null;
  handled_by: string | null;
  handled_note: string | null;
}

export interface PostCheckinSettingsTable {
  post_id: string;
  duty_email: string | null;
  escalation: string;
  updated_at: string;
}
