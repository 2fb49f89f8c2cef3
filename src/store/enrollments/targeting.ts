import { sql } from 'kysely';
import type { Db } from '../db.ts';

/*
 * What alert targeting reads: trips of verified people (a verified contact; erased people have no
 * rows left) who have not chosen "stop all messages" (`enrollments.unsubscribed_at`, as the send
 * list in store/alerts/audience.ts), and how each person can be reached. Plain columns only: nothing is decrypted.
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
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('enrollments as e')
          .select('e.id')
          .whereRef('e.id', '=', 't.person_id')
          .where('e.unsubscribed_at', 'is', null),
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

/** Verified contacts per channel of each person (people without any, or who stopped all messages, are absent). */
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
      .selectFrom('enrollment_contacts as c')
      .innerJoin('enrollments as e', 'e.id', 'c.person_id')
      .select(['c.person_id', 'c.kind'])
      .where('c.person_id', 'in', ids)
      .where('c.verified_at', 'is not', null)
      .where('e.unsubscribed_at', 'is', null)
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
      .where('unsubscribed_at', 'is', null)
      .execute();
    for (const r of hooks) get(r.id).webhook = 1;
  }
  return out;
}

// ---- the index's feed: full reads and changes since a checkpoint ----------------------------

/**
 * Where the change log stands now, read BEFORE the data it covers: SQLite, the last seq;
 * PostgreSQL, the xmin of a fresh snapshot (every transaction below it has ended).
 */
export async function changeCheckpoint(
  store: { db: Db; backend: 'sqlite' | 'postgres' },
  db: Db = store.db,
): Promise<string> {
  if (store.backend === 'postgres') {
    const r = await sql<{
      xmin: string;
    }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(db);
    return r.rows[0]?.xmin ?? '0';
  }
  const r = await db
    .selectFrom('targeting_changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return String(r?.seq ?? 0);
}

/** People changed since `checkpoint`, and the checkpoint to ask from next time. */
export async function changedPeople(
  store: { db: Db; backend: 'sqlite' | 'postgres' },
  checkpoint: string,
  db: Db = store.db,
): Promise<{ people: string[]; checkpoint: string }> {
  if (store.backend === 'postgres') {
    const next = await changeCheckpoint(store, db);
    const r = await sql<{ person_id: string }>`select distinct person_id from targeting_changes
      where xid >= ${checkpoint}::xid8`.execute(db);
    return { people: r.rows.map((x) => x.person_id), checkpoint: next };
  }
  const rows = await db
    .selectFrom('targeting_changes')
    .select(['seq', 'person_id'])
    .where('seq', '>', Number(checkpoint))
    .orderBy('seq')
    .execute();
  const last = rows.at(-1)?.seq;
  return {
    people: [...new Set(rows.map((r) => r.person_id))],
    checkpoint: last === undefined ? checkpoint : String(last),
  };
}

/** Drops change rows older than `before` (ISO time). */
export async function pruneChanges(
  store: { db: Db; backend: 'sqlite' | 'postgres' },
  before: string,
): Promise<void> {
  if (store.backend === 'postgres') {
    await sql`delete from targeting_changes where at < ${before}::timestamptz`.execute(store.db);
  } else {
    await store.db.deleteFrom('targeting_changes').where('at', '<', before).execute();
  }
}

export interface PersonState {
  readonly id: string;
  /** null when the person is not a recipient (no verified contact, stopped all messages, or erased). */
  readonly channels: PersonChannels | null;
  readonly trips: TargetTripRow[];
}

/** The targeting state of these people now. */
export async function peopleState(db: Db, ids: readonly string[]): Promise<PersonState[]> {
  const out: PersonState[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const channels = await channelsOf(db, chunk);
    const trips = await db
      .selectFrom('enrollment_trips')
      .select(['person_id', 'country', 'region', 'lat', 'lon', 'place_id', 'arrival', 'departure'])
      .where('person_id', 'in', chunk)
      .execute();
    const byPerson = new Map<string, TargetTripRow[]>();
    for (const t of trips) byPerson.set(t.person_id, [...(byPerson.get(t.person_id) ?? []), t]);
    for (const id of chunk) {
      const c = channels.get(id);
      const verified = c !== undefined && c.email + c.sms > 0;
      out.push({ id, channels: verified ? c : null, trips: byPerson.get(id) ?? [] });
    }
  }
  return out;
}

/** Channels of every verified person who has not stopped all messages (for a full build). */
export async function allChannels(db: Db): Promise<Map<string, PersonChannels>> {
  const out = new Map<string, PersonChannels>();
  const rows = await db
    .selectFrom('enrollment_contacts as c')
    .innerJoin('enrollments as e', 'e.id', 'c.person_id')
    .select((eb) => ['c.person_id', 'c.kind', eb.fn.countAll<string>().as('n')])
    .where('c.verified_at', 'is not', null)
    .where('e.unsubscribed_at', 'is', null)
    .groupBy(['c.person_id', 'c.kind'])
    .execute();
  for (const r of rows) {
    const c = out.get(r.person_id) ?? { email: 0, sms: 0, webhook: 0 };
    if (r.kind === 'email') c.email += Number(r.n);
    else if (r.kind === 'phone') c.sms += Number(r.n);
    out.set(r.person_id, c);
  }
  const hooks = await db
    .selectFrom('enrollments')
    .select('id')
    .where('webhook_url_enc', 'is not', null)
    .execute();
  for (const h of hooks) {
    const c = out.get(h.id);
    if (c) c.webhook = 1;
  }
  return out;
}

/** A page of all trips by id (for a full build). */
export async function tripPage(
  db: Db,
  after: string,
  limit: number,
): Promise<Array<TargetTripRow & { id: string }>> {
  return db
    .selectFrom('enrollment_trips')
    .select(['id', 'person_id', 'country', 'region', 'lat', 'lon', 'place_id', 'arrival', 'departure'])
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
}
