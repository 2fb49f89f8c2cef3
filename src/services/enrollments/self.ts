import type { Context } from '../../context.ts';
import { addMinutes, iso } from '../../domain/clock.ts';
import { randomToken, sha256Hex } from '../../domain/crypto.ts';
import {
  type Presence,
  type PresenceTrip,
  presenceDue,
  presenceOf,
} from '../../domain/enrollments/presence.ts';
import { tombstoneHash } from '../../domain/enrollments/tombstone.ts';
import { placeName, resolveTrip, type TripInput } from '../../domain/enrollments/trips.ts';
import { webhookProblem } from '../../domain/enrollments/webhook.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { newId } from '../../domain/ids.ts';
import {
  blindIndex,
  normalizeEmail,
  normalizePhone,
  PersonCipher,
  TokenError,
  verifyToken,
} from '../../domain/privacy/index.ts';
import { type Db, flushErased } from '../../store/db.ts';
import {
  type ContactRow,
  deleteContact,
  findContactsByIndex,
  findEnrollment,
  findWrappedKey,
  insertContact,
  listContacts,
  listTrips,
} from '../../store/enrollments/enrollments.ts';
import {
  consumeLink,
  eraseEnrollment,
  findSessionPerson,
  insertSession,
  listDeliveriesOf,
  replaceTrips,
  updateEnrollmentRow,
} from '../../store/enrollments/self.ts';
import { insertTombstone } from '../../store/organisations/tombstones.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';
import type { Renderer } from '../deliveries/render.ts';
import { clearRequestParams, EXPANDED, queueLookupRequest } from '../deliveries/requests.ts';
import { SELF, throttlePublic } from './enrollments.ts';
import { MANAGE, queueManageMessage, queueVerification, travellerActor } from './verification.ts';

export const SESSION_PREFIX = 'wtr_';

export interface EnrollmentView {
  readonly id: string;
  readonly name: string;
  readonly language: string;
  readonly webhookUrl: string | null;
  readonly emergencyContact: { name: string; phone: string | null; email: string | null };
  readonly contacts: Array<{ kind: string; value: string; verified: boolean }>;
  readonly trips: Array<{
    id: string;
    country: string;
    region: string | null;
    point: { lat: number; lon: number } | null;
    placeId: number | null;
    arrival: string;
    departure: string | null;
    /** Open-ended trips: 'unconfirmed' once a presence confirmation is overdue; null when dated. */
    presence: Presence | null;
    confirmedAt: string | null;
    /** Open-ended trips: when the next confirmation is due. */
    presenceDueAt: string | null;
  }>;
  readonly consentAt: string;
  readonly unsubscribedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function presenceDueAt(ctx: Context, t: PresenceTrip): string | null {
  const due = presenceDue(ctx.config.presence, t);
  return due && iso(due);
}

async function cipherOf(ctx: Context, db: Db, personId: string): Promise<PersonCipher> {
  const wrapped = await findWrappedKey(db, personId);
  if (!wrapped) throw new WardenError('not_found', 'Enrollment not found.', {});
  return PersonCipher.open(ctx.privacy.kek, personId, wrapped);
}

/** One enrollment, opened with the person's key: for the person themself and for staff. */
export async function loadEnrollmentView(ctx: Context, db: Db, personId: string): Promise<EnrollmentView> {
  const row = await findEnrollment(db, personId);
  if (!row) throw new WardenError('not_found', 'Enrollment not found.', {});
  const c = await cipherOf(ctx, db, personId);
  const open = (field: Parameters<PersonCipher['decrypt']>[0], v: string | null) =>
    v === null ? null : c.decrypt(field, v);
  return {
    id: row.id,
    name: c.decrypt('name', row.name_enc),
    language: row.language,
    webhookUrl: open('webhookUrl', row.webhook_url_enc),
    emergencyContact: {
      name: c.decrypt('emergencyContactName', row.emergency_name_enc),
      phone: open('emergencyContactPhone', row.emergency_phone_enc),
      email: open('emergencyContactEmail', row.emergency_email_enc),
    },
    contacts: (await listContacts(db, personId)).map((k) => ({
      kind: k.kind,
      value: c.decrypt(k.kind === 'phone' ? 'phone' : 'email', k.value_enc),
      verified: k.verified_at !== null,
    })),
    trips: (await listTrips(db, personId)).map((t) => ({
      id: t.id,
      country: t.country,
      region: t.region,
      point: t.lat !== null && t.lon !== null ? { lat: t.lat, lon: t.lon } : null,
      placeId: t.place_id,
      placeName: placeName(t.place_id),
      arrival: t.arrival,
      departure: t.departure,
      presence: presenceOf(ctx.config.presence, t, ctx.clock.now()),
      confirmedAt: t.confirmed_at ?? null,
      presenceDueAt: presenceDueAt(ctx, t),
    })),
    consentAt: row.consent_at,
    unsubscribedAt: row.unsubscribed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Sends a manage link to a verified email (a fresh verification link to an unverified one,
 * nothing to an unknown one); the caller always gets the same answer, and in the same time:
 * the request does the same work whoever asks (throttle, then one queued request holding the
 * address's blind index), and the lookup happens after the answer, when the delivery worker
 * expands the request (expandManageRequest). The index is cleared from the row once expanded.
 */
export async function requestManageLink(
  ctx: Context,
  actor: Actor,
  email: string,
  ip: string,
): Promise<void> {
  const normal = normalizeEmail(email);
  const idx = normal && blindIndex(ctx.privacy.blindIndex, 'email', normal);
  await throttlePublic(ctx, ip, idx ? [idx] : []);
  if (!idx) return;
  await queueLookupRequest(ctx, MANAGE_REQUEST, idx, actor.requestId);
}

/** The template of a manage-link request, expanded by the worker. */
export const MANAGE_REQUEST = 'manage_request';

/**
 * The worker's side of requestManageLink(): one link per enrollment of the address (the
 * person's own and any an organisation made: each controller holds its own copy of the
 * contact), audited; the request itself ends `dropped` ("expanded"). Idempotent: a request taken
 * over after a crash queues nothing twice (dedupe keys name the request and the contact).
 */
export const expandManageRequest: Renderer = async (ctx, row) => {
  const { index, rid } = JSON.parse(row.params) as { index?: string; rid?: string | null };
  if (!index) return { drop: EXPANDED };
  await ctx.store.db.transaction().execute(async (trx) => {
    const actor = travellerActor(rid ?? null);
    for (const contact of await findContactsByIndex(trx, [index])) {
      const key = `${row.id}:${contact.id}`;
      const id = contact.verified_at
        ? await queueManageMessage(ctx, trx, contact, 'manage_link', key)
        : await queueVerification(ctx, trx, contact, key);
      if (id)
        await recordAudit(ctx, trx, actor, 'enrollment.manage_link', `enrollment:${contact.person_id}`, {});
    }
    await clearRequestParams(trx, row.id);
  });
  return { drop: EXPANDED };
};

/** Exchanges a manage link (once) for a short traveller session; returns its bearer token. */
export async function openSession(
  ctx: Context,
  actor: Actor,
  token: string,
): Promise<{ sessionToken: string; expiresAt: string }> {
  const now = ctx.clock.now();
  const claims = verifyToken(ctx.privacy.tokens, token, MANAGE, now);
  if (typeof claims.jti !== 'string') throw new TokenError('invalid');
  const jti = claims.jti;
  const sessionToken = `${SESSION_PREFIX}${randomToken(32)}`;
  const expiresAt = iso(addMinutes(now, ctx.config.enrollment.manageTtlMinutes));
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await consumeLink(trx, jti, claims.sub, iso(now)))) throw new TokenError('invalid');
    await insertSession(trx, sha256Hex(sessionToken), claims.sub, iso(now), expiresAt);
    await recordAudit(ctx, trx, actor, 'enrollment.session', `enrollment:${claims.sub}`, {});
  });
  return { sessionToken, expiresAt };
}

