import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { newId } from '../../domain/ids.ts';
import {
  blindIndex,
  normalizeEmail,
  PersonCipher,
  TokenError,
  verifyToken,
} from '../../domain/privacy/index.ts';
import type { Frequency } from '../../domain/subscriptions/messages.ts';
import type { Db } from '../../store/db.ts';
import {
  deleteSubscriptions,
  findSubscription,
  findSubscriptionByIndex,
  findSubscriptionKey,
  insertSubscription,
  listCountries,
  markSubscriptionVerified,
  type SubscriptionRow,
  setCountries,
  updateSubscriptionRow,
} from '../../store/subscriptions/subscriptions.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';
import { enqueueDeliveries } from '../deliveries/enqueue.ts';
import type { Renderer } from '../deliveries/render.ts';
import { clearRequestParams, EXPANDED, queueLookupRequest } from '../deliveries/requests.ts';
import { throttlePublic } from '../enrollments/enrollments.ts';
import {
  messageDelivery,
  queueSubscriptionMessage,
  SUBSCRIPTION_MANAGE,
  SUBSCRIPTION_VERIFY,
} from './messages.ts';

export interface SubscriptionInput {
  readonly email: string;
  readonly countries: readonly string[];
  readonly frequency: Frequency;
  readonly language: string;
}

export interface SubscriptionView {
  readonly email: string;
  readonly countries: string[];
  readonly frequency: Frequency;
  readonly language: string;
  readonly verifiedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Canonical alpha-2 codes, sorted and without duplicates; unknown_country names the bad one. */
function countriesOf(raw: readonly string[]): string[] {
  const geo = loadGeography();
  const out = new Set<string>();
  raw.forEach((code, i) => {
    const c = geo.country(code);
    if (!c)
      throw new WardenError('unknown_country', `Unknown country "${code}".`, {
        field: `countries/${i}`,
        country: code,
      });
    out.add(c.code);
  });
  return [...out].sort();
}

function indexOf(ctx: Context, raw: string): { email: string; index: string } {
  const email = normalizeEmail(raw);
  const index = email && blindIndex(ctx.privacy.blindIndex, 'email', email);
  if (!email || !index)
    throw new WardenError('invalid_email', 'The email address is not valid.', { field: 'email' });
  return { email, index };
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Public subscription: the answer is the same whatever the address's state. A new address is
 * stored sealed and sent only a verification link (double opt-in); an unverified one takes the
 * new choices and gets a fresh link; a verified one is sent its manage link and nothing changes.
 */
export async function subscribe(
  ctx: Context,
  actor: Actor,
  input: SubscriptionInput,
  ip: string,
): Promise<void> {
  const { email, index } = indexOf(ctx, input.email);
  const countries = countriesOf(input.countries);
  await throttlePublic(ctx, ip, [index]);
  const attempt = () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const now = iso(ctx.clock.now());
      const existing = await findSubscriptionByIndex(trx, index);
      if (existing?.verified_at) {
        await recordAudit(ctx, trx, actor, 'subscription.repeat', `subscription:${existing.id}`, {});
        return queueSubscriptionMessage(ctx, trx, existing.id, 'subscription_exists');
      }
      if (existing) {
        await updateSubscriptionRow(trx, existing.id, {
          frequency: input.frequency,
          language: input.language,
          updated_at: now,
        });
        await setCountries(trx, existing.id, countries);
        await recordAudit(ctx, trx, actor, 'subscription.repeat', `subscription:${existing.id}`, {
          countries,
          frequency: input.frequency,
        });
        return queueSubscriptionMessage(ctx, trx, existing.id, 'subscription_verify');
      }
      const id = newId();
      const { cipher, wrappedKey } = PersonCipher.create(ctx.privacy.kek, id);
      const row: SubscriptionRow = {
        id,
        email_enc: cipher.encrypt('email', email),
        blind_index: index,
        frequency: input.frequency,
        language: input.language,
        verified_at: null,
        verify_version: 0,
        created_at: now,
        updated_at: now,
      };
      await insertSubscription(trx, row, wrappedKey, countries);
      await recordAudit(ctx, trx, actor, 'subscription.create', `subscription:${id}`, {
        countries,
        frequency: input.frequency,
      });
      return queueSubscriptionMessage(ctx, trx, id, 'subscription_verify');
    });
  try {
    await attempt();
  } catch (err) {
    // Two requests for one new address at once: the loser finds the winner's row on a retry.
    if (!isUniqueViolation(err)) throw err;
    await attempt();
  }
}

/** Confirms a subscription from its link (once; a second use says already_verified). */
export async function verifySubscription(
  ctx: Context,
  actor: Actor,
  token: string,
): Promise<{ status: 'verified' | 'already_verified' }> {
  const now = ctx.clock.now();
  const claims = verifyToken(ctx.privacy.tokens, token, SUBSCRIPTION_VERIFY, now);
  const version = claims.v;
  if (typeof version !== 'number') throw new TokenError('invalid');
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    const sub = await findSubscription(trx, claims.sub);
    if (!sub) throw new TokenError('invalid');
    if (sub.verified_at && sub.verify_version === version + 1) return { status: 'already_verified' as const };
    if (!(await markSubscriptionVerified(trx, sub.id, version, iso(now)))) throw new TokenError('invalid');
    await recordAudit(ctx, trx, actor, 'subscription.verified', `subscription:${sub.id}`, {});
    await queueSubscriptionMessage(ctx, trx, sub.id, 'subscription_welcome');
    return { status: 'verified' as const };
  });
  return { status: result.status };
}

