import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { channelOfContact } from '../../domain/deliveries/model.ts';
import { dueBefore } from '../../domain/enrollments/presence.ts';
import { WardenError } from '../../domain/errors.ts';
import { TokenError, verifyToken } from '../../domain/privacy/index.ts';
import {
  confirmTrip,
  findTrip,
  markAsked,
  reminderContacts,
  tripsDueForConfirmation,
} from '../../store/enrollments/presence.ts';
import { type Actor, recordAudit, systemActor } from '../audit/audit.ts';
import { enqueueDeliveries } from '../deliveries/enqueue.ts';
import { messageDelivery } from '../subscriptions/messages.ts';
import { type EnrollmentView, loadEnrollmentView } from './self.ts';
import { CONFIRM_PRESENCE } from './verification.ts';

/*
 * Open-ended trips (one-way, residents) never drop out of targeting. Instead, every
 * presence.confirmDays the traveller is asked to confirm they are still there; a trip not
 * confirmed within presence.graceDays of being due shows as 'unconfirmed' to them and to staff.
 */

const PAGE = 500;

/**
 * Asks every traveller whose open-ended trip is due to confirm presence: one message per trip
 * with a signed link, sent now (like a verification, it is a short personal message). Each
 * page of trips is one transaction with its audit entry (counts only). Returns how many asked.
 */
export async function queuePresenceReminders(ctx: Context, opts: { page?: number } = {}): Promise<number> {
  const page = opts.page ?? PAGE;
  const now = ctx.clock.now();
  const at = iso(now);
  const cutoff = iso(dueBefore(ctx.config.presence, now));
  let asked = 0;
  for (let after = ''; ; ) {
    const ids = await ctx.store.db.transaction().execute(async (trx) => {
      const due = await tripsDueForConfirmation(trx, cutoff, after, page);
      if (due.length === 0) return null;
      after = due[due.length - 1]!.id;
      const contacts = await reminderContacts(trx, [...new Set(due.map((t) => t.person_id))]);
      const rows = due.flatMap((t) => {
        const c = contacts.get(t.person_id);
        if (!c) return [];
        const to = {
          personId: t.person_id,
          contactId: c.id,
          channel: channelOfContact(c.kind),
        };
        return [messageDelivery(to, 'confirm_presence', { trip: t.id, at }, `p:${t.id}:${at}`)];
      });
      await markAsked(
        trx,
        due.map((t) => t.id),
        at,
      );
      const written = await enqueueDeliveries(ctx, trx, rows);
      await recordAudit(ctx, trx, systemActor, 'presence.remind', null, { trips: written.length });
      return written;
    });
    if (ids === null) break;
    asked += ids.length;
  }
  return asked;
}

/** The traveller confirms one of their trips from self-service; returns their enrollment. */
export async function confirmMyTrip(
  ctx: Context,
  actor: Actor,
  personId: string,
  tripId: string,
): Promise<EnrollmentView> {
  return ctx.store.db.transaction().execute(async (trx) => {
    if (!(await confirmTrip(trx, tripId, iso(ctx.clock.now()), personId)))
      throw new WardenError('not_found', 'Trip not found.', { id: tripId });
    await recordAudit(ctx, trx, actor, 'enrollment.presence_confirmed', `enrollment:${personId}`, {});
    return loadEnrollmentView(ctx, trx, personId);
  });
}

/**
 * Confirms presence from the link of a reminder. The link names the trip and when it was asked;
 * once the trip is confirmed after that, the link only says so.
 */
export async function confirmPresenceByLink(
  ctx: Context,
  actor: Actor,
  token: string,
): Promise<{ status: 'confirmed' | 'already_confirmed' }> {
  const now = ctx.clock.now();
  const claims = verifyToken(ctx.privacy.tokens, token, CONFIRM_PRESENCE, now);
  const askedAt = claims.at;
  if (typeof askedAt !== 'string') throw new TokenError('invalid');
  return ctx.store.db.transaction().execute(async (trx) => {
    const trip = await findTrip(trx, claims.sub);
    if (!trip) throw new TokenError('invalid');
    if (trip.confirmed_at && trip.confirmed_at >= askedAt) return { status: 'already_confirmed' as const };
    await confirmTrip(trx, trip.id, iso(now));
    await recordAudit(ctx, trx, actor, 'enrollment.presence_confirmed', `enrollment:${trip.person_id}`, {
      via: 'link',
    });
    return { status: 'confirmed' as const };
  });
}