/** The person a traveller session belongs to, or invalid_token. */
export async function travellerOf(ctx: Context, authorization: string | undefined): Promise<string> {
  const m = /^Bearer\s+(wtr_[A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '');
  const person = m?.[1] && (await findSessionPerson(ctx.store.db, sha256Hex(m[1]), iso(ctx.clock.now())));
  if (!person) throw new TokenError('invalid');
  return person;
}

export interface EnrollmentPatch {
  readonly name?: string;
  readonly language?: string;
  readonly webhookUrl?: string | null;
  readonly emergencyContact?: { readonly name: string; readonly phone?: string; readonly email?: string };
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly trips?: readonly TripInput[];
}

function contactValue(kind: 'email' | 'phone', raw: string, country: string | undefined): string {
  const v = kind === 'email' ? normalizeEmail(raw) : normalizePhone(raw, country);
  if (!v)
    throw new WardenError(kind === 'email' ? 'invalid_email' : 'invalid_phone', `The ${kind} is not valid.`, {
      field: kind,
    });
  return v;
}

/** Replaces (or removes) the person's contact of one kind; a new contact starts unverified. */
async function replaceContact(
  ctx: Context,
  trx: Db,
  cipher: PersonCipher,
  current: ContactRow[],
  owner: string,
  kind: 'email' | 'phone',
  value: string | null,
): Promise<ContactRow | null> {
  const old = current.find((c) => c.kind === kind);
  const idx = value && blindIndex(ctx.privacy.blindIndex, kind, value);
  if (old && idx === old.blind_index) return null;
  if (idx) {
    // Unique per controller: another controller's enrollment of the address is not "taken".
    const taken = (await findContactsByIndex(trx, [idx])).find((c) => c.owner === owner);
    if (taken)
      throw new WardenError('conflict', `That ${kind} belongs to another enrollment.`, { field: kind });
  }
  if (old) await deleteContact(trx, old.id);
  if (!value || !idx) return null;
  const row: ContactRow = {
    id: newId(),
    person_id: cipher.personId,
    kind,
    value_enc: cipher.encrypt(kind, value),
    blind_index: idx,
    owner,
    verified_at: null,
    verify_version: 0,
    created_at: iso(ctx.clock.now()),
  };
  await insertContact(trx, row);
  return row;
}

export async function updateMine(
  ctx: Context,
  actor: Actor,
  personId: string,
  patch: EnrollmentPatch,
): Promise<EnrollmentView> {
  const today = ctx.clock.now();
  const now = iso(today);
  const trips = patch.trips?.map((t, i) => resolveTrip(loadGeography(), t, i, today));
  if (typeof patch.webhookUrl === 'string') {
    const problem = webhookProblem(patch.webhookUrl);
    if (problem)
      throw new WardenError('webhook_not_allowed', `The webhook URL is not allowed: ${problem}.`, {
        field: 'webhookUrl',
      });
  }
  const country = patch.trips?.[0]?.country;
  const email = patch.email == null ? patch.email : contactValue('email', patch.email, country);
  const phone = patch.phone == null ? patch.phone : contactValue('phone', patch.phone, country);
  const view = await ctx.store.db.transaction().execute(async (trx) => {
    const c = await cipherOf(ctx, trx, personId);
    const ec = patch.emergencyContact;
    const ecPhone = ec?.phone === undefined ? null : contactValue('phone', ec.phone, country);
    const ecEmail = ec?.email === undefined ? null : contactValue('email', ec.email, country);
    await updateEnrollmentRow(trx, personId, {
      updated_at: now,
      ...(patch.name !== undefined && { name_enc: c.encrypt('name', patch.name.trim()) }),
      ...(patch.language !== undefined && { language: patch.language }),
      ...(patch.webhookUrl !== undefined && {
        webhook_url_enc: patch.webhookUrl && c.encrypt('webhookUrl', patch.webhookUrl),
      }),
      ...(ec && {
        emergency_name_enc: c.encrypt('emergencyContactName', ec.name.trim()),
        emergency_phone_enc: ecPhone && c.encrypt('emergencyContactPhone', ecPhone),
        emergency_email_enc: ecEmail && c.encrypt('emergencyContactEmail', ecEmail),
      }),
    });
    if (trips) {
      await replaceTrips(
        trx,
        personId,
        trips.map((t) => ({
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
    }
    const current = await listContacts(trx, personId);
    const owner = (await findEnrollment(trx, personId))?.organisation_id ?? SELF;
    for (const [kind, value] of [
      ['email', email],
      ['phone', phone],
    ] as const) {
      if (value === undefined) continue;
      const added = await replaceContact(ctx, trx, c, current, owner, kind, value);
      if (added) await queueVerification(ctx, trx, added);
    }
    if ((await listContacts(trx, personId)).length === 0) {
      throw new WardenError('contact_required', 'Keep an email address or a phone number.', {
        field: 'email',
      });
    }
    await recordAudit(ctx, trx, actor, 'enrollment.update', `enrollment:${personId}`, {
      fields: Object.keys(patch).sort(),
      ...(trips && { trips: trips.length, countries: [...new Set(trips.map((t) => t.country))].sort() }),
    });
    return loadEnrollmentView(ctx, trx, personId);
  });
  return view;
}

export async function exportMine(ctx: Context, personId: string) {
  const db = ctx.store.db;
  const enrollment = await loadEnrollmentView(ctx, db, personId);
  const messages = (await listDeliveriesOf(db, personId)).map((m) => ({
    channel: m.channel,
    template: m.template,
    status: m.status,
    createdAt: m.created_at,
    sentAt: m.sent_at,
  }));
  return { exportedAt: iso(ctx.clock.now()), enrollment, messages };
}

export async function unsubscribe(ctx: Context, actor: Actor, personId: string): Promise<void> {
  await ctx.store.db.transaction().execute((trx) => stopMessages(ctx, trx, actor, personId));
}

/** Stops all messages to a person in the caller's transaction, audited (with `extra`). */
export async function stopMessages(
  ctx: Context,
  trx: Db,
  actor: Actor,
  personId: string,
  extra: Record<string, string> = {},
): Promise<void> {
  const now = iso(ctx.clock.now());
  await updateEnrollmentRow(trx, personId, { unsubscribed_at: now, updated_at: now });
  await recordAudit(ctx, trx, actor, 'enrollment.unsubscribe', `enrollment:${personId}`, extra);
}

/** Crypto-shreds the person; the audit entry counts what went and names nobody. */
export async function eraseMine(
  ctx: Context,
  actor: Actor,
  personId: string,
): Promise<Record<string, number>> {
  const counts = await ctx.store.db.transaction().execute(async (trx) => {
    // A person an organisation enrolled leaves a tombstone: its next import leaves them out.
    const row = await findEnrollment(trx, personId);
    if (row?.organisation_id && row.external_id) {
      const hash = tombstoneHash(ctx.keys.tombstone, row.organisation_id, row.external_id);
      await insertTombstone(trx, row.organisation_id, hash, iso(ctx.clock.now()));
    }
    const counts = await eraseEnrollment(trx, personId);
    await recordAudit(ctx, trx, actor, 'enrollment.erase', null, counts);
    return counts;
  });
  await flushErased(ctx.store);
  return counts;
}
