import type { Context } from '../../context.ts';
import { addMinutes, iso } from '../../domain/clock.ts';
import { hmacHex, randomToken, safeEqual } from '../../domain/crypto.ts';
import { channelOfContact } from '../../domain/deliveries/model.ts';
import { isMessageTemplate, type MessageTemplate, renderMessage } from '../../domain/enrollments/messages.ts';
import { WardenError } from '../../domain/errors.ts';
import { messageLanguage } from '../../domain/messages/catalogue.ts';
import {
  blindIndex,
  expiresIn,
  normalizePhone,
  PersonCipher,
  signToken,
  TokenError,
  verifyToken,
} from '../../domain/privacy/index.ts';
import { isSubscriptionTemplate } from '../../domain/subscriptions/messages.ts';
import type { Db } from '../../store/db.ts';
import type { DeliveryRow } from '../../store/deliveries/deliveries.ts';
import {
  type ContactRow,
  findContact,
  findContactsByIndex,
  findEnrollment,
  findWrappedKey,
  latestDelivery,
  markContactVerified,
} from '../../store/enrollments/enrollments.ts';
import { insertLink } from '../../store/enrollments/self.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';
import { enqueueDeliveries } from '../deliveries/enqueue.ts';
import type { RenderedDelivery } from '../deliveries/render.ts';
import { DROPPED_GONE, renderSubscriptionOutbox, templatePriority } from '../subscriptions/messages.ts';

export const VERIFY_EMAIL = 'verify-email';

/** Queues one message to one contact, in the caller's transaction; returns the delivery id. */
export async function queueMessage(
  ctx: Context,
  db: Db,
  contact: Pick<ContactRow, 'id' | 'person_id' | 'kind'>,
  template: MessageTemplate,
  params: Record<string, string> = {},
  dedupeKey: string | null = null,
): Promise<string> {
  const to = { personId: contact.person_id, contactId: contact.id };
  const channel = channelOfContact(contact.kind);
  const [id] = await enqueueDeliveries(ctx, db, [
    { template, channel, to, params, priority: templatePriority(template), dedupeKey },
  ]);
  return id ?? '';
}

export const MANAGE = 'manage';
export const CONFIRM_PRESENCE = 'confirm-presence';

/**
 * Queues a message carrying a manage link (manage_link, already_enrolled): the link's nonce is
 * stored now with its expiry; the signed token is made at send time.
 */
export async function queueManageMessage(
  ctx: Context,
  db: Db,
  contact: Pick<ContactRow, 'id' | 'person_id' | 'kind'>,
  template: 'manage_link' | 'already_enrolled',
  dedupeKey: string | null = null,
): Promise<string> {
  const now = ctx.clock.now();
  const jti = randomToken(16);
  const expires = addMinutes(now, ctx.config.enrollment.manageTtlMinutes);
  await insertLink(db, jti, contact.person_id, iso(now), iso(expires));
  const params = { jti, exp: String(Math.floor(expires.getTime() / 1000)) };
  return queueMessage(ctx, db, contact, template, params, dedupeKey);
}

/** The verification message for a contact's kind: a link by email, a code by SMS. */
export function queueVerification(
  ctx: Context,
  db: Db,
  contact: Pick<ContactRow, 'id' | 'person_id' | 'kind'>,
  dedupeKey: string | null = null,
): Promise<string> {
  return contact.kind === 'phone'
    ? queueMessage(ctx, db, contact, 'verify_phone', { iat: String(ctx.clock.now().getTime()) }, dedupeKey)
    : queueMessage(ctx, db, contact, 'verify_email', {}, dedupeKey);
}

export const PHONE_CODE_MINUTES = 15;

/**
 * The SMS code of one verification message: derived from the contact, its verification version
 * and the message's issue time under the token key, so no code is stored anywhere and one
 * verification makes every earlier code useless.
 */
export function phoneCode(ctx: Context, contactId: string, version: number, iat: string): string {
  const mac = hmacHex(ctx.privacy.tokens, `phone-code/v1:${contactId}:${version}:${iat}`);
  return (BigInt(`0x${mac.slice(0, 16)}`) % 1_000_000n).toString().padStart(6, '0');
}

/** The link a message carries, signed now (nothing signed waits in the deliveries table). */
function linkFor(
  ctx: Context,
  template: MessageTemplate,
  contact: ContactRow,
  params: Record<string, string>,
): string {
  const base = ctx.config.publicUrl;
  switch (template) {
    case 'verify_phone':
      return phoneCode(ctx, contact.id, contact.verify_version, params.iat ?? '');
    case 'verify_email': {
      const exp = expiresIn(ctx.clock.now(), ctx.config.enrollment.verifyTtlHours * 3600);
      const token = signToken(ctx.privacy.tokens, {
        sub: contact.id,
        purpose: VERIFY_EMAIL,
        v: contact.verify_version,
        exp,
      });
      // In the fragment: the page posts it, so it never reaches a server log or a Referer.
      return `${base}/enroll/verify#token=${token}`;
    }
    case 'confirm_presence': {
      const trip = params.trip;
      if (!trip || !params.at) return `${base}/enroll/manage`;
      const exp = expiresIn(ctx.clock.now(), ctx.config.presence.confirmDays * 86_400);
      const token = signToken(ctx.privacy.tokens, {
        sub: trip,
        purpose: CONFIRM_PRESENCE,
        at: params.at,
        exp,
      });
      return `${base}/enroll/confirm#token=${token}`;
    }
    case 'already_enrolled':
    case 'manage_link': {
      const jti = params.jti;
      const exp = Number(params.exp);
      if (!jti || !Number.isSafeInteger(exp)) return `${base}/enroll/manage`;
      const token = signToken(ctx.privacy.tokens, { sub: contact.person_id, purpose: MANAGE, jti, exp });
      return `${base}/enroll/manage#token=${token}`;
    }
    default: {
      const never: never = template;
      throw new TypeError(`unknown template ${String(never)}`);
    }
  }
}

