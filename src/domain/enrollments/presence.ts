/**
 * Presence of open-ended trips (one-way, residents). Such a trip never drops out of targeting;
 * instead the traveller is asked every `confirmDays` to confirm they are still there, and a trip
 * not confirmed within `graceDays` after that shows as 'unconfirmed'. A trip's presence dates
 * from the later of its arrival and its last confirmation (its creation until confirmed).
 */
export type Presence = 'confirmed' | 'unconfirmed';

export interface PresenceRule {
  readonly confirmDays: number;
  readonly graceDays: number;
}

const DAY = 86_400_000;

export interface PresenceTrip {
  readonly arrival: string;
  readonly departure: string | null;
  readonly created_at: string;
  readonly confirmed_at?: string | null | undefined;
}

const presenceBase = (t: PresenceTrip): number =>
  Math.max(Date.parse(t.confirmed_at ?? t.created_at), Date.parse(`${t.arrival}T00:00:00.000Z`));

/** When the trip is next due for confirmation (null for a trip with a departure). */
export function presenceDue(rule: PresenceRule, t: PresenceTrip): Date | null {
  return t.departure === null ? new Date(presenceBase(t) + rule.confirmDays * DAY) : null;
}

/** The presence of a trip now: null for a trip with a departure (its dates say when it ends). */
export function presenceOf(rule: PresenceRule, t: PresenceTrip, now: Date): Presence | null {
  if (t.departure !== null) return null;
  const overdue = presenceBase(t) + (rule.confirmDays + rule.graceDays) * DAY;
  return now.getTime() > overdue ? 'unconfirmed' : 'confirmed';
}

/** Open-ended trips whose presence dates from before this instant are unconfirmed now. */
export const overdueBefore = (rule: PresenceRule, now: Date): Date =>
  new Date(now.getTime() - (rule.confirmDays + rule.graceDays) * DAY);

/** Open-ended trips whose presence dates from before this instant are due to be asked. */
export const dueBefore = (rule: PresenceRule, now: Date): Date =>
  new Date(now.getTime() - rule.confirmDays * DAY);
