import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { deriveKey } from '../../domain/crypto.ts';
import { tombstoneHash } from '../../domain/enrollments/tombstone.ts';
import type { TripInput } from '../../domain/enrollments/trips.ts';
import { type ErrorCode, WardenError } from '../../domain/errors.ts';
import { type Actor, recordAudit } from '../../services/audit/audit.ts';
import { type EnrollmentView, loadEnrollmentView } from '../../services/enrollments/self.ts';
import { findImportedPersons } from '../../store/enrollments/bulk.ts';
import { eraseEnrollment } from '../../store/enrollments/self.ts';
import { findOrganisationPerson } from '../../store/organisations/organisations.ts';
import { deleteTombstones, findTombstones } from '../../store/organisations/tombstones.ts';
import { COL, ENROLLMENT_COLUMNS, personHash, type RawRow, type RowIssue } from './format.ts';
import { preparePerson } from './person.ts';
import { writePrepared } from './write.ts';

/** One person as an organisation sends it by API: the JSON twin of a person's CSV rows. */
export interface OrganisationPersonInput {
  readonly externalId: string;
  readonly name: string;
  readonly email?: string;
  readonly phone?: string;
  readonly language?: string;
  readonly emergencyContact?: { readonly name: string; readonly phone?: string; readonly email?: string };
  readonly webhookUrl?: string;
  readonly trips: readonly TripInput[];
  /** Enroll the person again even though they deleted the organisation's enrollment of them. */
  readonly reEnroll?: boolean;
}

/** The JSON path of a CSV column, for trip `i`. */
function jsonField(field: string | null, i: number): string | null {
  switch (field) {
    case null:
      return null;
    case 'external_id':
      return 'externalId';
    case 'emergency_name':
      return 'emergencyContact/name';
    case 'emergency_phone':
      return 'emergencyContact/phone';
    case 'emergency_email':
      return 'emergencyContact/email';
    case 'webhook_url':
      return 'webhookUrl';
    case 'country':
    case 'arrival':
    case 'departure':
      return `trips/${i}/${field}`;
    case 'place_id':
    case 'place':
      return `trips/${i}/place/placeId`;
    case 'lat':
    case 'lon':
      return `trips/${i}/point`;
    default:
      return field;
  }
}

const CODES = new Set<string>([
  'invalid_email',
  'invalid_phone',
  'webhook_not_allowed',
  'unknown_country',
  'unknown_place',
  'place_outside_country',
  'point_outside_country',
  'invalid_trip_location',
  'invalid_dates',
  'date_out_of_range',
  'contact_required',
  'conflict',
]);

/** The request's problems as one error: the first one's code and message, all of them in details. */
function rejection(issues: readonly RowIssue[], status: 'invalid' | 'conflict'): WardenError {
  const problems = issues
    .filter((i) => i.code !== 'person_refused')
    .map((i) => ({ field: jsonField(i.field, i.row - 1), code: i.code, message: i.reason }));
  const first = problems[0]!;
  const code: ErrorCode =
    status === 'conflict'
      ? 'conflict'
      : CODES.has(first.code)
        ? (first.code as ErrorCode)
        : 'validation_failed';
  const message = `${first.field ?? 'the request'}: ${first.message}.`;
  return new WardenError(code, message, { field: first.field, problems });
}

/** The person as CSV rows (one per trip), so that the API and the import apply the same rules. */
function rowsOf(input: OrganisationPersonInput): RawRow[] {
  return input.trips.map((t, i) => {
    const v: string[] = new Array(ENROLLMENT_COLUMNS.length).fill('');
    v[COL.external_id] = input.externalId;
    v[COL.name] = input.name;
    v[COL.email] = input.email ?? '';
    v[COL.phone] = input.phone ?? '';
    v[COL.language] = input.language ?? '';
    v[COL.emergency_name] = input.emergencyContact?.name ?? '';
    v[COL.emergency_phone] = input.emergencyContact?.phone ?? '';
    v[COL.emergency_email] = input.emergencyContact?.email ?? '';
    v[COL.webhook_url] = input.webhookUrl ?? '';
    v[COL.country] = t.country;
    v[COL.place_id] = t.place ? String(t.place.placeId) : '';
    v[COL.lat] = t.point ? String(t.point.lat) : '';
    v[COL.lon] = t.point ? String(t.point.lon) : '';
    v[COL.arrival] = t.arrival;
    v[COL.departure] = t.departure ?? '';
    return { row: i + 1, line: i + 1, values: v };
  });
}

