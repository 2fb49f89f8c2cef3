import type { MessageLanguage } from '../../domain/messages/languages.ts';
import type {
  MemberKind,
  MemberStatus,
  RosterEvent,
  RosterMember,
  StatusSource,
} from '../../domain/rosters/types.ts';
import type { Db } from '../db.ts';
import type { RosterMemberTable } from './tables.ts';

/** A member as stored: personal fields still sealed (services open them with the member's key). */
export interface SealedMember extends Omit<RosterMember, 'name' | 'email' | 'phone'> {
  readonly wrappedKey: string;
  readonly nameEnc: string;
  readonly emailEnc: string | null;
  readonly phoneEnc: string | null;
}

export const memberRowToSealed = (r: RosterMemberTable): SealedMember => ({
  id: r.id,
  postId: r.post_id,
  reference: r.reference,
  kind: r.kind as MemberKind,
  role: r.role,
  essential: r.essential === 1,
  household: r.household,
  language: r.language as MessageLanguage,
  status: r.status as MemberStatus,
  location: r.location,
  statusAt: r.status_at,
  statusBy: r.status_by,
  statusSource: r.status_source as StatusSource,
  statusBoardId: r.status_board_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  wrappedKey: r.wrapped_key,
  nameEnc: r.name_enc,
  emailEnc: r.email_enc,
  phoneEnc: r.phone_enc,
});

const sealedToRow = (m: SealedMember): RosterMemberTable => ({
  id: m.id,
  post_id: m.postId,
  reference: m.reference,
  kind: m.kind,
  role: m.role,
  essential: m.essential ? 1 : 0,
  household: m.household,
  wrapped_key: m.wrappedKey,
  name_enc: m.nameEnc,
  email_enc: m.emailEnc,
  phone_enc: m.phoneEnc,
  language: m.language,
  status: m.status,
  location: m.location,
  status_at: m.statusAt,
  status_by: m.statusBy,
  status_source: m.statusSource,
  status_board_id: m.statusBoardId,
  created_at: m.createdAt,
  updated_at: m.updatedAt,
});

export async function insertMember(db: Db, m: SealedMember): Promise<void> {
  await db.insertInto('roster_members').values(sealedToRow(m)).execute();
}

/** Rewrites a member's details (not their status), e.g. from a re-import. */
export async function updateMemberDetails(db: Db, m: SealedMember): Promise<void> {
  await db
    .updateTable('roster_members')
    .set({
      kind: m.kind,
      role: m.role,
      essential: m.essential ? 1 : 0,
      household: m.household,
      name_enc: m.nameEnc,
      email_enc: m.emailEnc,
      phone_enc: m.phoneEnc,
      language: m.language,
      updated_at: m.updatedAt,
    })
    .where('id', '=', m.id)
    .execute();
}

export async function listMembers(db: Db, postId: string): Promise<SealedMember[]> {
  const rows = await db
    .selectFrom('roster_members')
    .selectAll()
    .where('post_id', '=', postId)
    .orderBy('reference')
    .execute();
  return rows.map(memberRowToSealed);
}

export async function findMember(db: Db, id: string): Promise<SealedMember | undefined> {
  const row = await db.selectFrom('roster_members').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? memberRowToSealed(row) : undefined;
}

/** Sets a member's status and records the event (the caller's transaction holds both). */
export async function setMemberStatus(db: Db, e: RosterEvent): Promise<void> {
  await db
    .updateTable('roster_members')
    .set({
      status: e.status,
      location: e.location,
      status_at: e.at,
      status_by: e.by,
      status_source: e.source,
      status_board_id: e.boardId,
      updated_at: e.at,
    })
    .where('id', '=', e.memberId)
    .execute();
  await db
    .insertInto('roster_events')
    .values({
      id: e.id,
      post_id: e.postId,
      member_id: e.memberId,
      board_id: e.boardId,
      status: e.status,
      location: e.location,
      source: e.source,
      at: e.at,
      by: e.by,
    })
    .execute();
}

export async function deleteMember(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('roster_members').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function listEvents(db: Db, boardId: string, limit: number): Promise<RosterEvent[]> {
  const rows = await db
    .selectFrom('roster_events')
    .selectAll()
    .where('board_id', '=', boardId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    postId: r.post_id,
    memberId: r.member_id,
    boardId: r.board_id,
    status: r.status as MemberStatus,
    location: r.location,
    source: r.source as StatusSource,
    at: r.at,
    by: r.by,
  }));
}
