import type { Context } from '../../context.ts';
import { diffEditions, type EditionDiff } from '../../domain/advisories/diff.ts';
import type { Edition } from '../../domain/advisories/edition.ts';
import {
  type CurrentAdvisory,
  currentAdvisory,
  isOverdue,
  type Review,
} from '../../domain/advisories/review.ts';
import { WardenError } from '../../domain/errors.ts';
import {
  findEdition,
  listCountryReviews,
  listEditions,
  listReviews,
} from '../../store/advisories/advisories.ts';
import type { Db } from '../../store/db.ts';
import { countryCode, countryName, notFound } from './editions.ts';

/** Read side of advisories: what staff screens and the public feeds show. */

export async function getEdition(ctx: Context, id: string): Promise<Edition> {
  const e = await findEdition(ctx.store.db, id);
  if (!e) throw notFound(id);
  return e;
}

/** Every country's current advisory (with its review state), by country code. */
export async function currentAdvisories(ctx: Context, db: Db = ctx.store.db): Promise<CurrentAdvisory[]> {
  const current = await listEditions(db, { status: 'published' });
  const reviews = await listReviews(
    db,
    current.map((e) => e.id),
  );
  return current.map((e) => currentAdvisory(e, reviews));
}

export interface CountryOverview {
  readonly country: string;
  readonly current: CurrentAdvisory | null;
  readonly drafts: readonly Edition[];
}

/** Staff overview: current edition and open drafts of every country that has either. */
export async function listAdvisories(ctx: Context): Promise<CountryOverview[]> {
  const db = ctx.store.db;
  const [current, drafts] = await Promise.all([
    currentAdvisories(ctx, db),
    listEditions(db, { status: 'draft' }),
  ]);
  const byCountry = new Map<string, { current: CurrentAdvisory | null; drafts: Edition[] }>();
  const slot = (c: string) => byCountry.get(c) ?? byCountry.set(c, { current: null, drafts: [] }).get(c)!;
  for (const a of current) slot(a.edition.country).current = a;
  for (const d of drafts) slot(d.country).drafts.push(d);
  return [...byCountry.entries()]
    .map(([country, v]) => ({ country, ...v }))
    .sort((a, b) => countryName(a.country).localeCompare(countryName(b.country), 'en'));
}

export interface CountryAdvisory extends CountryOverview {
  /** Published editions, current first, then archived newest first. */
  readonly history: readonly Edition[];
  readonly reviews: readonly Review[];
}

export async function countryAdvisory(ctx: Context, countryRaw: string): Promise<CountryAdvisory> {
  const country = countryCode(countryRaw);
  const db = ctx.store.db;
  const editions = await listEditions(db, { country });
  const reviews = await listCountryReviews(db, country);
  const published = editions
    .filter((e) => e.status !== 'draft')
    .sort((a, b) => (b.number ?? 0) - (a.number ?? 0));
  const cur = published.find((e) => e.status === 'published');
  return {
    country,
    current: cur ? currentAdvisory(cur, reviews) : null,
    drafts: editions.filter((e) => e.status === 'draft'),
    history: published,
    reviews,
  };
}

export async function diffBetween(
  ctx: Context,
  fromId: string,
  toId: string,
): Promise<{ from: Edition; to: Edition; diff: EditionDiff }> {
  const [from, to] = await Promise.all([findEdition(ctx.store.db, fromId), findEdition(ctx.store.db, toId)]);
  if (!from) throw new WardenError('not_found', 'Advisory edition not found.', { id: fromId, field: 'from' });
  if (!to) throw new WardenError('not_found', 'Advisory edition not found.', { id: toId, field: 'to' });
  if (from.country !== to.country) {
    throw new WardenError('validation_failed', 'Both editions must be of the same country.', {
      field: 'to',
      from: from.country,
      to: to.country,
    });
  }
  return { from, to, diff: diffEditions(from, to) };
}

/** Current editions whose review date has passed, the longest overdue first. */
export async function overdueAdvisories(ctx: Context): Promise<CurrentAdvisory[]> {
  const now = ctx.clock.now();
  return (await currentAdvisories(ctx))
    .filter((a) => isOverdue(a, now))
    .sort((a, b) => a.nextReviewDue.localeCompare(b.nextReviewDue));
}
