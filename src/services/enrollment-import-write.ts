import type { Db } from '../store/db.ts';
import {
  deleteContacts,
  findContactOwners,
  findImportedPersons,
  insertContacts,
  insertPersons,
  listContactIndexes,
  replaceTripsOf,
  updatePersonRow,
} from '../store/enrollments-bulk.ts';
import type {
  EnrollmentContactTable,
  EnrollmentKeyTable,
  EnrollmentTable,
  EnrollmentTripTable,
} from '../store/tables/enrollments.ts';
import { type RawRow, type RowIssue, refuseAll } from './enrollment-import-format.ts';
import type { PreparedPerson, SealedPerson } from './enrollment-import-person.ts';

export type Outcome = 'created' | 'updated' | 'refused';

export interface WriteItem {
  readonly rows: readonly RawRow[];
  readonly prepared: PreparedPerson;
}

export interface WriteResult {
  readonly outcome: Outcome;
  readonly person: SealedPerson | null;
  /** Errors of a refused person, or the rows imported once only (duplicates) of a written one. */
  readonly issues: readonly RowIssue[];
}

/**
 * Writes a batch of prepared people of one organisation in the caller's transaction. A person
 * whose email or phone belongs to someone else (in the store, or earlier in the batch), or whose
 * external id was enrolled meanwhile by another request, is refused whole; the others are
 * inserted (new) or rewritten in place (same id and data key; trips replaced; contacts kept when
 * unchanged, so their verification and message history stay). Organisation contacts are verified
 * by the organisation: they get no confirmation message.
 */
export async function writePrepared(
  db: Db,
  ctx: { readonly organisationId: string; readonly now: string },
  items: readonly WriteItem[],
): Promise<WriteResult[]> {
  const results: Array<WriteResult | null> = items.map((it) =>
    it.prepared.ok ? null : { outcome: 'refused', person: null, issues: it.prepared.errors },
  );
  const sealed = items.flatMap((it, i) => (it.prepared.ok ? [{ i, p: it.prepared, rows: it.rows }] : []));
  if (sealed.length === 0) return results as WriteResult[];

  const owners = await findContactOwners(
    db,
    sealed.flatMap((s) => s.p.contacts.map((c) => c.blindIndex)),
  );
  const isNew = (p: SealedPerson) => p.wrappedKey !== null;
  const raced = await findImportedPersons(
    db,
    ctx.organisationId,
    sealed.filter((s) => isNew(s.p)).map((s) => s.p.externalId),
  );
  const claimed = new Map<string, string>();
  const ok: typeof sealed = [];
  for (const s of sealed) {
    const issues: RowIssue[] = [];
    if (raced.has(s.p.externalId)) {
      const r = s.rows[0]!;
      issues.push({
        row: r.row,
        line: r.line,
        field: 'external_id',
        code: 'conflict',
        reason: 'was enrolled by another request during this import; import again',
        externalId: s.p.externalId,
      });
    }
    for (const c of s.p.contacts) {
      const owner = owners.get(c.blindIndex)?.personId ?? claimed.get(c.blindIndex);
      if (owner && owner !== s.p.id) {
        issues.push({
          row: c.row,
          line: c.line,
          field: c.kind,
          code: 'contact_taken',
          reason: `this ${c.kind === 'email' ? 'email address' : 'phone number'} belongs to another enrollment`,
          externalId: s.p.externalId,
        });
      }
    }
    if (issues.length) {
      results[s.i] = { outcome: 'refused', person: null, issues: refuseAll(s.p.externalId, s.rows, issues) };
      continue;
    }
    for (const c of s.p.contacts) claimed.set(c.blindIndex, s.p.id);
    ok.push(s);
  }

  const now = ctx.now;
  const created = ok.filter((s) => isNew(s.p));
  const updated = ok.filter((s) => !isNew(s.p));
  const contactRow = (p: SealedPerson, c: SealedPerson['contacts'][number]): EnrollmentContactTable => ({
    id: c.id,
    person_id: p.id,
    kind: c.kind,
    value_enc: c.valueEnc,
    blind_index: c.blindIndex,
    verified_at: now,
    verify_version: 0,
    created_at: now,
  });
  const tripRows = (list: typeof ok): EnrollmentTripTable[] =>
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
    webhook_url: p.webhookUrl,
    content_hash: p.hash,
    updated_at: now,
  });

  await insertPersons(db, {
    enrollments: created.map(
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
    keys: created.map(
      ({ p }): EnrollmentKeyTable => ({ person_id: p.id, wrapped_key: p.wrappedKey!, created_at: now }),
    ),
    contacts: created.flatMap(({ p }) => p.contacts.map((c) => contactRow(p, c))),
    trips: tripRows(created),
  });

  if (updated.length > 0) {
    const ids = updated.map((s) => s.p.id);
    for (const { p } of updated) await updatePersonRow(db, p.id, sealedFields(p));
    const current = await listContactIndexes(db, ids);
    const wanted = new Set(updated.flatMap(({ p }) => p.contacts.map((c) => `${p.id}|${c.blindIndex}`)));
    const kept = new Set(current.map((c) => `${c.personId}|${c.blindIndex}`));
    await deleteContacts(
      db,
      current.filter((c) => !wanted.has(`${c.personId}|${c.blindIndex}`)).map((c) => c.id),
    );
    await insertContacts(
      db,
      updated.flatMap(({ p }) =>
        p.contacts.filter((c) => !kept.has(`${p.id}|${c.blindIndex}`)).map((c) => contactRow(p, c)),
      ),
    );
    await replaceTripsOf(db, ids, tripRows(updated));
  }
  for (const s of ok) {
    results[s.i] = { outcome: isNew(s.p) ? 'created' : 'updated', person: s.p, issues: s.p.ignored };
  }
  return results as WriteResult[];
}
