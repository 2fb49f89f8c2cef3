import type { FeatureCollection, Point } from 'geojson';
import { apiJson, apiUpload } from '../app/api.ts';
import { query } from '../app/util.ts';
import type {
  ActorRole,
  ActorType,
  Confidence,
  GeoPrecision,
  IncidentType,
  TimePrecision,
} from './taxonomy.ts';

// Shapes of src/server/routes/incidents/index.ts (src/domain/incidents/types.ts).

export interface IncidentActor {
  actorId: string;
  name: string;
  type: ActorType | string;
  role: ActorRole | string;
  confidence: Confidence | string;
}

export interface PostLink {
  postId: string;
  distanceKm: number;
}

export interface Retraction {
  at: string;
  by: string;
  reason: string;
}

export interface Incident {
  id: string;
  eventId: string | null;
  occurredAt: string;
  timePrecision: TimePrecision | string;
  location: { lat: number; lon: number; precision: GeoPrecision | string; place: string | null };
  country: string;
  region: string | null;
  type: IncidentType | string;
  typeLabel?: string;
  subType: string;
  subTypeLabel?: string;
  target: { text: string | null; postId: string | null };
  actors: IncidentActor[];
  fatalities: number | null;
  injuries: number | null;
  sources: string[];
  notes: string | null;
  source: Record<string, string> | null;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  retraction: Retraction | null;
  /** Posts within the linking radius, nearest first. */
  posts: PostLink[];
}

/** An actor named in an incident: an existing one by id, or a new one by name. */
export type ActorRefInput =
  | { actorId: string; role: ActorRole; confidence: Confidence }
  | { name: string; type?: ActorType; role: ActorRole; confidence: Confidence };

export interface IncidentInput {
  occurredAt: string;
  timePrecision?: TimePrecision;
  location: { lat: number; lon: number; precision?: GeoPrecision; place?: string | null };
  type: IncidentType;
  subType: string;
  target?: { text?: string | null; postId?: string | null };
  actors?: ActorRefInput[];
  fatalities?: number | null;
  injuries?: number | null;
  sources?: string[];
  notes?: string | null;
}

export type IncidentPatch = Partial<IncidentInput> & { version?: number };

export interface IncidentFilter {
  /** minLon,minLat,maxLon,maxLat */
  bbox?: string;
  from?: string;
  to?: string;
  /** Type and/or sub-type codes, comma-separated. */
  type?: string;
  actor?: string;
  postId?: string;
  country?: string;
  includeRetracted?: boolean;
  limit?: number;
  cursor?: string;
}

export interface IncidentFeatureProperties {
  id: string;
  eventId: string | null;
  occurredAt: string;
  timePrecision: string;
  geoPrecision: string;
  place: string | null;
  country: string;
  region: string | null;
  type: string;
  typeLabel: string;
  subType: string;
  subTypeLabel: string;
  fatalities: number | null;
  injuries: number | null;
  actors: { name: string; role: string; confidence: string }[];
  targetPostId: string | null;
  posts: PostLink[];
  retracted: boolean;
}

export type IncidentCollection = FeatureCollection<Point, IncidentFeatureProperties> & {
  nextCursor?: string | null;
};

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

export interface AlertSeed {
  area: { circle: { lat: number; lon: number; radiusKm: number } };
  time: string;
  headline: string;
  description: string;
}

export function fetchAlertSeed(id: string, signal?: AbortSignal): Promise<AlertSeed> {
  return apiJson<AlertSeed>(`${path(id)}/alert-seed`, { signal });
}

/** A replaced state of an incident (newest first). */
export interface IncidentVersion {
  version: number;
  state: Partial<Incident>;
  replacedAt: string;
  replacedBy: string;
}

export async function fetchIncidentVersions(id: string, signal?: AbortSignal): Promise<IncidentVersion[]> {
  const body = await apiJson<{ versions: IncidentVersion[] }>(`${path(id)}/versions`, { signal });
  return body.versions;
}

// ---- ACLED import ---------------------------------------------------------------------------

export interface ImportIssue {
  row: number;
  line?: number;
  field: string | null;
  reason: string;
  eventId?: string;
}

export interface ImportReport {
  importId?: string;
  dryRun?: boolean;
  /** Data rows read (the header excluded), broken ones included. */
  rows: number;
  inserted: number;
  updated: number;
  unchanged?: number;
  failed?: number;
  retracted?: number;
  actorsCreated?: number;
  linked?: number;
  errorCount?: number;
  warningCount?: number;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  truncated?: boolean;
  durationMs?: number;
}

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
