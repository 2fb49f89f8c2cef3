export interface AdvisoryTables {
  advisory_editions: AdvisoryEditionTable;
  advisory_reviews: AdvisoryReviewTable;
}

export interface AdvisoryEditionTable {
  id: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Per-country edition number, given at publication (null for drafts). */
  number: number | null;
  /** draft | published | archived. At most one published edition per country (partial unique index). */
  status: string;
  level: number;
  /** JSON array of indicator codes. */
  indicators: string;
  summary: string;
  body: string;
  /** JSON array of zones (name, level, indicators, regions, geometry, text). */
  zones: string;
  change_note: string | null;
  /** 0 or 1 on both stores. */
  minor: number;
  next_review_due: string | null;
  base_edition_id: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
  published_at: string | null;
  published_by: string | null;
  archived_at: string | null;
}

/** A confirmation of the current edition without a new one; editions themselves never change. */
export interface AdvisoryReviewTable {
  id: string;
  country: string;
  edition_id: string;
  note: string;
  reviewed_at: string;
  reviewed_by: string | null;
  next_review_due: string;
}
