import type SQLite from 'better-sqlite3';
import type { Db } from '../../store/db.ts';
import {
  deleteContacts,
  deleteNewPersons,
  findContactOwners,
  insertContactRows,
  insertEnrollmentRows,
  insertKeyRows,
  insertTripRows,
  listContactIndexes,
  replaceTripsOf,
  updatePersonRow,
} from '../../store/enrollments/bulk.ts';
import type {
  EnrollmentContactTable,
  EnrollmentTable,
  EnrollmentTripTable,
} from '../../store/enrollments/tables.ts';
import { type RowIssue, type RowRef, refuseAll } from './format.ts';
import type { PreparedPerson, SealedPerson } from './person.ts';

export type Outcome = 'created' | 'updated' | 'refused';

export interface WriteItem {
  readonly rows: readonly RowRef[];
  readonly prepared: PreparedPerson;
}

export interface WriteResult {
  readonly outcome: Outcome;
  readonly person: SealedPerson | null;
  /** Errors of a refused person, or the rows imported once only (duplicates) of a written one. */
  readonly issues: readonly RowIssue[];
}

interface Item {
  readonly i: number;
  readonly p: SealedPerson;
  readonly rows: readonly RowRef[];
}

const contactTaken = (p: SealedPerson, c: SealedPerson['contacts'][number]): RowIssue => ({
  row: c.row,
  line: c.line,
  field: c.kind,
  code: 'contact_taken',
  // Only the organisation's own people count (UNIQUE per controller): saying so tells it nothing new.
  reason: `this ${c.kind === 'email' ? 'email address' : 'phone number'} belongs to another of your people`,
  externalId: p.externalId,
});

/**
 * Writes a batch of prepared people of one organisation in the caller's transaction. A person
 * whose email or phone belongs to another of the organisation's people (in the store, or earlier
 * in the batch; another controller's enrollments do not count, nor are they revealed), or whose
 * external id was enrolled meanwhile by another request, is refused whole; the others are
 * inserted (new) or rewritten in place (same id and data key; trips replaced; contacts kept when
 * unchanged, so their verification and message history stay). Organisation contacts count as
 * verified by the organisation: they get no confirmation message.
 *
 * New people are written optimistically, UNIQUE constraints doing the checks (a lookup per
 * contact cost as much as the insert): a conflicting row is skipped, and its person taken back.
 */
