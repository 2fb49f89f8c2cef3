export interface DeliveryTables {
  deliveries: DeliveryTable;
  delivery_attempts: DeliveryAttemptTable;
}

/**
 * One message to one recipient over one channel (the outbox until migration 0014). No rendered
 * body and no recipient address at rest: the worker resolves the recipient and renders
 * `template` at send time, signing any link then, so the table holds neither personal data nor
 * live credentials. States and priorities: src/domain/deliveries/model.ts.
 */
export interface DeliveryTable {
  id: string;
  /** email | sms | webhook */
  channel: string;
  /** The renderer that turns this row into a message (src/services/deliveries/renderers.ts). */
  template: string;
  person_id: string | null;
  contact_id: string | null;
  /** JSON of non-personal parameters (language, link nonce, alert id...). */
  params: string;
  /** queued | sending | sent | delivered | failed | dropped */
  status: string;
  attempts: number;
  /** The reason of the last failure, or of the drop. */
  last_error: string | null;
  created_at: string;
  /** When it left (the provider accepted it). */
  sent_at: string | null;
  /** A message to an advisory subscriber rather than a contact (migration 0008). */
  subscription_id?: string | null;
  /** UNIQUE: one message per recipient per event (fan-out, digests, reminders) (0008). */
  dedupe_key?: string | null;
  /** What it belongs to, e.g. 'notice:<id>', 'alert:<id>': progress and listing by message (0014). */
  message_ref?: string | null;
  /** Higher is sent first. */
  priority?: number;
  /** When a queued row is due (null once it is final). */
  next_attempt_at?: string | null;
  lease_owner?: string | null;
  lease_expires_at?: string | null;
  /** The provider's reference (SMTP queue id, Twilio SM… sid): receipts are matched on it. */
  provider_id?: string | null;
  /** 1 when it may have left twice (a lease expired while sending, then it was sent again). */
  possible_duplicate?: number;
  /** routine | security: which retention setting keeps its evidence. */
  retention?: string;
  /** A message to an organisation (its webhook), not a person. */
  organisation_id?: string | null;
  updated_at?: string | null;
  /** When it reached a final state (sent with no receipt to come, delivered, failed, dropped). */
  finished_at?: string | null;
}

/** The attempt history: one row per attempt, receipt or takeover. Never text or addresses. */
export interface DeliveryAttemptTable {
  id: string;
  delivery_id: string;
  attempt: number;
  at: string;
  /** sent | delivered | transient | permanent | dropped | receipt | lease_expired */
  outcome: string;
  /** SMTP reply code or HTTP status. */
  status: number | null;
  /** The start of the provider's answer (at most 300 characters, addresses redacted). */
  answer: string | null;
  reason: string | null;
  /** The worker that made the attempt. */
  worker: string | null;
  duration_ms: number | null;
}
