import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Static } from 'typebox';
import type { AdvisoryFeatureProperties } from '../../../src/feeds/geojson/advisories.ts';
import type {
  AdvisoryDetailOut,
  AdvisoryListItemOut,
  DiffOut,
  EditionIn,
  EditionOut,
  EditionPatch,
  EditionSummaryOut,
  Lines,
  OverdueOut,
  PublishResultOut,
  ReviewOut,
  ReviewResultOut,
  SetChange as SetChangeOut,
} from '../../../src/server/routes/advisories/schema.ts';
import { apiJson, apiRequest } from '../app/api.ts';
import { query } from '../app/util.ts';

// The advisories API (src/server/routes/advisories/) and the public GeoJSON layer
// (src/feeds/geojson/advisories.ts), typed by the server's own schemas and feed types.

export type EditionSummary = Static<typeof EditionSummaryOut>;
export type Edition = Static<typeof EditionOut>;
export type Zone = Edition['zones'][number];
/** A zone as the editor holds it: everything the server stores, without the label it adds. */
export type ZoneDraft = Omit<Zone, 'levelLabel'>;
export type EditionStatus = EditionSummary['status'];
export type Review = Static<typeof ReviewOut>;
export type AdvisoryListItem = Static<typeof AdvisoryListItemOut>;
export type AdvisoryDetail = Static<typeof AdvisoryDetailOut>;
export type OverdueItem = Static<typeof OverdueOut>;
/** Body of POST .../editions. */
export type EditionInput = Static<typeof EditionIn>;
/** Body of PATCH /api/advisory-editions/:id. */
export type EditionChange = Static<typeof EditionPatch>;
export type PublishResult = Static<typeof PublishResultOut>;
export type ReviewResult = Static<typeof ReviewResultOut>;
export type EditionDiff = Static<typeof DiffOut>;
export type DiffLine = NonNullable<Static<typeof Lines>>[number];
export type SetChange = Static<typeof SetChangeOut>;

export async function fetchAdvisories(signal?: AbortSignal): Promise<AdvisoryListItem[]> {
  return (await apiJson<{ advisories: AdvisoryListItem[] }>('/api/advisories', { signal })).advisories;
}

export async function fetchOverdue(signal?: AbortSignal): Promise<OverdueItem[]> {
  return (await apiJson<{ overdue: OverdueItem[] }>('/api/advisories/overdue', { signal })).overdue;
}

export async function fetchAdvisory(country: string, signal?: AbortSignal): Promise<AdvisoryDetail> {
  return apiJson<AdvisoryDetail>(`/api/advisories/${encodeURIComponent(country)}`, { signal });
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

export async function updateEdition(id: string, patch: EditionChange): Promise<Edition> {
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

export async function publishEdition(id: string): Promise<PublishResult> {
  return apiJson<PublishResult>(`/api/advisory-editions/${encodeURIComponent(id)}/publish`, {
    method: 'POST',
  });
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

export async function fetchDiff(
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<{ from: EditionSummary; to: EditionSummary; diff: EditionDiff }> {
  return apiJson(`/api/advisories/diff${query({ from, to })}`, { signal });
}

// ---- map layer --------------------------------------------------------------------------------

export type AdvisoryFeatureProps = AdvisoryFeatureProperties;
export type AdvisoryFeatureCollection = FeatureCollection<Polygon | MultiPolygon, AdvisoryFeatureProps>;

export async function fetchAdvisoryGeoJson(signal?: AbortSignal): Promise<AdvisoryFeatureCollection> {
  // The public layer is served with max-age for other consumers; staff must see a publication at
  // once, so always revalidate (a cheap 304 when nothing changed).
  return apiJson<AdvisoryFeatureCollection>('/geo/advisories.geojson', { signal, cache: 'no-cache' });
}
