import type { Static } from 'typebox';
import type {
  CheckinBody,
  CheckinViewOut,
  DrawdownOut,
  EventOut,
  ImportReportOut,
  MemberOut,
  StatusBody,
} from '../../../src/server/routes/rosters/schema.ts';
import { apiJson, apiRequest, apiUpload } from '../app/api.ts';

// The roster and drawdown API (src/server/routes/rosters/), typed by its route schemas.

export type RosterMember = Static<typeof MemberOut>;
export type Drawdown = Static<typeof DrawdownOut>;
export type RosterEvent = Static<typeof EventOut>;
export type StatusInput = Static<typeof StatusBody>;
export type ImportReport = Static<typeof ImportReportOut>;
export type CheckinView = Static<typeof CheckinViewOut>;
export type CheckinInput = Static<typeof CheckinBody>;

const path = (postId: string) => `/api/posts/${encodeURIComponent(postId)}`;

export async function fetchRoster(postId: string, signal?: AbortSignal): Promise<RosterMember[]> {
  return (await apiJson<{ members: RosterMember[] }>(`${path(postId)}/roster`, { signal })).members;
}

export const fetchDrawdown = (postId: string, signal?: AbortSignal): Promise<Drawdown> =>
  apiJson<Drawdown>(`${path(postId)}/drawdown`, { signal });

export async function setMemberStatus(
  postId: string,
  memberId: string,
  input: StatusInput,
): Promise<RosterEvent> {
  const url = `${path(postId)}/roster/${encodeURIComponent(memberId)}/status`;
  return (await apiJson<{ event: RosterEvent }>(url, { method: 'PUT', body: input })).event;
}

export async function importRoster(postId: string, file: Blob): Promise<ImportReport> {
  return (
    await apiUpload<{ report: ImportReport }>(`${path(postId)}/roster/import`, file, {
      contentType: 'text/csv',
    })
  ).report;
}

export async function removeMember(postId: string, memberId: string): Promise<void> {
  await apiRequest(`${path(postId)}/roster/${encodeURIComponent(memberId)}`, { method: 'DELETE' });
}

export const viewRosterCheckin = (token: string): Promise<CheckinView> =>
  apiJson<CheckinView>('/api/public/roster-checkin/view', { method: 'POST', body: { token } });

export const answerRosterCheckin = (input: CheckinInput): Promise<{ status: string; at: string }> =>
  apiJson('/api/public/roster-checkin', { method: 'POST', body: input });
