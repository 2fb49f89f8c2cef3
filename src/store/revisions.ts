import type { Db } from './db.ts';

/** Bumps a public resource's revision in the caller's transaction (so it moves iff the data does). */
export async function bumpRevision(db: Db, key: string, at: string): Promise<void> {
  await db
    .insertInto('revisions')
    .values({ key, rev: 1, updated_at: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({ rev: eb('revisions.rev', '+', 1), updated_at: at })),
    )
    .execute();
}

export async function readRevisions(
  db: Db,
  keys: readonly string[],
): Promise<Map<string, { rev: number; updatedAt: string }>> {
  const out = new Map<string, { rev: number; updatedAt: string }>();
  if (keys.length === 0) return out;
  const rows = await db.selectFrom('revisions').selectAll().where('key', 'in', keys).execute();
  for (const r of rows) out.set(r.key, { rev: Number(r.rev), updatedAt: r.updated_at });
  return out;
}
