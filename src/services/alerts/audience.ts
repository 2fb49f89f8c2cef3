import type { Context } from '../../context.ts';
import type { RecipientPrecision } from '../../domain/alerts/record.ts';
import type { AlertArea, AlertStatus } from '../../domain/alerts/types.ts';
import type { Db } from '../../store/db.ts';
import { type AudienceContact, audienceContacts, drillParticipants } from '../../store/alerts/audience.ts';
import { findRecipients, type Recipient } from './targeting-interim.ts';

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

export type PrecisionCounts = Record<RecipientPrecision, number>;
export interface ChannelCounts {
  readonly email: number;
  readonly sms: number;
  readonly webhook: number;
}

export interface Reach {
  /** People by how they matched: exact point, approximate place, country only. */
  readonly people: PrecisionCounts & { readonly total: number };
  /** Contacts that would be messaged, per channel. */
  readonly contacts: ChannelCounts;
  /** Only drill participants count (Exercise and Test). */
  readonly drillOnly: boolean;
  /** E.g. 'no_recipients': the area selects nobody (allowed). */
  readonly warnings: readonly string[];
}

export interface Audience {
  readonly recipients: readonly Recipient[];
  readonly contacts: readonly AudienceContact[];
  readonly reach: Reach;
}

export async function alertAudience(ctx: Context, q: AudienceQuery, db: Db = ctx.store.db): Promise<Audience> {
  let recipients = await findRecipients(ctx, q);
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

export function reachOf(
  recipients: readonly { precision: RecipientPrecision }[],
  contacts: readonly AudienceContact[],
  drillOnly: boolean,
): Reach {
  const people = { point: 0, place: 0, country: 0 };
  for (const r of recipients) people[r.precision]++;
  const channels = { email: 0, sms: 0, webhook: 0 };
  for (const c of contacts) channels[c.channel]++;
  return {
    people: { ...people, total: recipients.length },
    contacts: channels,
    drillOnly,
    warnings: recipients.length === 0 ? ['no_recipients'] : [],
  };
}
