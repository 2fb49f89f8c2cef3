import { type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

/*
 * The alert-targeting index (docs/alert-targeting.md) keeps every trip in memory and must see
 * each change committed before a send. Triggers record the person behind every change to what
 * targeting reads (trips, verified contacts, webhook, erasure) in targeting_changes; an index
 * applies the people changed since it last looked, reading them again from the store.
 *
 * SQLite has one writer at a time, so rows appear in `seq` order and "seq > last seen" misses
 * nothing. PostgreSQL transactions commit out of order, so each row also carries its
 * transaction id and a reader asks for every row from transactions not finished when it last
 * looked (xid >= that snapshot's xmin). PostgreSQL's triggers fire once per statement with the
 * statement's rows (a bulk import writes one change row per person, not one trigger call per row).
 * Rows are pruned after a day; an index that has not looked for longer rebuilds.
 */
export async function up(db: Kysely<unknown>, backend: Backend): Promise<void> {
  if (backend === 'postgres') {
    await sql`create table targeting_changes (
      seq bigserial primary key,
      person_id text not null,
      xid xid8 not null default pg_current_xact_id(),
      at timestamptz not null default clock_timestamp()
    )`.execute(db);
    await sql`create index targeting_changes_xid_idx on targeting_changes (xid)`.execute(db);
    await sql`create index targeting_changes_at_idx on targeting_changes (at)`.execute(db);
    for (const [fn, rows, column] of [
      ['targeting_note_new', 'new_rows', 'person_id'],
      ['targeting_note_old', 'old_rows', 'person_id'],
      ['targeting_note_new_person', 'new_rows', 'id'],
      ['targeting_note_old_person', 'old_rows', 'id'],
    ] as const) {
      await sql
        .raw(`create function ${fn}() returns trigger language plpgsql as $$
        begin
          insert into targeting_changes (person_id) select distinct ${column} from ${rows};
          return null;
        end $$`)
        .execute(db);
    }
    for (const table of ['enrollment_trips', 'enrollment_contacts']) {
      await sql
        .raw(`create trigger ${table}_targeting_ins after insert on ${table}
          referencing new table as new_rows for each statement execute function targeting_note_new()`)
        .execute(db);
      await sql
        .raw(`create trigger ${table}_targeting_del after delete on ${table}
          referencing old table as old_rows for each statement execute function targeting_note_old()`)
        .execute(db);
      // Transition tables cannot go with a column list: every update is noted (presence
      // confirmations too), which costs a re-read of those people.
      await sql
        .raw(`create trigger ${table}_targeting_upd_new after update on ${table}
          referencing new table as new_rows for each statement execute function targeting_note_new()`)
        .execute(db);
      await sql
        .raw(`create trigger ${table}_targeting_upd_old after update on ${table}
          referencing old table as old_rows for each statement execute function targeting_note_old()`)
        .execute(db);
    }
    await sql`create trigger enrollments_targeting_upd after update on enrollments
      referencing new table as new_rows for each statement execute function targeting_note_new_person()`.execute(
      db,
    );
    await sql`create trigger enrollments_targeting_del after delete on enrollments
      referencing old table as old_rows for each statement execute function targeting_note_old_person()`.execute(
      db,
    );
    return;
  }
  await sql`create table targeting_changes (
    seq integer primary key autoincrement,
    person_id text not null,
    at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`.execute(db);
  await sql`create index targeting_changes_at_idx on targeting_changes (at)`.execute(db);
  const note = (who: string) => `insert into targeting_changes (person_id) values (${who});`;
  const triggers: Array<[string, string, string]> = [
    ['enrollment_trips_targeting_ins', 'after insert on enrollment_trips', note('new.person_id')],
    ['enrollment_trips_targeting_del', 'after delete on enrollment_trips', note('old.person_id')],
    [
      'enrollment_trips_targeting_upd',
      'after update of person_id, country, region, lat, lon, place_id, arrival, departure on enrollment_trips',
      note('new.person_id') + note('old.person_id'),
    ],
    ['enrollment_contacts_targeting_ins', 'after insert on enrollment_contacts', note('new.person_id')],
    ['enrollment_contacts_targeting_del', 'after delete on enrollment_contacts', note('old.person_id')],
    [
      'enrollment_contacts_targeting_upd',
      'after update of person_id, kind, verified_at on enrollment_contacts',
      note('new.person_id') + note('old.person_id'),
    ],
    ['enrollments_targeting_upd', 'after update of webhook_url_enc on enrollments', note('new.id')],
    ['enrollments_targeting_del', 'after delete on enrollments', note('old.id')],
  ];
  for (const [name, when, body] of triggers) {
    await sql.raw(`create trigger ${name} ${when} begin ${body} end`).execute(db);
  }
}
