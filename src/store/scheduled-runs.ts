import type { Db } from './db.ts';

/*
 * The once-a-day lease of scheduled jobs: the process that inserts (job, day) runs the job. A
 * claim never finished (its process died, or the job failed) may be taken over once stale.
 */

export async function claimRun(
  db: Db,
  job: string,
  day: string,
  owner: string,
  now: string,
  staleBefore: string,
): Promise<boolean> {
  const inserted = await db
    .insertInto('scheduled_runs')
    .values({ job, day, owner, started_at: now, finished_at: null, result: null })
    .onConflict((oc) => oc.columns(['job', 'day']).doNothing())
    .returning('job')
    .executeTakeFirst();
  if (inserted) return true;
  const r = await db
    .updateTable('scheduled_runs')
    .set({ owner, started_at: now })
    .where('job', '=', job)
    .where('day', '=', day)
    .where('finished_at', 'is', null)
    .where('started_at', '<', staleBefore)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function finishRun(
  db: Db,
  job: string,
  day: string,
  owner: string,
  at: string,
  result: unknown,
): Promise<void> {
  await db
    .updateTable('scheduled_runs')
    .set({ finished_at: at, result: JSON.stringify(result) })
    .where('job', '=', job)
    .where('day', '=', day)
    .where('owner', '=', owner)
    .execute();
}

export async function listRuns(db: Db, day: string) {
  return db.selectFrom('scheduled_runs').selectAll().where('day', '=', day).orderBy('job').execute();
}
