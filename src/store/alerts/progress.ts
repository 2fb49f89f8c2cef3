import type { Db } from '../db.ts';

/** Deliveries of one message (`alert:<id>`) by channel and state: the alert page's progress. */
export async function alertDeliveryCounts(
  db: Db,
  messageRef: string,
): Promise<Array<{ channel: string; status: string; n: number }>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['channel', 'status', db.fn.countAll<number | string>().as('n')])
    .where('message_ref', '=', messageRef)
    .groupBy(['channel', 'status'])
    .execute();
  return rows.map((r) => ({ channel: r.channel, status: r.status, n: Number(r.n) }));
}
