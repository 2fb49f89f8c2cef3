import type { Context } from '../../context.ts';
import type { AlertRecord } from '../../domain/alerts/record.ts';
import {
  addToRollup,
  type Bucket,
  type ChannelState,
  classify,
  emptyRollup,
  type RecipientFacts,
  type Rollup,
} from '../../domain/checkins/accountability.ts';
import type { Answer } from '../../domain/checkins/types.ts';
import { csvLine } from '../../domain/csv.ts';
import { WardenError } from '../../domain/errors.ts';
import { findAlert } from '../../store/alerts/alerts.ts';
import { type AccountabilityRow, accountabilityRows, answersByHour } from '../../store/checkins/checkins.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';
import { type PersonView, peopleViews } from './people.ts';

/*
 * Live accountability of one alert: the roll-up (numbers, no personal data) and the people behind
 * each number (personal data: callers check scope, and every read is audited here).
 */

export async function requireAlert(ctx: Context, id: string): Promise<AlertRecord> {
  const alert = await findAlert(ctx.store.db, id);
  if (!alert) throw new WardenError('alert_not_found', 'Alert not found.', { id });
  return alert;
}

function factsOf(r: AccountabilityRow): RecipientFacts {
  const channels: ChannelState[] = [
    ...Array<ChannelState>(r.delivered).fill('delivered'),
    ...Array<ChannelState>(r.failed).fill('failed'),
    ...Array<ChannelState>(r.pending).fill('queued'),
  ];
  return { erased: r.erased === 1, channels, lastAnswer: (r.answer as Answer | null) ?? null };
}

export interface AccountabilityView {
  readonly alertId: string;
  readonly checkIn: { readonly requested: boolean; readonly deadline: string | null };
  readonly rollup: Rollup;
  /** Answers per hour (UTC, `YYYY-MM-DDTHH`), the bars over time. */
  readonly timeline: Array<{ hour: string; answer: string; n: number }>;
}

export async function accountability(ctx: Context, alertId: string): Promise<AccountabilityView> {
  const alert = await requireAlert(ctx, alertId);
  const rows = await accountabilityRows(ctx.store.db, alertId);
  const r = emptyRollup();
  for (const row of rows) addToRollup(r, factsOf(row));
  return {
    alertId,
    checkIn: alert.content.checkIn,
    rollup: r,
    timeline: await answersByHour(ctx.store.db, alertId),
  };
}

export const PEOPLE_SORTS = ['name', 'answeredAt', 'bucket'] as const;
export type PeopleSort = (typeof PEOPLE_SORTS)[number];

export interface PersonRow extends PersonView {
  readonly bucket: Exclude<Bucket, 'erased'>;
  readonly reached: boolean;
}

/** The people of an alert (optionally of one bucket), sorted; erased people are never listed. */
export async function accountabilityPeople(
  ctx: Context,
  actor: Actor,
  alertId: string,
  q: { bucket?: Exclude<Bucket, 'erased'>; sort?: PeopleSort; limit?: number },
): Promise<PersonRow[]> {
  await requireAlert(ctx, alertId);
  const rows = (await accountabilityRows(ctx.store.db, alertId))
    .map((r) => ({ r, facts: factsOf(r) }))
    .filter(({ facts }) => !facts.erased)
    .map(({ r, facts }) => ({
      r,
      bucket: classify(facts) as Exclude<Bucket, 'erased'>,
      reached: facts.channels.includes('delivered') || facts.lastAnswer !== null,
    }))
    .filter((x) => !q.bucket || x.bucket === q.bucket);
  return ctx.store.db.transaction().execute(async (trx) => {
    const people = await peopleViews(
      ctx,
      trx,
      rows.map((x) => ({ alertId, personId: x.r.person_id })),
    );
    const list: PersonRow[] = [];
    for (const x of rows) {
      const p = people.get(`${alertId}:${x.r.person_id}`);
      if (p) list.push({ ...p, bucket: x.bucket, reached: x.reached });
    }
    const sort = q.sort ?? 'bucket';
    list.sort((a, b) =>
      sort === 'name'
        ? a.name.localeCompare(b.name)
        : sort === 'answeredAt'
          ? (b.answeredAt ?? '').localeCompare(a.answeredAt ?? '')
          : BUCKET_ORDER[a.bucket] - BUCKET_ORDER[b.bucket] || a.name.localeCompare(b.name),
    );
    const out = list.slice(0, q.limit ?? 5000);
    await recordAudit(ctx, trx, actor, 'checkin.people_read', `alert:${alertId}`, {
      bucket: q.bucket ?? null,
      people: out.length,
    });
    return out;
  });
}

const BUCKET_ORDER: Record<Exclude<Bucket, 'erased'>, number> = {
  need_help: 0,
  unreachable: 1,
  no_answer: 2,
  pending: 3,
  safe: 4,
};

/** The people list as CSV; every cell through csvCell (formula cells defused). */
export function peopleCsv(rows: readonly PersonRow[]): string {
  const head = csvLine([
    'name',
    'status',
    'reached',
    'answer',
    'answered_at',
    'channel',
    'late',
    'email',
    'phone',
    'note',
    'lat',
    'lon',
  ]);
  return (
    head +
    rows
      .map((p) =>
        csvLine([
          p.name,
          p.bucket,
          p.reached ? 'yes' : 'no',
          p.answer,
          p.answeredAt,
          p.channel,
          p.late ? 'yes' : 'no',
          p.email,
          p.phone,
          p.note,
          p.location?.lat ?? null,
          p.location?.lon ?? null,
        ]),
      )
      .join('')
  );
}
