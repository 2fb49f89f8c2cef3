import { sql } from 'kysely';
import type { Edition, EditionContent, EditionStatus, Zone } from '../../domain/advisories/edition.ts';
import type { Indicator, Level } from '../../domain/advisories/levels.ts';
import type { Review } from '../../domain/advisories/review.ts';
import type { Backend, Db } from '../db.ts';
import { lockForKey } from '../locks.ts';
import type { AdvisoryEditionTable, AdvisoryReviewTable } from './tables.ts';

export const editionRowToEdition = (r: AdvisoryEditionTable): Edition => ({
  id: r.id,
  country: r.country,
  number: r.number === null ? null : Number(r.number),
  status: r.status as EditionStatus,
  level: Number(r.level) as Level,
  indicators: JSON.parse(r.indicators) as Indicator[],
  summary: r.summary,
  body: r.body,
  zones: JSON.parse(r.zones) as Zone[],
  changeNote: r.change_note,
  minor: Number(r.minor) === 1,
  nextReviewDue: r.next_review_due,
  baseEditionId: r.base_edition_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
  publishedAt: r.published_at,
  publishedBy: r.published_by,
  archivedAt: r.archived_at,
});

const contentColumns = (c: EditionContent) => ({
  level: c.level,
  indicators: JSON.stringify(c.indicators),
  summary: c.summary,
  body: c.body,
  zones: JSON.stringify(c.zones),
  change_note: c.changeNote,
  minor: c.minor ? 1 : 0,
  next_review_due: c.nextReviewDue,
});

export async function insertEdition(db: Db, e: Edition): Promise<void> {
  await db
    .insertInto('advisory_editions')
    .values({
      id: e.id,
      country: e.country,
      number: e.number,
      status: e.status,
      ...contentColumns(e),
      base_edition_id: e.baseEditionId,
      created_at: e.createdAt,
      created_by: e.createdBy,
      updated_at: e.updatedAt,
      updated_by: e.updatedBy,
      published_at: e.publishedAt,
      published_by: e.publishedBy,
      archived_at: e.archivedAt,
    })
    .execute();
}

export async function findEdition(db: Db, id: string): Promise<Edition | undefined> {
  const r = await db.selectFrom('advisory_editions').selectAll().where('id', '=', id).executeTakeFirst();
  return r && editionRowToEdition(r);
}

/** The country of an edition, for scope checks (cheaper than the whole row). */
export async function findEditionCountry(db: Db, id: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('advisory_editions')
    .select('country')
    .where('id', '=', id)
    .executeTakeFirst();
  return r?.country;
}

export interface EditionFilter {
  readonly country?: string;
  readonly status?: EditionStatus | readonly EditionStatus[];
}

/** Published editions newest first (by number), then drafts newest first. */
export async function listEditions(db: Db, f: EditionFilter = {}, limit?: number): Promise<Edition[]> {
  let q = db
    .selectFrom('advisory_editions')
    .selectAll()
    .orderBy('country')
    .orderBy(sql`coalesce(published_at, created_at)`, 'desc')
    .orderBy('id');
  if (f.country) q = q.where('country', '=', f.country);
  if (typeof f.status === 'string') q = q.where('status', '=', f.status);
  else if (f.status) q = q.where('status', 'in', f.status);
  if (limit) q = q.limit(limit);
  return (await q.execute()).map(editionRowToEdition);
}

/** Every edition ever published (current and archived), newest publication first. */
export async function listPublishedEditions(db: Db, limit: number): Promise<Edition[]> {
  const rows = await db
    .selectFrom('advisory_editions')
    .selectAll()
    .where('status', 'in', ['published', 'archived'])
    .orderBy('published_at', 'desc')
    .orderBy('number', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(editionRowToEdition);
}

export async function findCurrentEdition(db: Db, country: string): Promise<Edition | undefined> {
  const r = await db
    .selectFrom('advisory_editions')
    .selectAll()
    .where('country', '=', country)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return r && editionRowToEdition(r);
}

/** Rewrites a draft; false when it is no longer a draft (published meanwhile) or gone. */
export async function updateDraftRow(
  db: Db,
  id: string,
  c: EditionContent,
  at: string,
  by: string,
): Promise<boolean> {
  const r = await db
    .updateTable('advisory_editions')
    .set({ ...contentColumns(c), updated_at: at, updated_by: by })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteDraftRow(db: Db, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('advisory_editions')
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function archiveEditionRow(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('advisory_editions')
    .set({ status: 'archived', archived_at: at })
    .where('id', '=', id)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function publishEditionRow(
  db: Db,
  id: string,
  p: { number: number; publishedAt: string; publishedBy: string; nextReviewDue: string },
): Promise<boolean> {
  const r = await db
    .updateTable('advisory_editions')
    .set({
      status: 'published',
      number: p.number,
      published_at: p.publishedAt,
      published_by: p.publishedBy,
      next_review_due: p.nextReviewDue,
      updated_at: p.publishedAt,
      updated_by: p.publishedBy,
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function nextEditionNumber(db: Db, country: string): Promise<number> {
  const r = await db
    .selectFrom('advisory_editions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('country', '=', country)
    .executeTakeFirst();
  return Number(r?.n ?? 0) + 1;
}

/**
 * Serialises publications and reviews of one country across processes on PostgreSQL (the
 * partial unique index would refuse the loser anyway; the lock makes it wait instead of fail).
 * SQLite serialises writers by itself.
 */
export async function lockCountry(db: Db, backend: Backend, country: string): Promise<void> {
  await lockForKey(db, backend, `advisory:${country}`);
}

const reviewRowToReview = (r: AdvisoryReviewTable): Review => ({
  id: r.id,
  country: r.country,
  editionId: r.edition_id,
  note: r.note,
  reviewedAt: r.reviewed_at,
  reviewedBy: r.reviewed_by,
  nextReviewDue: r.next_review_due,
});

export async function insertReview(db: Db, r: Review): Promise<void> {
  await db
    .insertInto('advisory_reviews')
    .values({
      id: r.id,
      country: r.country,
      edition_id: r.editionId,
      note: r.note,
      reviewed_at: r.reviewedAt,
      reviewed_by: r.reviewedBy,
      next_review_due: r.nextReviewDue,
    })
    .execute();
}

/** Reviews of these editions, newest first. */
export async function listReviews(db: Db, editionIds: readonly string[]): Promise<Review[]> {
  if (editionIds.length === 0) return [];
  const rows = await db
    .selectFrom('advisory_reviews')
    .selectAll()
    .where('edition_id', 'in', editionIds)
    .orderBy('reviewed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(reviewRowToReview);
}

export async function listCountryReviews(db: Db, country: string): Promise<Review[]> {
  const rows = await db
    .selectFrom('advisory_reviews')
    .selectAll()
    .where('country', '=', country)
    .orderBy('reviewed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(reviewRowToReview);
}
