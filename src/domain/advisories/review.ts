import type { Edition } from './edition.ts';

/** A confirmation that the current edition still stands, with the date of the next review. */
export interface Review {
  readonly id: string;
  readonly country: string;
  readonly editionId: string;
  readonly note: string;
  readonly reviewedAt: string;
  readonly reviewedBy: string | null;
  readonly nextReviewDue: string;
}

/** The current edition of a country with its review state, which reviews move and editions do not. */
export interface CurrentAdvisory {
  readonly edition: Edition;
  /** The latest review, or the publication itself (a publication is a review). */
  readonly reviewedAt: string;
  readonly nextReviewDue: string;
  readonly lastReview: Review | null;
}

/** Combines a published edition with its reviews (any order); the newest review wins. */
export function currentAdvisory(edition: Edition, reviews: readonly Review[]): CurrentAdvisory {
  let last: Review | null = null;
  for (const r of reviews) {
    if (r.editionId === edition.id && (!last || r.reviewedAt > last.reviewedAt)) last = r;
  }
  return {
    edition,
    reviewedAt: last?.reviewedAt ?? edition.publishedAt ?? edition.createdAt,
    nextReviewDue: last?.nextReviewDue ?? edition.nextReviewDue ?? edition.publishedAt ?? edition.createdAt,
    lastReview: last,
  };
}

export const isOverdue = (a: CurrentAdvisory, now: Date): boolean =>
  Date.parse(a.nextReviewDue) < now.getTime();
