import type { Context } from '../../context.ts';
import { localizeAlert } from '../../domain/alerts/localize.ts';
import type { AlertRecord } from '../../domain/alerts/record.ts';
import {
  ANSWER_PURPOSE,
  type CALLBACK_PURPOSE,
  verifyAnswerToken,
} from '../../domain/checkins/answer-tokens.ts';
import { parseReply } from '../../domain/checkins/reply-code.ts';
import type { Answer, AnswerChannel } from '../../domain/checkins/types.ts';
import { iso } from '../../domain/clock.ts';
import { PRIORITY } from '../../domain/deliveries/model.ts';
import { WardenError } from '../../domain/errors.ts';
import { newId, orderedId } from '../../domain/ids.ts';
import { messageLanguage } from '../../domain/messages/catalogue.ts';
import type { MessageLanguage } from '../../domain/messages/languages.ts';
import { blindIndex, PersonCipher, TokenError } from '../../domain/privacy/index.ts';
import { findAlert } from '../../store/alerts/alerts.ts';
import {
  findLatest,
  findOpenByCode,
  insertAnswer,
  isRecipient,
  openCase,
  openCheckinsOf,
  upsertLatest,
} from '../../store/checkins/checkins.ts';
import type { Db } from '../../store/db.ts';
import { findContactsByIndex, findEnrollment, findWrappedKey } from '../../store/enrollments/enrollments.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';
import { enqueueDeliveries } from '../deliveries/enqueue.ts';

export const NEED_HELP_TEMPLATE = 'need_help';

export interface AnswerInput {
  readonly alertId: string;
  readonly personId: string;
  readonly answer: Answer;
  readonly channel: AnswerChannel;
  readonly note?: string | null;
  readonly location?: { readonly lat: number; readonly lon: number } | null;
  /** The provider's message id of an inbound SMS: the same one twice is a replay, recorded once. */
  readonly providerRef?: string | null;
}

export interface AnswerResult {
  readonly id: string;
  readonly answer: Answer;
  readonly at: string;
  /** After the deadline (still counted). */
  readonly late: boolean;
  /** The alert was cancelled (recorded and flagged). */
  readonly alertCancelled: boolean;
  /** A replay of an answer already recorded (nothing new written). */
  readonly replay: boolean;
}

const NOTE_MAX = 1000;

/**
 * Records one answer (all are kept; the newest counts), in one transaction with its audit entry.
 * A need_help answer that is not already an open case opens one for the issuing post and queues
 * an email to the post's duty address at the highest priority.
 */
export async function recordAnswer(ctx: Context, actor: Actor, input: AnswerInput): Promise<AnswerResult> {
  const alert = await findAlert(ctx.store.db, input.alertId);
  if (!alert?.sentAt) throw new TokenError('invalid');
  const note = input.note?.trim() || null;
  if (note && note.length > NOTE_MAX) {
    throw new WardenError('validation_failed', `The note is longer than ${NOTE_MAX} characters.`, {
      field: 'note',
    });
  }
  const loc = input.location ?? null;
  if (loc && (!(Math.abs(loc.lat) <= 90) || !(Math.abs(loc.lon) <= 180))) {
    throw new WardenError('validation_failed', 'The location is not a point on Earth.', {
      field: 'location',
    });
  }
  return ctx.store.db.transaction().execute(async (trx) => {
    // The recipient list is the truth: a token or code for someone the alert did not reach is refused.
    if (!(await isRecipient(trx, alert.id, input.personId))) throw new TokenError('invalid');
    const wrapped = await findWrappedKey(trx, input.personId);
    // Erased since the alert: nothing of theirs is kept.
    if (!wrapped) throw new TokenError('invalid');
    const cipher = PersonCipher.open(ctx.privacy.kek, input.personId, wrapped);
    const at = iso(ctx.clock.now());
    const deadline = alert.content.checkIn.deadline;
    const row = {
      id: orderedId(),
      alert_id: alert.id,
      person_id: input.personId,
      answer: input.answer,
      channel: input.channel,
      note_enc: note ? cipher.encrypt('checkinNote', note) : null,
      location_enc: loc
        ? cipher.encrypt('checkinLocation', JSON.stringify({ lat: loc.lat, lon: loc.lon }))
        : null,
      late: deadline !== null && at > deadline ? 1 : 0,
      alert_cancelled: alert.state === 'cancelled' ? 1 : 0,
      provider_ref: input.providerRef ?? null,
      at,
    };
    const result = {
      id: row.id,
      answer: input.answer,
      at,
      late: row.late === 1,
      alertCancelled: row.alert_cancelled === 1,
    };
    if (!(await insertAnswer(trx, row))) return { ...result, replay: true };
    await upsertLatest(trx, row);
    if (input.answer === 'need_help') await raiseNeedHelp(ctx, trx, alert, input.personId, row.id, at);
    await recordAudit(ctx, trx, actor, 'checkin.answer', `alert:${alert.id}`, {
      answerId: row.id,
      answer: input.answer,
      channel: input.channel,
      late: result.late,
      alertCancelled: result.alertCancelled,
    });
    return { ...result, replay: false };
  });
}

