import type { Context } from '../../context.ts';
import { localizeAlert } from '../../domain/alerts/localize.ts';
import { ANSWER_GRACE_S } from '../../domain/checkins/answer-tokens.ts';
import {
  DEFAULT_ESCALATION,
  type EscalationSettings,
  isDue,
  nextEscalation,
} from '../../domain/checkins/escalation.ts';
import { iso } from '../../domain/clock.ts';
import { type NewDelivery, PRIORITY } from '../../domain/deliveries/model.ts';
import { PersonCipher } from '../../domain/privacy/index.ts';
import { findAlert } from '../../store/alerts/alerts.ts';
import { closeAlertCheckin } from '../../store/checkins/checkins.ts';
import {
  firstContacts,
  listOpenCheckins,
  saveEscalation,
  unanswered,
} from '../../store/checkins/escalations.ts';
import type { DeliveryRow } from '../../store/deliveries/deliveries.ts';
import { findEnrollment, findWrappedKey } from '../../store/enrollments/enrollments.ts';
import { findPost } from '../../store/posts/posts.ts';
import { ALERT_TEMPLATE, alertMessageRef } from '../alerts/deliver.ts';
import { recordAudit, systemActor } from '../audit/audit.ts';
import { enqueueDeliveries } from '../deliveries/enqueue.ts';
import type { RenderedDelivery } from '../deliveries/render.ts';

/*
 * Escalation, one scheduler tick at a time (worker/scheduler.ts): for every alert still taking
 * answers, each recipient without an answer is asked again when due, on their next channel
 * (round robin over the contacts the alert first went to), and after the deadline their emergency
 * contact may be told we are trying to reach them. Each step is a delivery through the engine
 * (priority `checkin`, deduplicated per person and step, so two schedulers never send it twice)
 * and one audit entry per alert and tick: the alert's timeline. An answer stops it at once:
 * answered people are not even read.
 */

export const EMERGENCY_TEMPLATE = 'checkin_emergency_contact';

export async function escalateCheckins(
  ctx: Context,
): Promise<{ repeats: number; emergencyContacts: number }> {
  const db = ctx.store.db;
  const now = iso(ctx.clock.now());
  let repeats = 0;
  let emergencyContacts = 0;
  for (const checkin of await listOpenCheckins(db)) {
    const alert = await findAlert(db, checkin.alert_id);
    const deadline = alert?.content.checkIn.deadline ?? null;
    const over = deadline !== null && Date.parse(now) > Date.parse(deadline) + ANSWER_GRACE_S * 1000;
    if (!alert?.sentAt || alert.state === 'cancelled' || over) {
      // Nothing more to ask: the code is free for another alert (answers by link still count).
      await closeAlertCheckin(db, checkin.alert_id);
      continue;
    }
    const settings = { ...DEFAULT_ESCALATION, ...(JSON.parse(checkin.escalation) as EscalationSettings) };
    const contacts = await firstContacts(db, alert.id);
    const sends: NewDelivery[] = [];
    const states: Array<{ person_id: string; repeats_done: number; emergency_told: number }> = [];
    for (const p of await unanswered(db, alert.id)) {
      const mine = contacts.get(p.person_id) ?? [];
      const step = nextEscalation(settings, {
        firstSentAt: alert.sentAt,
        channels: mine.map((_c, i) => String(i)),
        repeatsDone: p.repeats_done,
        emergencyContactTold: p.emergency_told === 1,
        hasEmergencyContact: p.has_emergency_email === 1,
        answered: false,
        deadline,
      });
      if (!isDue(step, now)) continue;
      if (step.kind === 'repeat') {
        const c = mine[Number(step.channel)];
        if (!c) continue;
        sends.push({
          template: ALERT_TEMPLATE,
          channel: c.channel as 'email' | 'sms' | 'webhook',
          to: c.contactId ? { personId: p.person_id, contactId: c.contactId } : { personId: p.person_id },
          message: alertMessageRef(alert.id),
          priority: PRIORITY.checkin,
          params: { alert: alert.id, repeat: step.attempt },
          dedupeKey: `alert:${alert.id}:repeat:${step.attempt}:${p.person_id}`,
          retention: 'security',
        });
        states.push({ person_id: p.person_id, repeats_done: step.attempt, emergency_told: p.emergency_told });
        repeats++;
      } else if (step.kind === 'emergency_contact') {
        sends.push({
          template: EMERGENCY_TEMPLATE,
          channel: 'email',
          to: { personId: p.person_id },
          message: `checkin:${alert.id}`,
          priority: PRIORITY.checkin,
          params: { alert: alert.id },
          dedupeKey: `checkin_emergency:${alert.id}:${p.person_id}`,
          retention: 'security',
        });
        states.push({ person_id: p.person_id, repeats_done: p.repeats_done, emergency_told: 1 });
        emergencyContacts++;
      }
    }
    if (sends.length === 0) continue;
    await db.transaction().execute(async (trx) => {
      await enqueueDeliveries(ctx, trx, sends);
      for (const s of states) await saveEscalation(trx, { alert_id: alert.id, ...s, updated_at: now });
      await recordAudit(ctx, trx, systemActor, 'checkin.escalate', `alert:${alert.id}`, {
        repeats: sends.filter((s) => s.template === ALERT_TEMPLATE).length,
        emergencyContacts: sends.filter((s) => s.template === EMERGENCY_TEMPLATE).length,
      });
    });
  }
  return { repeats, emergencyContacts };
}

/**
 * The email to a person's emergency contact: who we are trying to reach, about what, and whom to
 * call. Dropped when the person answered meanwhile or was erased.
 */
export async function renderEmergencyContact(
  ctx: Context,
  row: DeliveryRow,
): Promise<RenderedDelivery | { drop: string }> {
  const db = ctx.store.db;
  const { alert: alertId } = JSON.parse(row.params) as { alert: string };
  const alert = await findAlert(db, alertId);
  if (!alert || !row.person_id) return { drop: 'alert removed' };
  const [person, wrapped] = [
    await findEnrollment(db, row.person_id),
    await findWrappedKey(db, row.person_id),
  ];
  if (!person || !wrapped) return { drop: 'recipient erased' };
  if (!person.emergency_email_enc) return { drop: 'no emergency contact email' };
  const answered = await db
    .selectFrom('checkin_latest')
    .select('answer')
    .where('alert_id', '=', alertId)
    .where('person_id', '=', row.person_id)
    .executeTakeFirst();
  if (answered) return { drop: 'answered' };
  const cipher = PersonCipher.open(ctx.privacy.kek, row.person_id, wrapped);
  const name = cipher.decrypt('name', person.name_enc);
  const contactName = cipher.decrypt('emergencyContactName', person.emergency_name_enc);
  const post = await findPost(db, alert.content.postId);
  const title = localizeAlert(alert.content, 'en').title;
  return {
    to: cipher.decrypt('emergencyContactEmail', person.emergency_email_enc),
    subject: `We are trying to reach ${name}`,
    text: [
      `Dear ${contactName},`,
      '',
      `${name} named you as their emergency contact. After our safety alert "${title}", we asked them to tell us whether they are safe, and we have not heard from them.`,
      '',
      `If you hear from them, please ask them to answer our message, or contact ${post?.name ?? 'the embassy'}${post?.contact.phone ? ` at ${post.contact.phone}` : ''}.`,
    ].join('\n'),
  };
}
