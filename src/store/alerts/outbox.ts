import type { Db } from '../db.ts';
import type { OutboxTable } from '../enrollments/tables.ts';

/** Alert messages in the outbox (interim, until the delivery engine owns them). */
export async function insertAlertOutbox(db: Db, rows: readonly OutboxTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('outbox')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
}

export async function alertOutboxProgress(
  db: Db,
  alertId: string,
): Promise<Array<{ channel: string; status: string; n: number }>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['channel', 'status', db.fn.countAll<number | string>().as('n')])
    .where('template', '=', 'alert')
    .where('dedupe_key', 'like', `alert:${alertId}:%`)
    .groupBy(['channel', 'status'])
    .execute();
  return rows.map((r) => ({ channel: r.channel, status: r.status, n: Number(r.n) }));
}
