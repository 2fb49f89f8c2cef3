import { randomInt } from 'node:crypto';
import type { Context } from '../../context.ts';
import type { AlertRecord } from '../../domain/alerts/record.ts';
import {
  ANSWER_PURPOSE,
  answerTokenExpiry,
  CALLBACK_PURPOSE,
  signAnswerToken,
} from '../../domain/checkins/answer-tokens.ts';
import { DEFAULT_ESCALATION, type EscalationSettings } from '../../domain/checkins/escalation.ts';
import { allocateReplyCode } from '../../domain/checkins/reply-code-allocation.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import {
  findAlertCheckin,
  findPostSettings,
  insertAlertCheckin,
  openReplyCodes,
} from '../../store/checkins/checkins.ts';

/*
 * What an alert message carries for its check-in, made at render time (nothing signed is stored):
 * email: the answer page `/checkin?answer=…#token=…`; SMS: the same page and the alert's reply
 * code; webhook: a callback URL the organisation's system POSTs answers to.
 */

export interface CheckinLinks {
  /** The public answer page (its "I'm safe" form). */
  readonly page: string;
  readonly safe: string;
  readonly needHelp: string;
  /** For webhooks: where to POST `{ answer, note? }`. */
  readonly callback: string;
  /** For SMS: `SAFE <code>` / `HELP <code>`. */
  readonly replyCode: string | null;
}

/** The alert's reply code, allocated on first use (concurrent renderers agree through the row). */
export async function ensureReplyCode(ctx: Context, alert: AlertRecord): Promise<string> {
  const db = ctx.store.db;
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await findAlertCheckin(db, alert.id);
    if (existing) return existing.reply_code;
    const code = allocateReplyCode(await openReplyCodes(db), randomInt);
    if (code === null) throw new WardenError('conflict', 'Every SMS reply code is in use.', {});
    const settings = await findPostSettings(db, alert.content.postId);
    const escalation: EscalationSettings = settings
      ? (JSON.parse(settings.escalation) as EscalationSettings)
      : DEFAULT_ESCALATION;
    try {
      await insertAlertCheckin(db, {
        alert_id: alert.id,
        reply_code: code,
        open: 1,
        escalation: JSON.stringify(escalation),
        created_at: iso(ctx.clock.now()),
      });
    } catch {
      // Another alert took the code at the same moment: pick again.
    }
  }
  throw new WardenError('conflict', 'Could not allocate an SMS reply code.', {});
}

export async function checkinLinks(
  ctx: Context,
  alert: AlertRecord,
  personId: string,
  channel: 'email' | 'sms' | 'webhook',
): Promise<CheckinLinks | null> {
  if (!alert.content.checkIn.requested) return null;
  // Made on the first message of any channel: escalation follows the alerts that have this row.
  const code = await ensureReplyCode(ctx, alert);
  const exp = answerTokenExpiry(ctx.clock.now(), alert.content.checkIn.deadline);
  const subject = { alertId: alert.id, recipientId: personId, channel };
  const token = signAnswerToken(ctx.privacy.tokens, ANSWER_PURPOSE, subject, exp);
  const base = ctx.config.publicUrl.replace(/\/+$/, '');
  const page = (answer: string) => `${base}/checkin?answer=${answer}#token=${token}`;
  return {
    page: `${base}/checkin#token=${token}`,
    safe: page('safe'),
    needHelp: page('need_help'),
    callback:
      channel === 'webhook'
        ? `${base}/api/public/checkin/callback/${signAnswerToken(ctx.privacy.tokens, CALLBACK_PURPOSE, subject, exp)}`
        : '',
    replyCode: channel === 'sms' ? code : null,
  };
}
