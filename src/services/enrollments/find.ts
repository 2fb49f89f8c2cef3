import type { Context } from '../../context.ts';
import type { Principal } from '../../domain/auth/principal.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { blindIndex, PersonCipher } from '../../domain/privacy/index.ts';
import { findContactsByIndex } from '../../store/enrollments/enrollments.ts';
import { listMessagesOf, type PersonMessage } from '../../store/enrollments/self.ts';
import { type SealedName, sealedNamesOf, sealedNamesWithTrips } from '../../store/enrollments/staff.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';
import { type EnrollmentView, loadEnrollmentView } from './self.ts';
import { visibleCountries } from './staff.ts';

/**
 * Find a traveller (issue 16). Contacts are found by blind index (an equality lookup: the
 * address itself is never decrypted to compare); a name can only be compared once opened, so a
 * name search opens the names of the people with current trips in the caller's countries (or the
 * one country asked for), at most NAME_SCAN_LIMIT of them. Every call that shows personal data
 * carries the reason the officer typed into its audit entry.
 */

export const NAME_SCAN_LIMIT = 50_000;
const RESULT_LIMIT = 50;

export interface TravellerHit {
  readonly id: string;
  readonly name: string;
  readonly countries: string[];
}

export interface SearchResult {
  readonly by: 'email' | 'phone' | 'name';
  readonly travellers: TravellerHit[];
  /** The name scan stopped at NAME_SCAN_LIMIT people: narrow by country. */
  readonly truncated: boolean;
}

function requireReason(reason: string): string {
  const r = reason.trim();
  if (r.length < 3)
    throw new WardenError('reason_required', 'Say why you need to see this person’s data.', {
      field: 'reason',
    });
  return r;
}

function principalOf(actor: Actor): Principal {
  if (!actor.principal) throw new WardenError('unauthenticated', 'Sign in first.');
  return actor.principal;
}

const opened = (ctx: Context, s: SealedName) =>
  PersonCipher.open(ctx.privacy.kek, s.id, s.wrappedKey).decrypt('name', s.nameEnc);

/** Whether the caller may see a person: a trip in one of their countries (null = all). */
const visibleTo = (countries: readonly string[], visible: readonly string[] | null) =>
  visible === null || countries.some((c) => visible.includes(c));

function kindOf(query: string): 'email' | 'phone' | 'name' {
  if (query.includes('@')) return 'email';
  if (/^\+?[\d\s().-]{6,}$/.test(query)) return 'phone';
  return 'name';
}

export async function searchTravellers(
  ctx: Context,
  actor: Actor,
  input: { query: string; reason: string; country?: string },
): Promise<SearchResult> {
  const principal = principalOf(actor);
  const reason = requireReason(input.reason);
  const query = input.query.trim();
  if (query.length < 2)
    throw new WardenError('validation_failed', 'Type at least two characters.', { field: 'query' });
  const visible = await visibleCountries(ctx, principal);
  const country = input.country?.toUpperCase();
  if (country && visible && !visible.includes(country))
    throw new WardenError('forbidden', 'This is outside your scope.', {});
  const by = kindOf(query);
  let hits: TravellerHit[] = [];
  let truncated = false;
  if (by === 'name') {
    const needle = query.toLocaleLowerCase();
    const people = await sealedNamesWithTrips(ctx.store.db, {
      today: iso(ctx.clock.now()).slice(0, 10),
      countries: country ? [country] : visible,
      limit: NAME_SCAN_LIMIT + 1,
    });
    truncated = people.length > NAME_SCAN_LIMIT;
    for (const p of people.slice(0, NAME_SCAN_LIMIT)) {
      const name = opened(ctx, p);
      if (name.toLocaleLowerCase().includes(needle)) hits.push({ id: p.id, name, countries: p.countries });
      if (hits.length >= RESULT_LIMIT) break;
    }
  } else {
    const idx = blindIndex(ctx.privacy.blindIndex, by, query, country ? { defaultCountry: country } : {});
    const contacts = idx ? await findContactsByIndex(ctx.store.db, [idx]) : [];
    const people = await sealedNamesOf(ctx.store.db, [...new Set(contacts.map((c) => c.person_id))]);
    hits = people
      .filter((p) => visibleTo(p.countries, visible) && (!country || p.countries.includes(country)))
      .map((p) => ({ id: p.id, name: opened(ctx, p), countries: p.countries }));
  }
  hits.sort((a, b) => a.name.localeCompare(b.name));
  await ctx.store.db.transaction().execute((trx) =>
    recordAudit(ctx, trx, actor, 'enrollment.search', null, {
      reason,
      by,
      ...(country && { country }),
      results: hits.length,
      people: hits.map((h) => h.id),
    }),
  );
  return { by, travellers: hits, truncated };
}

/** The people behind one bubble of the map's enrolled-people layer: a country, or one of its regions. */
export async function travellersIn(
  ctx: Context,
  actor: Actor,
  input: { country: string; region?: string; reason: string },
): Promise<{ travellers: TravellerHit[]; truncated: boolean }> {
  const reason = requireReason(input.reason);
  const country = input.country.toUpperCase();
  const people = await sealedNamesWithTrips(ctx.store.db, {
    today: iso(ctx.clock.now()).slice(0, 10),
    countries: [country],
    ...(input.region && { region: input.region }),
    limit: 501,
  });
  const travellers = people
    .slice(0, 500)
    .map((p) => ({ id: p.id, name: opened(ctx, p), countries: p.countries }))
    .sort((a, b) => a.name.localeCompare(b.name));
  await ctx.store.db.transaction().execute((trx) =>
    recordAudit(ctx, trx, actor, 'enrollment.list', `country:${country}`, {
      reason,
      ...(input.region && { region: input.region }),
      results: travellers.length,
    }),
  );
  return { travellers, truncated: people.length > 500 };
}

/** One person's enrollment and messages, decrypted for staff, audited with the reason given. */
export async function viewTraveller(
  ctx: Context,
  actor: Actor,
  id: string,
  reasonRaw: string,
): Promise<{ enrollment: EnrollmentView; messages: PersonMessage[] }> {
  const reason = requireReason(reasonRaw);
  return ctx.store.db.transaction().execute(async (trx) => {
    const enrollment = await loadEnrollmentView(ctx, trx, id);
    const messages = await listMessagesOf(trx, id);
    await recordAudit(ctx, trx, actor, 'enrollment.read', `enrollment:${id}`, { reason });
    return { enrollment, messages };
  });
}