export type UpsertStatus = 'created' | 'updated' | 'unchanged';

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

async function upsertOnce(
  ctx: Context,
  actor: Actor,
  organisationId: string,
  input: OrganisationPersonInput,
): Promise<{ status: UpsertStatus; id: string }> {
  const externalId = input.externalId.trim();
  const rows = rowsOf({ ...input, externalId });
  const hash = personHash(deriveKey(ctx.config.secretKey, 'enrollment-content/v1'), rows);
  const now = iso(ctx.clock.now());
  const found = (await findImportedPersons(ctx.store.db, organisationId, [externalId])).get(externalId);
  if (found && found.contentHash === hash) return { status: 'unchanged', id: found.id };
  const tomb = tombstoneHash(ctx.keys.tombstone, organisationId, externalId);
  const tombstoned = !found && (await findTombstones(ctx.store.db, organisationId, [tomb])).size > 0;
  if (tombstoned && !input.reEnroll) {
    throw new WardenError(
      'erased_by_person',
      'This person deleted their enrollment themselves; send reEnroll: true to enroll them again.',
      { field: 'externalId' },
    );
  }
  const prepared = preparePerson(
    {
      now,
      kek: ctx.privacy.kek,
      blindKey: ctx.privacy.blindIndex,
      allowPrivateWebhooks: ctx.config.webhookAllowPrivate,
    },
    { externalId, rows, hash, existing: found ? { id: found.id, wrappedKey: found.wrappedKey } : null },
  );
  if (!prepared.ok) throw rejection(prepared.errors, 'invalid');
  return ctx.store.db.transaction().execute(async (trx) => {
    const [result] = await writePrepared(trx, { organisationId, now, sqlite: ctx.store.sqlite }, [
      { rows, prepared },
    ]);
    if (!result || result.outcome === 'refused') throw rejection(result?.issues ?? [], 'conflict');
    if (tombstoned) await deleteTombstones(trx, organisationId, [tomb]);
    await recordAudit(
      ctx,
      trx,
      actor,
      `enrollment.${result.outcome === 'created' ? 'create' : 'update'}`,
      `enrollment:${prepared.id}`,
      {
        organisationId,
        trips: prepared.trips.length,
        countries: [...new Set(prepared.trips.map((t) => t.country))].sort(),
        contacts: prepared.contacts.map((c) => c.kind),
        ...(tombstoned && { reEnrolled: true }),
      },
    );
    return { status: result.outcome, id: prepared.id };
  });
}

/**
 * Creates or replaces one person of the organisation, keyed by its external id: the same checks
 * and sealing as a CSV import; an unchanged person writes nothing.
 */
export async function upsertOrganisationPerson(
  ctx: Context,
  actor: Actor,
  organisationId: string,
  input: OrganisationPersonInput,
): Promise<{ status: UpsertStatus; id: string }> {
  try {
    return await upsertOnce(ctx, actor, organisationId, input);
  } catch (err) {
    // The same new person sent twice at once: the second finds the first's row on a retry.
    if (!isUniqueViolation(err)) throw err;
    return upsertOnce(ctx, actor, organisationId, input);
  }
}

async function requirePerson(ctx: Context, organisationId: string, externalId: string): Promise<string> {
  const found = await findOrganisationPerson(ctx.store.db, organisationId, externalId);
  if (!found) throw new WardenError('not_found', 'No person with this external id.', { externalId });
  return found.id;
}

/** One of the organisation's people, decrypted; the read is audited. */
export async function readOrganisationPerson(
  ctx: Context,
  actor: Actor,
  organisationId: string,
  externalId: string,
): Promise<EnrollmentView & { externalId: string }> {
  const id = await requirePerson(ctx, organisationId, externalId);
  return ctx.store.db.transaction().execute(async (trx) => {
    const view = await loadEnrollmentView(ctx, trx, id);
    await recordAudit(ctx, trx, actor, 'enrollment.read', `enrollment:${id}`, { organisationId });
    return { ...view, externalId };
  });
}

/** Crypto-shreds one of the organisation's people; the audit entry counts what went. */
export async function eraseOrganisationPerson(
  ctx: Context,
  actor: Actor,
  organisationId: string,
  externalId: string,
): Promise<void> {
  const id = await requirePerson(ctx, organisationId, externalId);
  await ctx.store.db.transaction().execute(async (trx) => {
    const counts = await eraseEnrollment(trx, id);
    await recordAudit(ctx, trx, actor, 'enrollment.erase', null, { organisationId, ...counts });
  });
}
