import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { hmacHex } from '../../domain/crypto.ts';
import { checkEmail, checkPhone, checkWebhook } from '../../domain/enrollments/contacts.ts';
import { resolveTrip, type Trip, type TripInput } from '../../domain/enrollments/trips.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { newId } from '../../domain/ids.ts';
import { blindIndex, PersonCipher } from '../../domain/privacy/index.ts';
import type { Db } from '../../store/db.ts';
import {
  type ContactRow,
  findContactsByIndex,
  hitThrottle,
  insertEnrollment,
} from '../../store/enrollments/enrollments.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';
import { queueManageMessage, queueVerification, windowStart } from './verification.ts';

export interface EnrollmentInput {
  readonly name: string;
  readonly email?: string;
  readonly phone?: string;
  readonly webhookUrl?: string;
  readonly language: string;
  readonly emergencyContact: { readonly name: string; readonly phone?: string; readonly email?: string };
  readonly consent: boolean;
  readonly trips: readonly TripInput[];
}

const WINDOW_MINUTES = 10;

const email = (value: string | undefined, field: string): string | null =>
  value === undefined ? null : checkEmail(value, field);

const phone = (value: string | undefined, field: string, country: string | undefined): string | null =>
  value === undefined ? null : checkPhone(value, field, country);

/**
 * Counts a public request against the client IP and each contact, known or not (so being
 * refused says nothing about who is enrolled); 429 with Retry-After once over the limit.
 */
export async function throttlePublic(
  ctx: Context,
  ip: string,
  contactIndexes: readonly string[],
  per: { kind: 'contact' | 'code'; limit: number } = {
    kind: 'contact',
    limit: ctx.config.enrollment.perContactPer10Min,
  },
): Promise<void> {
  const now = ctx.clock.now();
  const since = windowStart(now, WINDOW_MINUTES);
  const keys: Array<[string, number]> = [
    [`ip:${hmacHex(ctx.privacy.blindIndex, `ip:${ip}`)}`, ctx.config.enrollment.perIpPer10Min],
    ...contactIndexes.map((i): [string, number] => [`${per.kind}:${i}`, per.limit]),
  ];
  const over: number[] = [];
  await ctx.store.db.transaction().execute(async (trx) => {
    for (const [key, limit] of keys) {
      const { count, windowStartedAt } = await hitThrottle(trx, key, iso(now), since);
      if (count > limit) over.push(Date.parse(windowStartedAt) + WINDOW_MINUTES * 60_000 - now.getTime());
    }
  });
  if (over.length > 0) {
    const retryAfter = Math.max(1, Math.ceil(Math.max(...over) / 1000));
    throw new WardenError('rate_limited', 'Too many requests; try again later.', { retryAfter });
  }
}

interface Validated {
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly emergency: { name: string; phone: string | null; email: string | null };
  readonly trips: Trip[];
}

function validate(ctx: Context, input: EnrollmentInput): Validated {
  if (input.consent !== true) {
    throw new WardenError('consent_required', 'Consent to store and use these details is required.', {
      field: 'consent',
    });
  }
  const homeGuess = input.trips[0]?.country;
  const e = email(input.email, 'email');
  const p = phone(input.phone, 'phone', homeGuess);
  if (!e && !p) {
    throw new WardenError('contact_required', 'Give an email address or a phone number.', { field: 'email' });
  }
  if (input.webhookUrl !== undefined) checkWebhook(input.webhookUrl, 'webhookUrl');
  const ec = input.emergencyContact;
  const emergency = {
    name: ec.name.trim(),
    phone: phone(ec.phone, 'emergencyContact/phone', homeGuess),
    email: email(ec.email, 'emergencyContact/email'),
  };
  const geo = loadGeography();
  const today = ctx.clock.now();
  const trips = input.trips.map((t, i) => resolveTrip(geo, t, i, today));
  return { name: input.name.trim(), email: e, phone: p, emergency, trips };
}

/** Blind indexes of the person's contacts: [kind, value, index]. */
function indexes(ctx: Context, v: Validated): Array<['email' | 'phone', string, string]> {
  const out: Array<['email' | 'phone', string, string]> = [];
  for (const [kind, value] of [
    ['email', v.email],
    ['phone', v.phone],
  ] as const) {
    const idx = value && blindIndex(ctx.privacy.blindIndex, kind, value);
    if (value && idx) out.push([kind, value, idx]);
  }
  return out;
}

