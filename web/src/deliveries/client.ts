import type { Static } from 'typebox';
import type {
  DeliveryDetailOut,
  DeliveryOut,
  DeliveryQuery,
  ProgressOut,
} from '../../../src/server/routes/deliveries/schema.ts';
import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';

// The deliveries API (src/server/routes/deliveries/), typed by its route schemas.

export type Delivery = Static<typeof DeliveryOut>;
export type DeliveryDetail = Static<typeof DeliveryDetailOut>;
export type DeliveryFilter = Static<typeof DeliveryQuery>;
export type Progress = Static<typeof ProgressOut>;

export async function fetchDeliveries(
  filter: DeliveryFilter,
  signal?: AbortSignal,
): Promise<{ deliveries: Delivery[]; next: string | null }> {
  return apiJson(`/api/deliveries${query(filter)}`, { signal });
}

export async function fetchProgress(message: string, signal?: AbortSignal): Promise<Progress> {
  return apiJson(`/api/deliveries/progress${query({ message })}`, { signal });
}

export async function retryDelivery(id: string): Promise<DeliveryDetail> {
  return apiJson(`/api/deliveries/${encodeURIComponent(id)}/retry`, { method: 'POST', body: {} });
}

export async function dropDelivery(id: string, reason: string): Promise<DeliveryDetail> {
  return apiJson(`/api/deliveries/${encodeURIComponent(id)}/drop`, { method: 'POST', body: { reason } });
}
