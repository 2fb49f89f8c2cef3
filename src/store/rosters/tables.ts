/** Tables of post rosters and drawdown boards (migration 0018_post_rosters). */
export interface RosterTables {
  roster_members: RosterMemberTable;
  drawdown_boards: DrawdownBoardTable;
  roster_events: RosterEventTable;
}

export interface RosterMemberTable {
  id: string;
  post_id: string;
  reference: string;
  kind: string;
  role: string;
  /** 0 or 1 on both stores. */
  essential: number;
  household: string | null;
  /** The member's data key, wrapped (crypto-shredded with the row). */
  wrapped_key: string;
  name_enc: string;
  email_enc: string | null;
  phone_enc: string | null;
  language: string;
  status: string;
  location: string | null;
  status_at: string;
  status_by: string;
  status_source: string;
  status_board_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface DrawdownBoardTable {
  id: string;
  post_id: string;
  state: string;
  opened_at: string;
  opened_change_id: string;
  closed_at: string | null;
  closed_change_id: string | null;
  final_counts: string | null;
}

export interface RosterEventTable {
  id: string;
  post_id: string;
  member_id: string;
  board_id: string | null;
  status: string;
  location: string | null;
  source: string;
  at: string;
  by: string;
}