export async function writePrepared(
  db: Db,
  ctx: { readonly organisationId: string; readonly now: string; readonly sqlite?: SQLite.Database },
  items: readonly WriteItem[],
): Promise<WriteResult[]> {
  const results: Array<WriteResult | null> = items.map((it) =>
    it.prepared.ok ? null : { outcome: 'refused', person: null, issues: it.prepared.errors },
  );
  const refuse = (s: Item, issues: RowIssue[]) => {
    results[s.i] = { outcome: 'refused', person: null, issues: refuseAll(s.p.externalId, s.rows, issues) };
  };
  const now = ctx.now;
  const created: Item[] = [];
  const updated: Item[] = [];
  items.forEach((it, i) => {
    if (!it.prepared.ok) return;
    (it.prepared.wrappedKey !== null ? created : updated).push({ i, p: it.prepared, rows: it.rows });
  });
  const contactRow = (p: SealedPerson, c: SealedPerson['contacts'][number]): EnrollmentContactTable => ({
    id: c.id,
    person_id: p.id,
    kind: c.kind,
    value_enc: c.valueEnc,
    blind_index: c.blindIndex,
    owner: ctx.organisationId,
    verified_at: now,
    verify_version: 0,
    created_at: now,
  });
  const tripRows = (list: readonly Item[]): EnrollmentTripTable[] =>
    list.flatMap(({ p }) =>
      p.trips.map((t) => ({
        id: t.id,
        person_id: p.id,
        country: t.country,
        region: t.region,
        lat: t.lat,
        lon: t.lon,
        place_id: t.placeId,
        arrival: t.arrival,
        departure: t.departure,
        created_at: now,
      })),
    );
  const sealedFields = (p: SealedPerson) => ({
    name_enc: p.nameEnc,
    language: p.language,
    emergency_name_enc: p.emergencyNameEnc,
    emergency_phone_enc: p.emergencyPhoneEnc,
    emergency_email_enc: p.emergencyEmailEnc,
    webhook_url_enc: p.webhookUrlEnc,
    content_hash: p.hash,
    updated_at: now,
  });

  // New people: their rows, then their contacts; a taken external id or contact takes them back.
  const takenIds = await insertEnrollmentRows(
    db,
    created.map(
      ({ p }): EnrollmentTable => ({
        id: p.id,
        ...sealedFields(p),
        // The organisation enrolls its people as their data controller (docs/enrollment-import.md).
        consent_at: now,
        unsubscribed_at: null,
        created_at: now,
        organisation_id: ctx.organisationId,
        external_id: p.externalId,
      }),
    ),
    ctx.sqlite,
  );
  const fresh = created.filter((s) => {
    if (!takenIds.has(s.p.externalId)) return true;
    const r = s.rows[0]!;
    refuse(s, [
      {
        row: r.row,
        line: r.line,
        field: 'external_id',
        code: 'conflict',
        reason: 'was enrolled by another request during this import; import again',
        externalId: s.p.externalId,
      },
    ]);
    return false;
  });
  const takenContacts = await insertContactRows(
    db,
    fresh.flatMap(({ p }) => p.contacts.map((c) => contactRow(p, c))),
    ctx.sqlite,
  );
  const back: string[] = [];
  const kept = fresh.filter((s) => {
    const clash = s.p.contacts.filter((c) => takenContacts.has(c.blindIndex));
    if (clash.length === 0) return true;
    refuse(
      s,
      clash.map((c) => contactTaken(s.p, c)),
    );
    back.push(s.p.id);
    return false;
  });
  await deleteNewPersons(db, back);
  await insertKeyRows(
    db,
    kept.map(({ p }) => ({ person_id: p.id, wrapped_key: p.wrappedKey!, created_at: now })),
    ctx.sqlite,
  );
  await insertTripRows(db, tripRows(kept), ctx.sqlite);

  // Changed people: contacts new to them are checked first, since an update is not taken back.
  const current = await listContactIndexes(
    db,
    updated.map((s) => s.p.id),
  );
  const mine = new Set(current.map((c) => `${c.personId}|${c.blindIndex}`));
  const owners = await findContactOwners(
    db,
    ctx.organisationId,
    updated.flatMap(({ p }) =>
      p.contacts.filter((c) => !mine.has(`${p.id}|${c.blindIndex}`)).map((c) => c.blindIndex),
    ),
  );
  const claimed = new Set<string>();
  const changed = updated.filter((s) => {
    const clash = s.p.contacts.filter((c) => {
      const owner = owners.get(c.blindIndex)?.personId;
      return (
        (owner !== undefined && owner !== s.p.id) ||
        (!mine.has(`${s.p.id}|${c.blindIndex}`) && claimed.has(c.blindIndex))
      );
    });
    if (clash.length > 0) {
      refuse(
        s,
        clash.map((c) => contactTaken(s.p, c)),
      );
      return false;
    }
    for (const c of s.p.contacts) claimed.add(c.blindIndex);
    return true;
  });
  if (changed.length > 0) {
    const ids = new Set(changed.map((s) => s.p.id));
    for (const { p } of changed) await updatePersonRow(db, p.id, sealedFields(p));
    const wanted = new Set(changed.flatMap(({ p }) => p.contacts.map((c) => `${p.id}|${c.blindIndex}`)));
    await deleteContacts(
      db,
      current
        .filter((c) => ids.has(c.personId) && !wanted.has(`${c.personId}|${c.blindIndex}`))
        .map((c) => c.id),
    );
    await insertContactRows(
      db,
      changed.flatMap(({ p }) =>
        p.contacts.filter((c) => !mine.has(`${p.id}|${c.blindIndex}`)).map((c) => contactRow(p, c)),
      ),
      ctx.sqlite,
    );
    await replaceTripsOf(db, [...ids], tripRows(changed), ctx.sqlite);
  }
  for (const s of [...kept, ...changed]) {
    results[s.i] = {
      outcome: s.p.wrappedKey !== null ? 'created' : 'updated',
      person: s.p,
      issues: s.p.ignored,
    };
  }
  return results as WriteResult[];
}
