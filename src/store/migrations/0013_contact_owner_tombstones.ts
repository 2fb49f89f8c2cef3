import { type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

/*
 * Two organisation-facing leaks (issue 11), docs/enrollment-import.md ("Contacts and other
 * controllers", "People who deleted themselves"):
 *
 * 1. enrollment_contacts.blind_index was UNIQUE across all enrollments, so an organisation that
 *    sent an email someone else had enrolled was told `contact_taken`: it learnt that the address
 *    is enrolled elsewhere. A contact is now unique per controller: `owner` is 'self' for people
 *    who enrolled themselves, or the organisation's id, and UNIQUE (blind_index, owner) replaces
 *    UNIQUE (blind_index). Two controllers may each hold the address (each sealed under its own
 *    person's key); lookups by blind index may find both, and say nothing to either controller.
 * 2. organisation_tombstones: when a person enrolled by an organisation deletes their enrollment
 *    themselves, a keyed hash of (organisation, external id) is kept, so that the organisation's
 *    next import does not enroll them again unless it says so (`re_enroll`).
 *
 * SQLite cannot drop the automatic index of a column's UNIQUE constraint, so the table is rebuilt
 * (nothing references enrollment_contacts by foreign key).
 */
export async function up(db: Kysely<unknown>, backend: Backend): Promise<void> {
  if (backend === 'postgres') {
    await sql`alter table enrollment_contacts add column owner text not null default 'self'`.execute(db);
    await sql`update enrollment_contacts c set owner = e.organisation_id
      from enrollments e where e.id = c.person_id and e.organisation_id is not null`.execute(db);
    await sql`alter table enrollment_contacts drop constraint enrollment_contacts_blind_index_key`.execute(
      db,
    );
  } else {
    await sql`create table enrollment_contacts_new (
      id text primary key,
      person_id text not null references enrollments(id) on delete cascade,
      kind text not null,
      value_enc text not null,
      blind_index text not null,
      verified_at text,
      verify_version integer not null,
      created_at text not null,
      owner text not null default 'self'
    )`.execute(db);
    await sql`insert into enrollment_contacts_new
      (id, person_id, kind, value_enc, blind_index, verified_at, verify_version, created_at, owner)
      select c.id, c.person_id, c.kind, c.value_enc, c.blind_index, c.verified_at, c.verify_version,
             c.created_at, coalesce(e.organisation_id, 'self')
      from enrollment_contacts c join enrollments e on e.id = c.person_id`.execute(db);
    await sql`drop table enrollment_contacts`.execute(db);
    await sql`alter table enrollment_contacts_new rename to enrollment_contacts`.execute(db);
    await sql`create index enrollment_contacts_person_idx on enrollment_contacts (person_id)`.execute(db);
  }
  // Blind index first: the same single index serves lookups by address (public flows) and the
  // per-controller uniqueness, so a contact still costs one index insert (the import's hot path).
  await sql`create unique index enrollment_contacts_blind_owner_idx on enrollment_contacts (blind_index, owner)`.execute(
    db,
  );

  await db.schema
    .createTable('organisation_tombstones')
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    // HMAC of the external id (organisation_tombstone key): not the id itself.
    .addColumn('external_hash', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organisation_tombstones_pk', ['organisation_id', 'external_hash'])
    .execute();
}