/**
 * The renderer of the enrollment templates (services/deliveries/renderers.ts): recipient
 * decrypted, text rendered, links signed now. Dropped when the person was erased.
 */
export async function renderEnrollmentDelivery(
  ctx: Context,
  row: DeliveryRow,
): Promise<RenderedDelivery | { drop: string }> {
  return (await renderOutbox(ctx, row)) ?? { drop: DROPPED_GONE };
}

/** One enrollment message made ready to send; null when the recipient was erased. */
export async function renderOutbox(ctx: Context, row: DeliveryRow): Promise<RenderedDelivery | null> {
  if (isSubscriptionTemplate(row.template)) return renderSubscriptionOutbox(ctx, row);
  if (!isMessageTemplate(row.template)) return null;
  const db = ctx.store.db;
  const contact = row.contact_id ? await findContact(db, row.contact_id) : undefined;
  const wrapped = contact && (await findWrappedKey(db, contact.person_id));
  if (!contact || !wrapped) return null;
  const cipher = PersonCipher.open(ctx.privacy.kek, contact.person_id, wrapped);
  const to = cipher.decrypt(contact.kind === 'phone' ? 'phone' : 'email', contact.value_enc);
  const params = JSON.parse(row.params) as Record<string, string>;
  const lang = messageLanguage((await findEnrollment(db, contact.person_id))?.language);
  return { to, ...renderMessage(row.template, linkFor(ctx, row.template, contact, params), lang) };
}

export const travellerActor = (requestId: string | null): Actor => ({
  principal: null,
  requestId,
  label: 'traveller',
});

/**
 * Confirms an email from its verification link. The link carries the contact's verification
 * version, which verification moves on: a second use of the same link finds it verified and
 * says so; any other stale link is invalid.
 */
export async function verifyEmail(
  ctx: Context,
  actor: Actor,
  token: string,
): Promise<{ status: 'verified' | 'already_verified' }> {
  const now = ctx.clock.now();
  const claims = verifyToken(ctx.privacy.tokens, token, VERIFY_EMAIL, now);
  const version = claims.v;
  if (typeof version !== 'number') throw new TokenError('invalid');
  return ctx.store.db.transaction().execute(async (trx) => {
    const contact = await findContact(trx, claims.sub);
    if (contact?.kind !== 'email') throw new TokenError('invalid');
    if (contact.verified_at && contact.verify_version === version + 1) return { status: 'already_verified' };
    if (!(await markContactVerified(trx, contact.id, version, iso(now)))) throw new TokenError('invalid');
    await recordAudit(ctx, trx, actor, 'enrollment.contact_verified', `enrollment:${contact.person_id}`, {
      kind: contact.kind,
    });
    return { status: 'verified' };
  });
}

export const windowStart = (now: Date, minutes: number): string => iso(addMinutes(now, -minutes));

/**
 * Confirms a phone from the code of its latest verification SMS. Every failure — unknown
 * number, wrong, stale or expired code — is the same `invalid_code`, so the endpoint says
 * nothing about who is enrolled; attempts are capped per number (known or not) by the caller.
 */
export async function verifyPhone(ctx: Context, actor: Actor, phone: string, code: string): Promise<void> {
  const invalid = () => new WardenError('invalid_code', 'The code is not valid or has expired.', {});
  const normal = normalizePhone(phone);
  const idx = normal && blindIndex(ctx.privacy.blindIndex, 'phone', normal);
  if (!idx) throw invalid();
  const now = ctx.clock.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    // The number may be enrolled by more than one controller: the code names the one it was sent for.
    let contact: ContactRow | undefined;
    for (const c of await findContactsByIndex(trx, [idx])) {
      const sent = await latestDelivery(trx, c.id, 'verify_phone');
      const iat = sent && (JSON.parse(sent.params) as { iat?: string }).iat;
      const fresh = iat && now.getTime() - Number(iat) < PHONE_CODE_MINUTES * 60_000;
      if (fresh && safeEqual(phoneCode(ctx, c.id, c.verify_version, iat), code)) contact = c;
    }
    if (!contact) throw invalid();
    if (!(await markContactVerified(trx, contact.id, contact.verify_version, iso(now)))) throw invalid();
    await recordAudit(ctx, trx, actor, 'enrollment.contact_verified', `enrollment:${contact.person_id}`, {
      kind: 'phone',
    });
  });
}
