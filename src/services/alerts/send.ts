import type { Context } from '../../context.ts';
import type { AlertRecord, RecipientPrecision } from '../../domain/alerts/record.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { findAlert, insertRecipients, listRecipients } from '../../store/alerts/alerts.ts';
import { audienceContacts } from '../../store/alerts/audience.ts';
import type { Db } from '../../store/db.ts';
import { findRestriction } from '../../store/posts/restrictions.ts';
import { bumpRevision } from '../../store/revisions.ts';
import { findTask, resolveTaskRow } from '../../store/tasks/tasks.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';
import { type Audience, alertAudience, reachOf } from './audience.ts';
import { followUpDraft, requireAlert, requireWriter } from './compose.ts';
import { alertPriority, enqueueAlert } from './deliver.ts';
import { saveTransition, stepAlert, transition } from './lifecycle.ts';

/*
 * Sending: the recipients are computed from the store now, then one transaction moves the alert
 * approved -> sending -> sent, records who it was handed to, queues one message per contact with
 * the alert's priority, marks the messages it follows as updated/cancelled and resolves the public
 * notice task of the restriction it came from. It commits whole or not at all: nothing half-sent.
 */

export const ALERTS_REVISION = 'alerts';

/** Everyone the messages `a` follows (its references, the whole chain) were handed to. */
async function chainRecipients(db: Db, a: AlertRecord): Promise<Map<string, RecipientPrecision>> {
  const people = new Map<string, RecipientPrecision>();
  for (const ref of a.content.references) {
    for (const r of await listRecipients(db, ref.alertId))
      if (!people.has(r.personId)) people.set(r.personId, r.precision);
  }
  return people;
}

async function audienceOfPeople(
  db: Db,
  a: AlertRecord,
  people: Map<string, RecipientPrecision>,
): Promise<Audience> {
  const recipients = [...people].map(([personId, precision]) => ({ personId, precision }));
  const contacts = await audienceContacts(
    db,
    recipients.map((r) => r.personId),
  );
  return { recipients, contacts, reach: reachOf(recipients, contacts, a.content.status !== 'Actual') };
}

/**
 * A Cancel goes to exactly the people the messages it cancels were handed to. An Update goes to
 * them too (they must learn the alert changed, even when the new area leaves them out), plus
 * everyone in its own area now.
 */
export async function audienceOf(ctx: Context, a: AlertRecord, db: Db = ctx.store.db): Promise<Audience> {
  const c = a.content;
  if (c.msgType === 'Cancel') return audienceOfPeople(db, a, await chainRecipients(db, a));
  const inArea = await alertAudience(
    ctx,
    {
      area: c.area,
      effective: c.cap.effective,
      expires: c.cap.expires,
      includeUnknownLocation: c.includeUnknownLocation,
      status: c.status,
    },
    db,
  );
  if (c.msgType !== 'Update') return inArea;
  const people = new Map(inArea.recipients.map((r) => [r.personId, r.precision] as const));
  for (const [id, precision] of await chainRecipients(db, a)) if (!people.has(id)) people.set(id, precision);
  return audienceOfPeople(db, a, people);
}

export interface SendResult {
  readonly alert: AlertRecord;
  readonly recipients: number;
  readonly messages: number;
}

export async function sendAlert(ctx: Context, actor: Actor, id: string): Promise<SendResult> {
  // Refuse early (no approval, stale, expired) before computing anyone.
  const before = await requireAlert(ctx.store.db, id);
  requireWriter(actor, { id: before.content.postId, country: before.country });
  transition(ctx, before, { type: 'send', by: actorId(actor) });
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    const a = await requireAlert(trx, id);
    if (a.contentHash !== before.contentHash) {
      throw new WardenError('approval_stale', 'The alert changed while it was being sent.', { id });
    }
    // Read through the send's transaction: a trip committed before this point is included.
    const audience = await audienceOf(ctx, a, trx);
    const sending = transition(ctx, a, { type: 'send', by: actorId(actor) });
    const sent = {
      ...transition(ctx, sending, { type: 'sent' }),
      recipientCount: audience.recipients.length,
    };
    await saveTransition(ctx, trx, actor, a, sent, 'alert.send', {
      recipients: audience.recipients.length,
      messages: audience.contacts.length,
      reach: audience.reach.people,
      priority: alertPriority(a),
    });
    await insertRecipients(trx, id, audience.recipients);
    const ids = await enqueueAlert(ctx, trx, sent, audience.contacts);
    await supersede(ctx, trx, actor, sent);
    await resolveNoticeTask(ctx, trx, actor, sent);
    await bumpRevision(trx, ALERTS_REVISION, iso(ctx.clock.now()));
    return { alert: sent, ids, recipients: audience.recipients.length };
  });
  ctx.changes.notify([ALERTS_REVISION]);
  return { alert: result.alert, recipients: result.recipients, messages: result.ids.length };
}

/** An Update supersedes the newest message it follows; a Cancel ends every one of the chain. */
async function supersede(ctx: Context, db: Db, actor: Actor, a: AlertRecord): Promise<void> {
  const msgType = a.content.msgType;
  if (msgType === 'Alert') return;
  const refs = a.content.references;
  const targets = msgType === 'Update' ? refs.slice(-1) : refs;
  for (const [i, ref] of targets.entries()) {
    const prev = await findAlert(db, ref.alertId);
    // The message this one follows directly must still be open: two cancels never both go out.
    if (!prev || (prev.state === 'cancelled' && i < targets.length - 1)) continue;
    const next = transition(ctx, prev, { type: 'supersede', by: a.id, msgType });
    await saveTransition(
      ctx,
      db,
      actor,
      prev,
      next,
      `alert.${msgType === 'Cancel' ? 'cancelled' : 'updated'}`,
      {
        by: a.id,
      },
    );
  }
}

/**
 * What staff were told, citizens are told: a sent alert drafted from a staff movement restriction
 * resolves the restriction's public-notice task by linking itself.
 */
async function resolveNoticeTask(ctx: Context, db: Db, actor: Actor, a: AlertRecord): Promise<void> {
  if (!a.source?.startsWith('restriction:') || a.content.status !== 'Actual') return;
  const r = await findRestriction(db, a.source.slice('restriction:'.length));
  const task = r?.taskId ? await findTask(db, r.taskId) : undefined;
  if (task?.status !== 'open') return;
  const resolution = { link: { kind: 'alert', id: a.id } };
  await resolveTaskRow(db, task.id, actorId(actor), iso(ctx.clock.now()), resolution);
  await recordAudit(ctx, db, actor, 'task.resolve', `task:${task.id}`, { resolution });
}

/**
 * One click from the alert page: a Cancel of a sent alert, drafted in every language of the
 * original, needing one person, sent at once to the same recipients.
 */
export async function cancelNow(ctx: Context, actor: Actor, originalId: string): Promise<SendResult> {
  const draft = await followUpDraft(ctx, actor, originalId, 'Cancel');
  await stepAlert(ctx, actor, draft.id, 'submit');
  return sendAlert(ctx, actor, draft.id);
}

export async function startUpdate(ctx: Context, actor: Actor, originalId: string): Promise<AlertRecord> {
  return followUpDraft(ctx, actor, originalId, 'Update');
}
