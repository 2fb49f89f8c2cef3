import { apiJson, apiRequest, apiUpload } from '../app/api.ts';

// Organisations that enroll their own people (src/server/routes/organisations/index.ts); staff only.

export interface OrganisationToken {
  id: string;
  label: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Organisation {
  id: string;
  name: string;
  notes: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  disabledAt: string | null;
  /** People enrolled through it. */
  persons: number;
  tokens: OrganisationToken[];
}

export interface EnrollmentImportIssue {
  row: number;
  line: number;
  field: string | null;
  code: string;
  reason: string;
  externalId?: string;
}

export interface EnrollmentImportReport {
  importId: string;
  rows: number;
  persons: number;
  created: number;
  updated: number;
  unchanged: number;
  failedPersons: number;
  failed: number;
  errorCount: number;
  errors: EnrollmentImportIssue[];
  truncated: boolean;
  bytes: number;
  durationMs: number;
}

export interface ImportRun {
  id: string;
  actor: string;
  via: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  bytes: number;
  rows: number;
  persons: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errorCount: number;
  error: string | null;
}

const path = (id: string) => `/api/organisations/${encodeURIComponent(id)}`;

export async function fetchOrganisations(signal?: AbortSignal): Promise<Organisation[]> {
  return (await apiJson<{ organisations: Organisation[] }>('/api/organisations', { signal })).organisations;
}

export async function fetchOrganisation(id: string, signal?: AbortSignal): Promise<Organisation> {
  return (await apiJson<{ organisation: Organisation }>(path(id), { signal })).organisation;
}

export async function createOrganisation(input: {
  name: string;
  notes?: string | null;
}): Promise<Organisation> {
  return (
    await apiJson<{ organisation: Organisation }>('/api/organisations', { method: 'POST', body: input })
  ).organisation;
}

export async function updateOrganisation(
  id: string,
  patch: { name?: string; notes?: string | null; disabled?: boolean },
): Promise<Organisation> {
  return (await apiJson<{ organisation: Organisation }>(path(id), { method: 'PATCH', body: patch }))
    .organisation;
}

/** The secret is in this answer only: it is stored as a hash. */
export function createOrganisationToken(
  id: string,
  label: string,
): Promise<{ token: OrganisationToken; secret: string }> {
  return apiJson(`${path(id)}/tokens`, { method: 'POST', body: { label } });
}

export async function revokeOrganisationToken(id: string, tokenId: string): Promise<void> {
  await apiRequest(`${path(id)}/tokens/${encodeURIComponent(tokenId)}`, { method: 'DELETE' });
}

export async function fetchImports(id: string, signal?: AbortSignal): Promise<ImportRun[]> {
  return (await apiJson<{ imports: ImportRun[] }>(`${path(id)}/imports`, { signal })).imports;
}

/** The organisation's enrollment CSV, streamed as text/csv, with upload progress. */
export async function importEnrollments(
  id: string,
  file: Blob,
  options: { signal?: AbortSignal; onProgress?: (sent: number, total: number) => void },
): Promise<EnrollmentImportReport> {
  const body = await apiUpload<{ report: EnrollmentImportReport }>(`${path(id)}/imports`, file, {
    contentType: 'text/csv',
    ...options,
  });
  return body.report;
}