/** Messages for a contact that is already enrolled: only verification until it is verified. */
async function notifyExisting(ctx: Context, db: Db, existing: readonly ContactRow[]): Promise<string[]> {
  const ids: string[] = [];
  for (const c of existing) {
    ids.push(
      c.verified_at
        ? await queueManageMessage(ctx, db, c, 'already_enrolled')
        : await queueVerification(ctx, db, c),
    );
  }
  return ids;
}

/**
 * Public enrollment. The answer is the same whether the contact is new or already enrolled
 * (no enumeration): a new person is stored sealed and sent a verification link; a known contact
 * is sent a message offering the manage link (or a fresh verification link while unverified),
 * and nothing else changes.
 */
export async function enroll(ctx: Context, actor: Actor, input: EnrollmentInput, ip: string): Promise<void> {
  const v = validate(ctx, input);
  const contacts = indexes(ctx, v);
  await throttlePublic(
    ctx,
    ip,
    contacts.map(([, , idx]) => idx),
  );
  try {
    await store(ctx, actor, input, v, contacts);
  } catch (err) {
    // Two enrollments of one new contact at once: the loser finds the winner's row on a retry
    // and takes the already-enrolled path, so it gets the same answer too.
    if (!isUniqueViolation(err)) throw err;
    await store(ctx, actor, input, v, contacts);
  }
}

/** The `owner` of the contacts of people who enrolled themselves. */
export const SELF = 'self';

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

async function store(
  ctx: Context,
  actor: Actor,
  input: EnrollmentInput,
  v: Validated,
  contacts: Array<['email' | 'phone', string, string]>,
): Promise<string[]> {
  const now = iso(ctx.clock.now());
  return ctx.store.db.transaction().execute(async (trx) => {
    // Only the person's own enrollments count: an organisation that enrolled the same address is
    // another controller, and its enrollment neither blocks nor answers this one.
    const existing = (
      await findContactsByIndex(
        trx,
        contacts.map(([, , idx]) => idx),
      )
    ).filter((c) => c.owner === SELF);
    if (existing.length > 0) {
      const ids = await notifyExisting(ctx, trx, existing);
      await recordAudit(ctx, trx, actor, 'enrollment.repeat', null, { contacts: existing.length });
      return ids;
    }
    const personId = newId();
    const { cipher, wrappedKey } = PersonCipher.create(ctx.privacy.kek, personId);
    const contactRows: ContactRow[] = contacts.map(([kind, value, idx]) => ({
      id: newId(),
      person_id: personId,
      kind,
      value_enc: cipher.encrypt(kind, value),
      blind_index: idx,
      owner: SELF,
      verified_at: null,
      verify_version: 0,
      created_at: now,
    }));
    await insertEnrollment(
      trx,
      {
        id: personId,
        name_enc: cipher.encrypt('name', v.name),
        language: input.language,
        emergency_name_enc: cipher.encrypt('emergencyContactName', v.emergency.name),
        emergency_phone_enc: v.emergency.phone && cipher.encrypt('emergencyContactPhone', v.emergency.phone),
        emergency_email_enc: v.emergency.email && cipher.encrypt('emergencyContactEmail', v.emergency.email),
        webhook_url_enc: input.webhookUrl ? cipher.encrypt('webhookUrl', input.webhookUrl) : null,
        consent_at: now,
        unsubscribed_at: null,
        created_at: now,
        updated_at: now,
        organisation_id: null,
        external_id: null,
        content_hash: null,
      },
      wrappedKey,
      contactRows,
      v.trips.map((t) => ({
        id: newId(),
        person_id: personId,
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
    const ids: string[] = [];
    for (const c of contactRows) ids.push(await queueVerification(ctx, trx, c));
    await recordAudit(ctx, trx, actor, 'enrollment.create', `enrollment:${personId}`, {
      trips: v.trips.length,
      countries: [...new Set(v.trips.map((t) => t.country))].sort(),
      contacts: contactRows.map((c) => c.kind),
    });
    return ids;
  });
}
