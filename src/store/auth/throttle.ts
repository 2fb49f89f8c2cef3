import type { Db } from '../db.ts';

export interface ThrottleState {
  readonly key: string;
  readonly failures: number;
  readonly windowStartedAt: string;
  readonly lockedUntil: string | null;
}

export async function getThrottle(db: Db, key: string): Promise<ThrottleState | undefined> {
  const r = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  return (
    r && {
      key: r.key,
      failures: r.failures,
      windowStartedAt: r.window_started_at,
      lockedUntil: r.locked_until,
    }
  );
}

export async function putThrottle(db: Db, s: ThrottleState): Promise<void> {
  await db
    .insertInto('login_throttle')
    .values({
      key: s.key,
      failures: s.failures,
      window_started_at: s.windowStartedAt,
      locked_until: s.lockedUntil,
    })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: s.failures,
        window_started_at: s.windowStartedAt,
        locked_until: s.lockedUntil,
      }),
    )
    .execute();
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
