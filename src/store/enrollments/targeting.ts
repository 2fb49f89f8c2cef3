import type { Db } from '../db.ts';

/*
 * What alert targeting reads: trips of verified people (a verified contact; erased people have no
 * rows left) and how each person can be reached. Plain columns only: nothing is decrypted.
 */

export interface TargetTripRow {
  person_id: string;
  country: string;
  region: string | null;
  lat: number | null;
  lon: number | null;
  place_id: number | null;
  arrival: string;
  departure: string | null;
}

/** Trips of verified people present at some time in [firstDay, lastDay] (YYYY-MM-DD). */
export async function tripsInWindow(db: Db, firstDay: string, lastDay: string): Promise<TargetTripRow[]> {
  return db
    .selectFrom('enrollment_trips as t')
    .select([
      't.person_id',
      't.country',
      't.region',
      't.lat',
      't.lon',
      't.place_id',
      't.arrival',
      't.departure',
    ])
    .where('t.arrival', '<=', lastDay)
    .where((eb) => eb.or([eb('t.departure', 'is', null), eb('t.departure', '>=', firstDay)]))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('enrollment_contacts as c')
          .select('c.id')
          .whereRef('c.person_id', '=', 't.person_id')
          .where('c.verified_at', 'is not', null),
      ),
    )
    .execute();
}

export interface PersonChannels {
  /** Verified email addresses. */
  email: number;
  /** Verified phone numbers (SMS). */
  sms: number;
  /** 1 when the person gave a webhook URL. */
  webhook: number;
}

/** Verified contacts per channel of each person (people without any are absent). */
export async function channelsOf(db: Db, personIds: readonly string[]): Promise<Map<string, PersonChannels>> {
  const out = new Map<string, PersonChannels>();
  const get = (id: string) => {
    let c = out.get(id);
    if (!c) {
      c = { email: 0, sms: 0, webhook: 0 };
      out.set(id, c);
    }
    return c;
  };
  for (let i = 0; i < personIds.length; i += 500) {
    const ids = personIds.slice(i, i + 500);
    const contacts = await db
      .selectFrom('enrollment_contacts')
      .select(['person_id', 'kind'])
      .where('person_id', 'in', ids)
      .where('verified_at', 'is not', null)
      .execute();
    for (const r of contacts) {
      if (r.kind === 'email') get(r.person_id).email++;
      else if (r.kind === 'phone') get(r.person_id).sms++;
    }
    const hooks = await db
      .selectFrom('enrollments')
      .select('id')
      .where('id', 'in', ids)
      .where('webhook_url_enc', 'is not', null)
      .execute();
    for (const r of hooks) get(r.id).webhook = 1;
  }
  return out;
}
