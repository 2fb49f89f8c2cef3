import type { Db } from '../../src/store/db.ts';

/* Enrollment rows written straight to the store, for targeting tests (no sealing needed). */

const AT = '2026-11-01T00:00:00.000Z';
let seq = 0;
const uuid = (): string => {
  seq++;
  const hex = seq.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
};

export interface PersonSpec {
  readonly id?: string;
  readonly emails?: number;
  readonly phones?: number;
  readonly unverified?: number;
  readonly webhook?: boolean;
  /** Chose "stop all messages" (enrollments.unsubscribed_at set). */
  readonly stopped?: boolean;
}

export async function addPerson(db: Db, p: PersonSpec = {}): Promise<string> {
  const id = p.id ?? uuid();
  await db
    .insertInto('enrollments')
    .values({
      id,
      name_enc: 'x',
      language: 'en',
      emergency_name_enc: 'x',
      emergency_phone_enc: null,
      emergency_email_enc: null,
      webhook_url_enc: p.webhook ? 'sealed' : null,
      consent_at: AT,
      unsubscribed_at: p.stopped ? AT : null,
      created_at: AT,
      updated_at: AT,
      organisation_id: null,
      external_id: null,
      content_hash: null,
    })
    .execute();
  const contacts: Array<{ kind: string; verified: boolean }> = [
    ...Array.from({ length: p.emails ?? 1 }, () => ({ kind: 'email', verified: true })),
    ...Array.from({ length: p.phones ?? 0 }, () => ({ kind: 'phone', verified: true })),
    ...Array.from({ length: p.unverified ?? 0 }, () => ({ kind: 'email', verified: false })),
  ];
  for (const c of contacts) {
    const cid = uuid();
    await db
      .insertInto('enrollment_contacts')
      .values({
        id: cid,
        person_id: id,
        kind: c.kind,
        value_enc: 'x',
        blind_index: cid.replace(/-/g, '').slice(0, 32),
        owner: 'self',
        verified_at: c.verified ? AT : null,
        verify_version: 1,
        created_at: AT,
      })
      .execute();
  }
  return id;
}

export interface TripSpec {
  readonly country: string;
  readonly region?: string | null;
  readonly lat?: number | null;
  readonly lon?: number | null;
  readonly placeId?: number | null;
  readonly arrival: string;
  readonly departure?: string | null;
}

export async function addTrip(db: Db, personId: string, t: TripSpec): Promise<string> {
  const id = uuid();
  await db
    .insertInto('enrollment_trips')
    .values({
      id,
      person_id: personId,
      country: t.country,
      region: t.region ?? null,
      lat: t.lat ?? null,
      lon: t.lon ?? null,
      place_id: t.placeId ?? null,
      arrival: t.arrival,
      departure: t.departure ?? null,
      created_at: AT,
    })
    .execute();
  return id;
}
