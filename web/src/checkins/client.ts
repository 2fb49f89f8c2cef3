import type { Static } from 'typebox';
import type {
  AccountabilityOut,
  AnswerBody,
  AnswerOut,
  AnswerPageOut,
  CaseOut,
  PersonOut,
} from '../../../src/server/routes/checkins/schema.ts';
import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';

// The check-in API (src/server/routes/checkins/), typed by its route schemas.

export type Accountability = Static<typeof AccountabilityOut>;
export type AccountabilityPerson = Static<typeof PersonOut>;
export type NeedHelpCase = Static<typeof CaseOut>;
export type AnswerPage = Static<typeof AnswerPageOut>;
export type AnswerInput = Static<typeof AnswerBody>;
export type AnswerResult = Static<typeof AnswerOut>;
export type Bucket = AccountabilityPerson['bucket'];

const alertPath = (id: string) => `/api/alerts/${encodeURIComponent(id)}/accountability`;

export const fetchAccountability = (alertId: string, signal?: AbortSignal) =>
  apiJson<Accountability>(alertPath(alertId), { signal });

export async function fetchPeople(
  alertId: string,
  q: { bucket?: Bucket | ''; sort?: 'name' | 'answeredAt' | 'bucket' },
  signal?: AbortSignal,
): Promise<AccountabilityPerson[]> {
  const url = `${alertPath(alertId)}/people${query({ bucket: q.bucket || null, sort: q.sort })}`;
  return (await apiJson<{ people: AccountabilityPerson[] }>(url, { signal })).people;
}

export const peopleCsvUrl = (alertId: string, bucket: Bucket | '') =>
  `${alertPath(alertId)}/people.csv${query({ bucket: bucket || null, sort: 'bucket' })}`;

export async function fetchNeedHelp(q: { alertId?: string; open?: boolean }, signal?: AbortSignal) {
  return (await apiJson<{ cases: NeedHelpCase[] }>(`/api/checkins/need-help${query(q)}`, { signal })).cases;
}

export const markHandled = (id: string, note: string) =>
  apiJson<{ handled: true }>(`/api/checkins/need-help/${encodeURIComponent(id)}/handle`, {
    method: 'POST',
    body: { note: note.trim() || null },
  });

export const viewAnswerPage = (token: string) =>
  apiJson<AnswerPage>('/api/public/checkin/view', { method: 'POST', body: { token } });

export const sendAnswer = (input: AnswerInput) =>
  apiJson<AnswerResult>('/api/public/checkin', { method: 'POST', body: input });
