import type { DrawdownBoard, Headcounts } from '../../domain/rosters/types.ts';
import type { Db } from '../db.ts';
import type { DrawdownBoardTable } from './tables.ts';

const boardRowToBoard = (r: DrawdownBoardTable): DrawdownBoard => ({
  id: r.id,
  postId: r.post_id,
  state: r.state,
  openedAt: r.opened_at,
  openedChangeId: r.opened_change_id,
  closedAt: r.closed_at,
  closedChangeId: r.closed_change_id,
  finalCounts: r.final_counts ? (JSON.parse(r.final_counts) as Headcounts) : null,
});

export async function findOpenBoard(db: Db, postId: string): Promise<DrawdownBoard | undefined> {
  const row = await db
    .selectFrom('drawdown_boards')
    .selectAll()
    .where('post_id', '=', postId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return row ? boardRowToBoard(row) : undefined;
}

export async function listBoards(db: Db, postId: string): Promise<DrawdownBoard[]> {
  const rows = await db
    .selectFrom('drawdown_boards')
    .selectAll()
    .where('post_id', '=', postId)
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(boardRowToBoard);
}

export async function insertBoard(db: Db, b: DrawdownBoard): Promise<void> {
  await db
    .insertInto('drawdown_boards')
    .values({
      id: b.id,
      post_id: b.postId,
      state: b.state,
      opened_at: b.openedAt,
      opened_change_id: b.openedChangeId,
      closed_at: null,
      closed_change_id: null,
      final_counts: null,
    })
    .execute();
}

/** The posture state a board follows (authorized -> ordered keeps the board open, and says so). */
export async function setBoardState(db: Db, id: string, state: string): Promise<void> {
  await db.updateTable('drawdown_boards').set({ state }).where('id', '=', id).execute();
}

export async function closeBoard(
  db: Db,
  id: string,
  at: string,
  changeId: string,
  counts: Headcounts,
): Promise<void> {
  await db
    .updateTable('drawdown_boards')
    .set({ closed_at: at, closed_change_id: changeId, final_counts: JSON.stringify(counts) })
    .where('id', '=', id)
    .execute();
}
