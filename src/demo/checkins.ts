import type { Context } from '../context.ts';
import { DEFAULT_ESCALATION } from '../domain/checkins/escalation.ts';
import type { Answer, AnswerChannel } from '../domain/checkins/types.ts';
import { type Actor, systemActor } from '../services/audit/audit.ts';
import { recordAnswer } from '../services/checkins/answers.ts';
import { markHandled } from '../services/checkins/need-help.ts';
import { savePostCheckinSettings } from '../services/checkins/settings.ts';
import { listRecipients } from '../store/alerts/alerts.ts';
import { listCases } from '../store/checkins/checkins.ts';
import { BASRAH_SENT_HOURS_AGO, type DemoAlerts } from './alerts.ts';
import { rng } from './enrollments.ts';
import type { DemoPosts } from './posts.ts';
import { staff } from './posts.ts';

/*
 * Answers to the Basrah alert's check-in request, as they came in since it was sent
 * (BASRAH_SENT_HOURS_AGO): most people answer "I'm safe" within the first hour or two, the rest
 * trickle in, a few change their answer, some never answer. A few answer "I need help"; the
 * embassy's duty officer has handled the first case. Every answer goes through the check-in
 * service with the clock at its moment, so the dashboard's answers per hour have a shape.
 */

const HOUR = 3_600_000;

/** Share of recipients who answer at all, and of those who answer "I need help". */
const ANSWERING = 0.82;
const NEED_HELP = 0.02;
/** Share of those who answered that answer a second time (a follow-up "safe", or a change of mind). */
const AGAIN = 0.12;

export interface DemoCheckins {
  readonly answers: number;
  readonly needHelp: number;
  readonly handledCase: string | null;
}

const at = (ctx: Context, ms: number): Context => ({ ...ctx, clock: { now: () => new Date(ms) } });

export async function loadDemoCheckins(
  ctx: Context,
  posts: DemoPosts,
  alerts: DemoAlerts,
  actor: Actor = systemActor,
): Promise<DemoCheckins> {
  const now = ctx.clock.now().getTime();
  const sent = now - BASRAH_SENT_HOURS_AGO * HOUR;
  const duty = await staff(ctx, 'officer.iraq@warden.local', actor);
  // Need-help answers alert the issuing post (Embassy Baghdad covers Basrah) at its duty address.
  await savePostCheckinSettings(at(ctx, sent - HOUR), duty, posts.baghdad, {
    dutyEmail: 'BaghdadACS@state.gov',
    escalation: DEFAULT_ESCALATION,
  });

  const random = rng(2025);
  const channels: AnswerChannel[] = ['email', 'email', 'email', 'sms', 'sms', 'webhook'];
  const planned: Array<{ ms: number; personId: string; answer: Answer; channel: AnswerChannel }> = [];
  const window = now - sent - 60_000;
  for (const { personId } of await listRecipients(ctx.store.db, alerts.basrah)) {
    if (random() >= ANSWERING) continue;
    // Most answer soon after the message (an exponential with a 40-minute mean); about a quarter
    // only when they next look at their phone, at any time since.
    const delay =
      random() < 0.75
        ? Math.min(window, (-Math.log(1 - random()) * 40 + 1 + random() * 2) * 60_000)
        : random() * window;
    const answer: Answer = random() < NEED_HELP ? 'need_help' : 'safe';
    const channel = channels[Math.floor(random() * channels.length)] ?? 'email';
    planned.push({ ms: sent + delay, personId, answer, channel });
    if (random() < AGAIN) {
      // Someone who needed help says later that they are safe; others confirm by another channel.
      const later = Math.min(window, delay + (20 + random() * 240) * 60_000);
      const next = answer === 'need_help' && random() < 0.5 ? 'safe' : answer;
      planned.push({ ms: sent + later, personId, answer: next, channel: 'sms' });
    }
  }
  planned.sort((a, b) => a.ms - b.ms);
  for (const p of planned) {
    await recordAnswer(at(ctx, p.ms), actor, {
      alertId: alerts.basrah,
      personId: p.personId,
      answer: p.answer,
      channel: p.channel,
    });
  }

  // The first need-help case was handled by the duty officer an hour later.
  const cases = await listCases(ctx.store.db, { alertId: alerts.basrah, open: true });
  const first = cases.at(-1);
  if (first) {
    await markHandled(
      at(ctx, Math.min(now - 60_000, Date.parse(first.opened_at) + HOUR)),
      duty,
      first.id,
      'Reached by phone; safe indoors at their hotel near the Shatt al-Arab. Driver arranged for the morning.',
    );
  }
  return {
    answers: planned.length,
    needHelp: planned.filter((p) => p.answer === 'need_help').length,
    handledCase: first?.id ?? null,
  };
}
