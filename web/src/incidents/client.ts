import type { FeatureCollection, Point } from 'geojson';
import type { Static } from 'typebox';
import type { IncidentFeatureProperties } from '../../../src/domain/incidents/geojson.ts';
import type {
  AlertSeedOut,
  ImportReportOut,
  IncidentBody,
  IncidentOut,
  IncidentPatchBody,
  IncidentVersionOut,
  searchQuery,
} from '../../../src/server/routes/incidents/schema.ts';
import { apiJson, apiUpload } from '../app/api.ts';
import { query } from '../app/util.ts';

// The incidents API (src/server/routes/incidents/index.ts), typed by its route schemas and by the
// domain's GeoJSON writer (src/domain/incidents/geojson.ts).

export type Incident = Static<typeof IncidentOut>;
export type IncidentActor = Incident['actors'][number];
export type PostLink = Incident['posts'][number];
export type IncidentInput = Static<typeof IncidentBody>;
/** An actor named in an incident: an existing one by id, or a new one by name. */
export type ActorRefInput = NonNullable<IncidentInput['actors']>[number];
export type IncidentPatch = Static<typeof IncidentPatchBody>;
/** The search (the server fills in the limit when it is left out). */
export type IncidentFilter = Partial<Static<ReturnType<typeof searchQuery>>>;
export type IncidentCollection = FeatureCollection<Point, IncidentFeatureProperties> & {
  nextCursor?: string | null;
};
export type AlertSeed = Static<typeof AlertSeedOut>;
/** A replaced state of an incident (newest first). */
export type IncidentVersion = Static<typeof IncidentVersionOut>;
export type ImportReport = Static<typeof ImportReportOut>;
export type ImportIssue = ImportReport['errors'][number];

const path = (id: string) => `/api/incidents/${encodeURIComponent(id)}`;

export async function fetchIncidents(
  filter: IncidentFilter,
  signal?: AbortSignal,
): Promise<{ incidents: Incident[]; nextCursor: string | null }> {
  const body = await apiJson<{ incidents: Incident[]; nextCursor?: string | null }>(
    `/api/incidents${query({ ...filter })}`,
    { signal },
  );
  return { incidents: body.incidents, nextCursor: body.nextCursor ?? null };
}

export function fetchIncidentGeoJson(
  filter: IncidentFilter,
  signal?: AbortSignal,
): Promise<IncidentCollection> {
  return apiJson<IncidentCollection>(`/api/incidents.geojson${query({ ...filter })}`, { signal });
}

export async function fetchIncident(id: string, signal?: AbortSignal): Promise<Incident> {
  const body = await apiJson<{ incident: Incident }>(path(id), { signal });
  return body.incident;
}

export async function createIncident(input: IncidentInput): Promise<Incident> {
  const body = await apiJson<{ incident: Incident }>('/api/incidents', { method: 'POST', body: input });
  return body.incident;
}

export async function updateIncident(id: string, patch: IncidentPatch): Promise<Incident> {
  const body = await apiJson<{ incident: Incident }>(path(id), { method: 'PATCH', body: patch });
  return body.incident;
}

export async function retractIncident(id: string, reason: string): Promise<Incident> {
  const body = await apiJson<{ incident: Incident }>(`${path(id)}/retract`, {
    method: 'POST',
    body: { reason },
  });
  return body.incident;
}

export function fetchAlertSeed(id: string, signal?: AbortSignal): Promise<AlertSeed> {
  return apiJson<AlertSeed>(`${path(id)}/alert-seed`, { signal });
}

export async function fetchIncidentVersions(id: string, signal?: AbortSignal): Promise<IncidentVersion[]> {
  const body = await apiJson<{ versions: IncidentVersion[] }>(`${path(id)}/versions`, { signal });
  return body.versions;
}

// ---- ACLED import ---------------------------------------------------------------------------

/** POST /api/incidents/import: the file is streamed as text/csv; `dryRun` checks without writing. */
export async function importAcledCsv(
  file: Blob,
  options: { dryRun?: boolean; signal?: AbortSignal; onProgress?: (sent: number, total: number) => void },
): Promise<ImportReport> {
  const body = await apiUpload<{ report: ImportReport }>(
    `/api/incidents/import${query({ dryRun: options.dryRun ? 'true' : undefined })}`,
    file,
    { contentType: 'text/csv', signal: options.signal, onProgress: options.onProgress },
  );
  return body.report;
}