async function raiseNeedHelp(
  ctx: Context,
  trx: Db,
  alert: AlertRecord,
  personId: string,
  answerId: string,
  at: string,
) {
  const id = newId();
  const opened = await openCase(trx, {
    id,
    alert_id: alert.id,
    post_id: alert.content.postId,
    country: alert.country,
    person_id: personId,
    answer_id: answerId,
    opened_at: at,
    handled_at: null,
    handled_by: null,
    handled_note: null,
  });
  // Already an open case: staff are on it; the new answer shows in its history.
  if (!opened) return;
  await enqueueDeliveries(ctx, trx, [
    {
      template: NEED_HELP_TEMPLATE,
      channel: 'email',
      to: { postId: alert.content.postId },
      message: `checkin:${alert.id}`,
      priority: PRIORITY.emergency,
      params: { case: id },
      dedupeKey: `need_help:${id}`,
      retention: 'security',
    },
  ]);
}

export interface AnswerPageView {
  readonly language: MessageLanguage;
  readonly title: string;
  readonly deadline: string | null;
  readonly cancelled: boolean;
  readonly answer: Answer | null;
}

/** What the public answer page shows for a link: the alert's title in the recipient's language. */
export async function answerPageView(ctx: Context, token: string): Promise<AnswerPageView> {
  const s = verifyAnswerToken(ctx.privacy.tokens, ANSWER_PURPOSE, token, ctx.clock.now());
  const db = ctx.store.db;
  const [alert, person] = [await findAlert(db, s.alertId), await findEnrollment(db, s.recipientId)];
  if (!alert?.sentAt || !person || !(await isRecipient(db, alert.id, s.recipientId)))
    throw new TokenError('invalid');
  const language = messageLanguage(person.language);
  const latest = await findLatest(db, alert.id, s.recipientId);
  return {
    language,
    title: localizeAlert(alert.content, language).title,
    deadline: alert.content.checkIn.deadline,
    cancelled: alert.state === 'cancelled',
    answer: (latest?.answer as Answer | undefined) ?? null,
  };
}

export async function answerByToken(
  ctx: Context,
  actor: Actor,
  purpose: typeof ANSWER_PURPOSE | typeof CALLBACK_PURPOSE,
  token: string,
  body: { answer: Answer; note?: string | null; location?: { lat: number; lon: number } | null },
): Promise<AnswerResult> {
  const s = verifyAnswerToken(ctx.privacy.tokens, purpose, token, ctx.clock.now());
  return recordAnswer(ctx, actor, {
    alertId: s.alertId,
    personId: s.recipientId,
    answer: body.answer,
    channel: s.channel,
    note: body.note ?? null,
    location: body.location ?? null,
  });
}

export type InboundOutcome =
  | { readonly kind: 'recorded'; readonly result: AnswerResult }
  | {
      readonly kind: 'refused';
      readonly reason: 'unrecognised' | 'no_code' | 'unknown_code' | 'unknown_sender' | 'not_recipient';
    };

/**
 * An SMS reply. The sender's number finds the person (blind index), the code finds the alert;
 * without a code, the one open alert that reached the sender (if exactly one). Refusals are
 * audited with their reason (never the text or number) and answered like successes to the provider.
 */
export async function handleInboundSms(
  ctx: Context,
  actor: Actor,
  sms: { providerId: string; from: string; body: string },
): Promise<InboundOutcome> {
  const refuse = async (
    reason: Extract<InboundOutcome, { kind: 'refused' }>['reason'],
  ): Promise<InboundOutcome> => {
    await ctx.store.db
      .transaction()
      .execute((trx) =>
        recordAudit(ctx, trx, actor, 'checkin.sms_refused', null, { reason, providerId: sms.providerId }),
      );
    return { kind: 'refused', reason };
  };
  const parsed = parseReply(sms.body);
  if (parsed.kind === 'unrecognised') return refuse('unrecognised');
  const index = blindIndex(ctx.privacy.blindIndex, 'phone', sms.from);
  const contacts = index ? await findContactsByIndex(ctx.store.db, [index]) : [];
  const personIds = [...new Set(contacts.filter((c) => c.kind === 'phone').map((c) => c.person_id))];
  if (personIds.length === 0) return refuse('unknown_sender');
  const open = await openCheckinsOf(ctx.store.db, personIds);
  let match: { alert_id: string; person_id: string } | undefined;
  if (parsed.kind === 'answer') {
    const checkin = await findOpenByCode(ctx.store.db, parsed.code);
    if (!checkin) return refuse('unknown_code');
    match = open.find((o) => o.alert_id === checkin.alert_id);
    if (!match) return refuse('not_recipient');
  } else {
    const alerts = new Set(open.map((o) => o.alert_id));
    if (alerts.size !== 1) return refuse('no_code');
    match = open[0];
  }
  if (!match) return refuse('no_code');
  const result = await recordAnswer(ctx, actor, {
    alertId: match.alert_id,
    personId: match.person_id,
    answer: parsed.answer,
    channel: 'sms',
    providerRef: `sms:${sms.providerId}`,
  });
  return { kind: 'recorded', result };
}
