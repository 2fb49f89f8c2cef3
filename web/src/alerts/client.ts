import type { Static } from 'typebox';
import type { AlertContent } from '../../../src/domain/alerts/types.ts';
import type {
  AlertOut,
  PreviewOut,
  ProgressOut,
  ReachBody,
  ReachOut,
  SendOut,
  StartBody,
} from '../../../src/server/routes/alerts/schema.ts';
import { apiJson } from '../app/api.ts';

// The alerts API (src/server/routes/alerts/index.ts), typed by its route schemas.

export type Alert = Static<typeof AlertOut>;
export type Reach = Static<typeof ReachOut>;
export type ReachQuery = Static<typeof ReachBody>;
export type StartPoint = Static<typeof StartBody>;
export type SendResult = Static<typeof SendOut>;
export type Progress = Static<typeof ProgressOut>;
export type Preview = Static<typeof PreviewOut> & {
  email: { subject: string; text: string; fallback: boolean };
  sms: { text: string; segments: number; encoding: string; truncated: boolean };
  webhook: Record<string, unknown>;
};
export type { AlertContent };

const one = (id: string) => `/api/alerts/${encodeURIComponent(id)}`;

export const startAlert = (s: StartPoint) =>
  apiJson<{ content: AlertContent; source: string | null }>('/api/alerts/start', { method: 'POST', body: s });

export const fetchReach = (q: ReachQuery, signal?: AbortSignal) =>
  apiJson<{ reach: Reach }>('/api/alerts/reach', { method: 'POST', body: q, signal }).then((r) => r.reach);

export const previewContent = (content: AlertContent, signal?: AbortSignal) =>
  apiJson<{ previews: Preview[] }>('/api/alerts/preview', { method: 'POST', body: { content }, signal }).then(
    (r) => r.previews,
  );

export const createAlert = (content: AlertContent, source: string | null) =>
  apiJson<{ alert: Alert }>('/api/alerts', { method: 'POST', body: { content, source } }).then(
    (r) => r.alert,
  );

export const fetchAlerts = (query: string, signal?: AbortSignal) =>
  apiJson<{ alerts: Alert[] }>(`/api/alerts${query}`, { signal }).then((r) => r.alerts);

export const fetchAlert = (id: string, signal?: AbortSignal) =>
  apiJson<{ alert: Alert }>(one(id), { signal }).then((r) => r.alert);

export const fetchAlertPreview = (id: string, signal?: AbortSignal) =>
  apiJson<{ contentHash: string; previews: Preview[]; reach: Reach }>(`${one(id)}/preview`, { signal });

export const fetchProgress = (id: string, signal?: AbortSignal) =>
  apiJson<Progress>(`${one(id)}/deliveries`, { signal });

export const stepAlert = (id: string, step: 'submit' | 'withdraw' | 'reject') =>
  apiJson<{ alert: Alert }>(`${one(id)}/${step}`, { method: 'POST', body: {} }).then((r) => r.alert);

export const approveAlert = (id: string, contentHash: string) =>
  apiJson<{ alert: Alert }>(`${one(id)}/approve`, { method: 'POST', body: { contentHash } }).then(
    (r) => r.alert,
  );

export const sendAlert = (id: string) => apiJson<SendResult>(`${one(id)}/send`, { method: 'POST', body: {} });
export const cancelAlert = (id: string) =>
  apiJson<SendResult>(`${one(id)}/cancel`, { method: 'POST', body: {} });
export const updateAlert = (id: string) =>
  apiJson<{ alert: Alert }>(`${one(id)}/update`, { method: 'POST', body: {} }).then((r) => r.alert);

export const STATE_LABELS: Record<Alert['state'], string> = {
  draft: 'Draft',
  pending_approval: 'Awaiting approval',
  approved: 'Approved',
  sending: 'Sending',
  sent: 'Sent',
  updated: 'Updated',
  cancelled: 'Cancelled',
};
