import type { Context } from '../../context.ts';
import type { RecipientPrecision } from '../../domain/alerts/record.ts';
import type { AlertArea, AlertStatus } from '../../domain/alerts/types.ts';
import { type AudienceContact, audienceContacts, drillParticipants } from '../../store/alerts/audience.ts';
import type { Db } from '../../store/db.ts';
import { alertReach, alertRecipients, type Reach as TargetReach } from './targeting.ts';

/*
 * Who an alert reaches: the people the targeting service finds in the area and window, narrowed to
 * drill participants for an Exercise or Test, with their verified contacts per channel. Computed
 * from the store when asked (the send step asks at send time, so a trip committed before the send
 * is in).
 */

export interface AudienceQuery {
  readonly area: AlertArea;
  readonly effective: string;
  readonly expires: string;
  readonly includeUnknownLocation: boolean;
  readonly status: AlertStatus;
}

export interface Reach extends TargetReach {
  /** Only drill participants count (Exercise and Test). */
  readonly drillOnly: boolean;
  /** 'no_recipients' when the area selects nobody (allowed, with this warning). */
  readonly warnings: readonly string[];
}

export interface Recipient {
  readonly personId: string;
  readonly precision: RecipientPrecision;
}

export interface Audience {
  readonly recipients: readonly Recipient[];
  readonly contacts: readonly AudienceContact[];
  readonly reach: Reach;
}

const warningsOf = (total: number): string[] => (total === 0 ? ['no_recipients'] : []);

/** Counts only (the composer's live reach): the targeting service's counts, or a drill's own. */
export async function audienceReach(ctx: Context, q: AudienceQuery): Promise<Reach> {
  if (q.status !== 'Actual') return (await alertAudience(ctx, q)).reach;
  const r = await alertReach(ctx, q);
  return { ...r, drillOnly: false, warnings: warningsOf(r.people.total) };
}

export async function alertAudience(
  ctx: Context,
  q: AudienceQuery,
  db: Db = ctx.store.db,
): Promise<Audience> {
  let recipients: Recipient[] = (await alertRecipients(ctx, q, { db })).map((r) => ({
    personId: r.enrollmentId,
    precision: r.precision,
  }));
  const drillOnly = q.status !== 'Actual';
  if (drillOnly) {
    const drill = await drillParticipants(
      db,
      recipients.map((r) => r.personId),
    );
    recipients = recipients.filter((r) => drill.has(r.personId));
  }
  const contacts = await audienceContacts(
    db,
    recipients.map((r) => r.personId),
  );
  return { recipients, contacts, reach: reachOf(recipients, contacts, drillOnly) };
}

/** Counts of a known recipient list (drills, cancels): the same shape as the targeting service's. */
export function reachOf(
  recipients: readonly Recipient[],
  contacts: readonly AudienceContact[],
  drillOnly: boolean,
): Reach {
  const people = { total: recipients.length, exact: 0, approximate: 0, countryOnly: 0 };
  for (const r of recipients) {
    if (r.precision === 'exact') people.exact++;
    else if (r.precision === 'approximate') people.approximate++;
    else people.countryOnly++;
  }
  const per = { email: new Set<string>(), sms: new Set<string>(), webhook: new Set<string>() };
  const n = { email: 0, sms: 0, webhook: 0 };
  for (const c of contacts) {
    per[c.channel].add(c.personId);
    n[c.channel]++;
  }
  const ch = (k: 'email' | 'sms' | 'webhook') => ({ people: per[k].size, contacts: n[k] });
  return {
    people,
    channels: { email: ch('email'), sms: ch('sms'), webhook: ch('webhook') },
    drillOnly,
    warnings: warningsOf(recipients.length),
  };
}
