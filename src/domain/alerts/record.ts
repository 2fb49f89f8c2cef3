import type { Alert } from './types.ts';

/** An alert as the store keeps it: the lifecycle plus what queries and the console need. */
export interface AlertRecord extends Alert {
  /** What the composer started from: `restriction:<id>`, `incident:<id>` or null. */
  readonly source: string | null;
  /** The first alert of an Update/Cancel chain (its own id for an Alert). */
  readonly rootId: string;
  /** The issuing post's country (staff scope). */
  readonly country: string;
  /** ISO alpha-2 countries the area touches (public filter by country). */
  readonly countries: readonly string[];
  /** How many people it was handed to at send; null before. */
  readonly recipientCount: number | null;
}

/** How a recipient matched: exact point, approximate place (GeoNames centroid), country only. */
export const RECIPIENT_PRECISIONS = ['exact', 'approximate', 'country'] as const;
export type RecipientPrecision = (typeof RECIPIENT_PRECISIONS)[number];