/** The verified subscription a manage token names, or invalid_token. */
async function subscriptionOf(ctx: Context, token: string): Promise<SubscriptionRow> {
  const claims = verifyToken(ctx.privacy.tokens, token, SUBSCRIPTION_MANAGE, ctx.clock.now());
  const sub = await findSubscription(ctx.store.db, claims.sub);
  if (!sub?.verified_at) throw new TokenError('invalid');
  return sub;
}

/** The manage token of an `Authorization: Bearer <token>` header. */
export function bearerToken(authorization: string | undefined): string {
  const m = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!m?.[1]) throw new TokenError('invalid');
  return m[1];
}

async function view(ctx: Context, sub: SubscriptionRow): Promise<SubscriptionView> {
  const db = ctx.store.db;
  const wrapped = await findSubscriptionKey(db, sub.id);
  if (!wrapped) throw new TokenError('invalid');
  return {
    email: PersonCipher.open(ctx.privacy.kek, sub.id, wrapped).decrypt('email', sub.email_enc),
    countries: await listCountries(db, sub.id),
    frequency: sub.frequency as Frequency,
    language: sub.language,
    verifiedAt: sub.verified_at,
    createdAt: sub.created_at,
    updatedAt: sub.updated_at,
  };
}

export async function mySubscription(ctx: Context, token: string): Promise<SubscriptionView> {
  return view(ctx, await subscriptionOf(ctx, token));
}

export async function updateMySubscription(
  ctx: Context,
  actor: Actor,
  token: string,
  patch: { countries?: readonly string[]; frequency?: Frequency; language?: string },
): Promise<SubscriptionView> {
  const sub = await subscriptionOf(ctx, token);
  const countries = patch.countries && countriesOf(patch.countries);
  await ctx.store.db.transaction().execute(async (trx) => {
    await updateSubscriptionRow(trx, sub.id, {
      updated_at: iso(ctx.clock.now()),
      ...(patch.frequency && { frequency: patch.frequency }),
      ...(patch.language && { language: patch.language }),
    });
    if (countries) await setCountries(trx, sub.id, countries);
    await recordAudit(ctx, trx, actor, 'subscription.update', `subscription:${sub.id}`, {
      fields: Object.keys(patch).sort(),
      ...(countries && { countries }),
      ...(patch.frequency && { frequency: patch.frequency }),
    });
  });
  const after = await findSubscription(ctx.store.db, sub.id);
  if (!after) throw new TokenError('invalid');
  return view(ctx, after);
}

/**
 * Unsubscribing deletes the subscription outright (crypto-shredded with its key): nothing about
 * the address is kept. A second use of a genuine link finds nothing and says the same.
 */
export async function unsubscribeSubscription(ctx: Context, actor: Actor, token: string): Promise<void> {
  const claims = verifyToken(ctx.privacy.tokens, token, SUBSCRIPTION_MANAGE, ctx.clock.now());
  await ctx.store.db.transaction().execute((trx) => removeSubscription(ctx, trx, actor, claims.sub));
}

/** Deletes a subscription in the caller's transaction, audited (with `extra`) if it was there. */
export async function removeSubscription(
  ctx: Context,
  trx: Db,
  actor: Actor,
  id: string,
  extra: Record<string, string> = {},
): Promise<void> {
  const counts = await deleteSubscriptions(trx, [id]);
  if (counts.subscriptions > 0)
    await recordAudit(ctx, trx, actor, 'subscription.unsubscribe', `subscription:${id}`, {
      ...counts,
      ...extra,
    });
}

/**
 * Sends a manage link to a verified subscription (a fresh verification link to an unverified
 * one). Answered in the same time whoever asks: the lookup happens after the answer, when the
 * worker expands the queued request (expandSubscriptionLinkRequest).
 */
export async function requestSubscriptionLink(ctx: Context, actor: Actor, rawEmail: string, ip: string) {
  const email = normalizeEmail(rawEmail);
  const index = email && blindIndex(ctx.privacy.blindIndex, 'email', email);
  await throttlePublic(ctx, ip, index ? [index] : []);
  if (!index) return;
  await queueLookupRequest(ctx, SUBSCRIPTION_LINK_REQUEST, index, actor.requestId);
}

export const SUBSCRIPTION_LINK_REQUEST = 'subscription_link_request';

/** The worker's side of requestSubscriptionLink(); idempotent like expandManageRequest. */
export const expandSubscriptionLinkRequest: Renderer = async (ctx, row) => {
  const { index, rid } = JSON.parse(row.params) as { index?: string; rid?: string | null };
  if (!index) return { drop: EXPANDED };
  await ctx.store.db.transaction().execute(async (trx) => {
    const sub = await findSubscriptionByIndex(trx, index);
    if (sub) {
      const template = sub.verified_at ? 'subscription_manage_link' : 'subscription_verify';
      const [id] = await enqueueDeliveries(ctx, trx, [
        { ...messageDelivery({ subscriptionId: sub.id }, template, {}), dedupeKey: `${row.id}:${sub.id}` },
      ]);
      if (id)
        await recordAudit(
          ctx,
          trx,
          { principal: null, requestId: rid ?? null, label: 'traveller' },
          'subscription.manage_link',
          `subscription:${sub.id}`,
          {},
        );
    }
    await clearRequestParams(trx, row.id);
  });
  return { drop: EXPANDED };
};
