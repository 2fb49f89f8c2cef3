import type { AlertRecord, RecipientPrecision } from '../../domain/alerts/record.ts';
import type { AlertContent, AlertState } from '../../domain/alerts/types.ts';
import type { Db } from '../db.ts';
import type { AlertTable } from './tables.ts';

export const alertRowToAlert = (r: AlertTable): AlertRecord => ({
  id: r.id,
  content: JSON.parse(r.content) as AlertContent,
  contentHash: r.content_hash,
  state: r.state as AlertState,
  authors: JSON.parse(r.authors) as string[],
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  submittedAt: r.submitted_at,
  approvalExpiresAt: r.approval_expires_at,
  approval:
    r.approved_by && r.approved_at && r.approved_hash
      ? { by: r.approved_by, at: r.approved_at, contentHash: r.approved_hash }
      : null,
  sentAt: r.sent_at,
  supersededBy: r.superseded_by,
  source: r.source,
  rootId: r.root_id,
  country: r.country,
  countries: JSON.parse(r.countries) as string[],
  recipientCount: r.recipient_count,
});

function alertToRow(a: AlertRecord): AlertTable {
  const c = a.content;
  return {
    id: a.id,
    post_id: c.postId,
    country: a.country,
    countries: JSON.stringify(a.countries),
    kind: c.kind,
    status: c.status,
    msg_type: c.msgType,
    scope: c.scope,
    state: a.state,
    content: JSON.stringify(c),
    content_hash: a.contentHash,
    effective: c.cap.effective,
    expires: c.cap.expires,
    check_in_requested: c.checkIn.requested ? 1 : 0,
    check_in_deadline: c.checkIn.deadline,
    authors: JSON.stringify(a.authors),
    source: a.source,
    root_id: a.rootId,
    created_by: a.createdBy,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    submitted_at: a.submittedAt,
    approval_expires_at: a.approvalExpiresAt,
    approved_by: a.approval?.by ?? null,
    approved_at: a.approval?.at ?? null,
    approved_hash: a.approval?.contentHash ?? null,
    sent_at: a.sentAt,
    superseded_by: a.supersededBy,
    recipient_count: a.recipientCount,
  };
}

export async function insertAlert(db: Db, a: AlertRecord): Promise<void> {
  await db.insertInto('alerts').values(alertToRow(a)).execute();
}

/**
 * Writes the alert's new lifecycle, only if it is still in the state it was read in: two
 * concurrent approvals or sends cannot both apply (the loser reads 0 rows and gets a conflict).
 */
export async function updateAlert(db: Db, a: AlertRecord, expected: AlertState): Promise<boolean> {
  const { id: _id, ...row } = alertToRow(a);
  const r = await db
    .updateTable('alerts')
    .set(row)
    .where('id', '=', a.id)
    .where('state', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findAlert(db: Db, id: string): Promise<AlertRecord | undefined> {
  const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? alertRowToAlert(row) : undefined;
}

export interface AlertFilter {
  readonly states?: readonly AlertState[];
  readonly country?: string;
  readonly postId?: string;
  readonly rootId?: string;
  readonly limit?: number;
}

export async function listAlerts(db: Db, f: AlertFilter = {}): Promise<AlertRecord[]> {
  let q = db.selectFrom('alerts').selectAll();
  if (f.states && f.states.length > 0) q = q.where('state', 'in', f.states);
  if (f.country) q = q.where('country', '=', f.country);
  if (f.postId) q = q.where('post_id', '=', f.postId);
  if (f.rootId) q = q.where('root_id', '=', f.rootId);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(f.limit ?? 500)
    .execute();
  return rows.map(alertRowToAlert);
}

/** Sent Public messages (Alert, Update, Cancel), newest first: what the public feeds list. */
export async function listPublicAlerts(
  db: Db,
  f: { expiresAfter?: string; effectiveBy?: string; limit?: number } = {},
): Promise<AlertRecord[]> {
  let q = db
    .selectFrom('alerts')
    .selectAll()
    .where('scope', '=', 'Public')
    .where('sent_at', 'is not', null)
    .where('state', 'in', ['sent', 'updated', 'cancelled']);
  if (f.expiresAfter) q = q.where('expires', '>', f.expiresAfter);
  if (f.effectiveBy) q = q.where('effective', '<=', f.effectiveBy);
  const rows = await q
    .orderBy('sent_at', 'desc')
    .orderBy('id')
    .limit(f.limit ?? 200)
    .execute();
  return rows.map(alertRowToAlert);
}

export async function insertRecipients(
  db: Db,
  alertId: string,
  people: ReadonlyArray<{ personId: string; precision: RecipientPrecision }>,
): Promise<void> {
  for (let i = 0; i < people.length; i += 500) {
    const chunk = people.slice(i, i + 500);
    await db
      .insertInto('alert_recipients')
      .values(chunk.map((p) => ({ alert_id: alertId, person_id: p.personId, precision: p.precision })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export async function listRecipients(
  db: Db,
  alertId: string,
): Promise<Array<{ personId: string; precision: RecipientPrecision }>> {
  const rows = await db
    .selectFrom('alert_recipients')
    .select(['person_id', 'precision'])
    .where('alert_id', '=', alertId)
    .orderBy('person_id')
    .execute();
  return rows.map((r) => ({ personId: r.person_id, precision: r.precision as RecipientPrecision }));
}
