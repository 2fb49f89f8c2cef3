import { channelOfContact } from '../../domain/deliveries/model.ts';
import type { Db } from '../db.ts';

/*
 * Who an alert's recipients are, beyond where they are: drill participants, and the verified
 * contacts the send step hands to the delivery engine. Queries by person id in chunks (the
 * recipient list comes from the targeting service).
 */

const CHUNK = 500;

async function chunked<T>(ids: readonly string[], f: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await f(ids.slice(i, i + CHUNK))));
  return out;
}

/** The people among `personIds` who take part in drills (themselves or through their organisation). */
export async function drillParticipants(db: Db, personIds: readonly string[]): Promise<Set<string>> {
  const rows = await chunked(personIds, (chunk) =>
    db
      .selectFrom('enrollments as e')
      .leftJoin('organisations as o', 'o.id', 'e.organisation_id')
      .select('e.id')
      .where('e.id', 'in', chunk)
      .where((w) => w.or([w('e.drill_participant', '=', 1), w('o.drill_participant', '=', 1)]))
      .execute(),
  );
  return new Set(rows.map((r) => r.id));
}

export interface AudienceContact {
  readonly personId: string;
  /** Outbox/engine channel: email, sms or webhook. */
  readonly channel: 'email' | 'sms' | 'webhook';
  /** The contact row (email, sms); null for a webhook (it is a field of the enrollment). */
  readonly contactId: string | null;
}

/**
 * Verified contacts of still-enrolled people (an erased person has no key row) and their webhooks.
 * Unsubscribing from advisory notices (a subscription) does not stop alerts; "stop all messages"
 * (`enrollments.unsubscribed_at`) does.
 */
export async function audienceContacts(db: Db, personIds: readonly string[]): Promise<AudienceContact[]> {
  const contacts = await chunked(personIds, (chunk) =>
    db
      .selectFrom('enrollment_contacts as c')
      .innerJoin('enrollment_keys as k', 'k.person_id', 'c.person_id')
      .innerJoin('enrollments as e', 'e.id', 'c.person_id')
      .select(['c.id', 'c.person_id', 'c.kind'])
      .where('c.person_id', 'in', chunk)
      .where('e.unsubscribed_at', 'is', null)
      .where('c.verified_at', 'is not', null)
      .orderBy('c.person_id')
      .orderBy('c.id')
      .execute(),
  );
  const hooks = await chunked(personIds, (chunk) =>
    db
      .selectFrom('enrollments as e')
      .innerJoin('enrollment_keys as k', 'k.person_id', 'e.id')
      .select('e.id')
      .where('e.id', 'in', chunk)
      .where('e.webhook_url_enc', 'is not', null)
      .where('e.unsubscribed_at', 'is', null)
      .execute(),
  );
  return [
    ...contacts.map(
      (c): AudienceContact => ({
        personId: c.person_id,
        channel: channelOfContact(c.kind),
        contactId: c.id,
      }),
    ),
    ...hooks.map((h): AudienceContact => ({ personId: h.id, channel: 'webhook', contactId: null })),
  ];
}

/** Marks or unmarks one person as a drill participant; false when there is no such enrollment. */
export async function setDrillParticipant(db: Db, personId: string, on: boolean): Promise<boolean> {
  const r = await db
    .updateTable('enrollments')
    .set({ drill_participant: on ? 1 : 0 })
    .where('id', '=', personId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setOrganisationDrillParticipant(db: Db, id: string, on: boolean): Promise<boolean> {
  const r = await db
    .updateTable('organisations')
    .set({ drill_participant: on ? 1 : 0 })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
