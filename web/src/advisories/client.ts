import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { apiJson, apiRequest } from '../app/api.ts';
import { query } from '../app/util.ts';
import type { Level } from '../../../src/domain/advisories/levels.ts';

// Shapes of src/server/routes/advisories/index.ts and public-advisories.ts.

export interface Zone {
  name: string;
  level: Level;
  levelLabel?: string;
  indicators: string[];
  regions: string[];
  geometry: Polygon | MultiPolygon | null;
  /** Markdown. */
  text: string;
}

export type EditionStatus = 'draft' | 'published' | 'archived';

export interface EditionSummary {
  id: string;
  country: string;
  countryName: string;
  /** 1, 2, 3... per country, given at publication; null while a draft. */
  number: number | null;
  status: EditionStatus;
  level: Level;
  levelLabel: string;
  indicators: string[];
  summary: string;
  changeNote: string | null;
  minor: boolean;
  zoneCount: number;
  nextReviewDue: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  archivedAt: string | null;
}

export interface Edition extends EditionSummary {
  body: string;
  zones: Zone[];
  baseEditionId: string | null;
  createdBy: string | null;
  updatedBy: string | null;
  publishedBy: string | null;
}

export interface Review {
  id: string;
  country: string;
  editionId: string;
  note: string;
  reviewedAt: string;
  reviewedBy: string | null;
  nextReviewDue: string;
}

export interface ReviewState {
  reviewedAt: string;
  nextReviewDue: string;
  overdue: boolean;
  lastReview: Review | null;
}

export interface AdvisoryListItem {
  country: string;
  countryName: string;
  current: ({ edition: EditionSummary } & ReviewState) | null;
  drafts: EditionSummary[];
}

export interface AdvisoryDetail {
  country: string;
  countryName: string;
  current: ({ edition: Edition } & ReviewState) | null;
  drafts: Edition[];
  history: EditionSummary[];
  reviews: Review[];
}

export interface OverdueItem {
  country: string;
  countryName: string;
  editionId: string;
  number: number | null;
  level: Level;
  levelLabel: string;
  reviewedAt: string;
  nextReviewDue: string;
  daysOverdue: number;
}

export async function fetchAdvisories(signal?: AbortSignal): Promise<AdvisoryListItem[]> {
  return (await apiJson<{ advisories: AdvisoryListItem[] }>('/api/advisories', { signal })).advisories;
}

export async function fetchOverdue(signal?: AbortSignal): Promise<OverdueItem[]> {
  return (await apiJson<{ overdue: OverdueItem[] }>('/api/advisories/overdue', { signal })).overdue;
}

export async function fetchAdvisory(country: string, signal?: AbortSignal): Promise<AdvisoryDetail> {
  return apiJson<AdvisoryDetail>(`/api/advisories/${encodeURIComponent(country)}`, { signal });
}

/** Body of POST .../editions and PATCH .../advisory-editions/:id. */
export interface EditionInput {
  level: Level;
  indicators?: string[];
  summary: string;
  body?: string;
  zones?: Omit<Zone, 'levelLabel'>[];
  changeNote?: string | null;
  minor?: boolean;
  nextReviewDue?: string | null;
}

export async function createEdition(country: string, input: EditionInput): Promise<Edition> {
  const body = await apiJson<{ edition: Edition }>(
    `/api/advisories/${encodeURIComponent(country)}/editions`,
    {
      method: 'POST',
      body: input,
    },
  );
  return body.edition;
}

export async function fetchEdition(id: string, signal?: AbortSignal): Promise<Edition> {
  return (await apiJson<{ edition: Edition }>(`/api/advisory-editions/${encodeURIComponent(id)}`, { signal }))
    .edition;
}

export async function updateEdition(id: string, patch: Partial<EditionInput>): Promise<Edition> {
  const body = await apiJson<{ edition: Edition }>(`/api/advisory-editions/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: patch,
  });
  return body.edition;
}

/** 204 No Content on success. */
export async function deleteEdition(id: string): Promise<void> {
  await apiRequest(`/api/advisory-editions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export interface PublishResult {
  edition: Edition;
  archived: EditionSummary | null;
  resolvedTasks: number;
}

export async function publishEdition(id: string): Promise<PublishResult> {
  return apiJson<PublishResult>(`/api/advisory-editions/${encodeURIComponent(id)}/publish`, {
    method: 'POST',
  });
}

export interface ReviewResult {
  review: Review;
  advisory: { editionId: string; reviewedAt: string; nextReviewDue: string };
  resolvedTasks: number;
}

export async function confirmReview(
  country: string,
  input: { note: string; nextReviewDue?: string },
): Promise<ReviewResult> {
  return apiJson<ReviewResult>(`/api/advisories/${encodeURIComponent(country)}/review`, {
    method: 'POST',
    body: input,
  });
}

export interface DiffLine {
  kind: 'added' | 'removed' | 'unchanged';
  text: string;
  lines: number;
}

export interface SetChange {
  added: string[];
  removed: string[];
}

export type LevelChange = { from: number; to: number } | null;

export interface EditionDiff {
  changed: string[];
  level: LevelChange;
  indicators: SetChange;
  zones: {
    added: string[];
    removed: string[];
    changed: {
      name: string;
      fields: string[];
      level: LevelChange;
      indicators: SetChange;
      regions: SetChange;
      text: DiffLine[] | null;
    }[];
  };
  summary: DiffLine[] | null;
  body: DiffLine[] | null;
}

export async function fetchDiff(
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<{ from: EditionSummary; to: EditionSummary; diff: EditionDiff }> {
  return apiJson(`/api/advisories/diff${query({ from, to })}`, { signal });
}

// ---- map layer --------------------------------------------------------------------------------

export interface AdvisoryFeatureProps {
  kind: 'country' | 'zone';
  country: string;
  name: string;
  zone: string | null;
  level: Level;
  levelLabel: string;
  color: string;
  indicators: string[];
  regions: string[];
  edition: number | null;
  updated: string | null;
}

export type AdvisoryFeatureCollection = FeatureCollection<Polygon | MultiPolygon, AdvisoryFeatureProps>;

export async function fetchAdvisoryGeoJson(signal?: AbortSignal): Promise<AdvisoryFeatureCollection> {
  // The public layer is served with max-age for other consumers; staff must see a publication at
  // once, so always revalidate (a cheap 304 when nothing changed).
  return apiJson<AdvisoryFeatureCollection>('/geo/advisories.geojson', { signal, cache: 'no-cache' });
}
