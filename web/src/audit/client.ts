import type { Static } from 'typebox';
import type { CheckpointOut, Entry, VerifyOut } from '../../../src/server/routes/audit/schema.ts';
import { apiJson } from '../app/api.ts';

// The audit chain (src/server/routes/audit/): admins only.

export type AuditEntry = Static<typeof Entry>;
export type Checkpoint = Static<typeof CheckpointOut>;
export type VerifyResult = Static<typeof VerifyOut>;

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  since?: string;
  until?: string;
  before?: number;
}

export const PAGE_SIZE = 100;

export async function fetchAudit(filter: AuditFilter, signal?: AbortSignal): Promise<AuditEntry[]> {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') params.set(k, String(v));
  return (await apiJson<{ entries: AuditEntry[] }>(`/api/audit?${params}`, { signal })).entries;
}

export function verifyAudit(signal?: AbortSignal): Promise<VerifyResult> {
  return apiJson<VerifyResult>('/api/audit/verify', { signal });
}
