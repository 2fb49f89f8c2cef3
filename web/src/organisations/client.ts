import type { Static } from 'typebox';
import type {
  ImportOut,
  ImportReportOut,
  NewTokenOut,
  OrganisationBody,
  OrganisationOut,
  OrganisationPatchBody,
  TokenOut,
} from '../../../src/server/routes/organisations/schema.ts';
import { apiJson, apiRequest, apiUpload } from '../app/api.ts';

// Organisations that enroll their own people (src/server/routes/organisations/); staff only.
// Types are the route schemas' own.

export type Organisation = Static<typeof OrganisationOut>;
export type OrganisationToken = Static<typeof TokenOut>;
export type OrganisationInput = Static<typeof OrganisationBody>;
export type OrganisationPatch = Static<typeof OrganisationPatchBody>;
/** The secret is in this answer only: it is stored as a hash. */
export type NewToken = Static<typeof NewTokenOut>;
export type EnrollmentImportReport = Static<typeof ImportReportOut>;
export type EnrollmentImportIssue = EnrollmentImportReport['errors'][number];
export type ImportRun = Static<typeof ImportOut>;

const path = (id: string) => `/api/organisations/${encodeURIComponent(id)}`;

export async function fetchOrganisations(signal?: AbortSignal): Promise<Organisation[]> {
  return (await apiJson<{ organisations: Organisation[] }>('/api/organisations', { signal })).organisations;
}

export async function fetchOrganisation(id: string, signal?: AbortSignal): Promise<Organisation> {
  return (await apiJson<{ organisation: Organisation }>(path(id), { signal })).organisation;
}

export async function createOrganisation(input: OrganisationInput): Promise<Organisation> {
  return (
    await apiJson<{ organisation: Organisation }>('/api/organisations', { method: 'POST', body: input })
  ).organisation;
}

export async function updateOrganisation(id: string, patch: OrganisationPatch): Promise<Organisation> {
  return (await apiJson<{ organisation: Organisation }>(path(id), { method: 'PATCH', body: patch }))
    .organisation;
}

/** The secret is in this answer only: it is stored as a hash. */
export function createOrganisationToken(id: string, label: string): Promise<NewToken> {
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
