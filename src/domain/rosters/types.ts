import type { MessageLanguage } from '../messages/languages.ts';

/*
 * A post's roster: its staff and their family members, and where each of them is during a
 * drawdown (authorized or ordered departure, suspension).
 */

export const MEMBER_KINDS = ['staff', 'family'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

/**
 * at_post: the peacetime status (and "not accounted for" once a drawdown starts);
 * departed: left the country (location = where to, optional);
 * relocated: moved within the country or to another post (location required);
 * remaining: confirmed staying at post (essential staff, usually).
 */
export const MEMBER_STATUSES = ['at_post', 'departed', 'relocated', 'remaining'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Who set a status: staff in the console, a roster import, or the member answering a check-in. */
export const STATUS_SOURCES = ['staff', 'import', 'checkin'] as const;
export type StatusSource = (typeof STATUS_SOURCES)[number];

/** What staff or an import give for a member. */
export interface RosterMemberInput {
  /** The post's own reference for the member (employee number, or any unique label). */
  readonly reference: string;
  readonly kind: MemberKind;
  readonly name: string;
  /** Job title for staff, relation for family ("Spouse", "Child"). */
  readonly role: string;
  readonly essential: boolean;
  readonly email: string | null;
  /** E.164 once normalised. */
  readonly phone: string | null;
  /** For family members: the reference of the staff member whose household they belong to. */
  readonly household: string | null;
  readonly language: MessageLanguage;
}

export interface RosterMember extends RosterMemberInput {
  readonly id: string;
  readonly postId: string;
  readonly status: MemberStatus;
  readonly location: string | null;
  readonly statusAt: string;
  readonly statusBy: string;
  readonly statusSource: StatusSource;
  /** The drawdown board the status was given on; null when none was open. */
  readonly statusBoardId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StatusChange {
  readonly status: MemberStatus;
  readonly location: string | null;
}

export interface RosterEvent extends StatusChange {
  readonly id: string;
  readonly postId: string;
  readonly memberId: string;
  readonly boardId: string | null;
  readonly source: StatusSource;
  readonly at: string;
  readonly by: string;
}

export interface Headcounts {
  readonly total: number;
  readonly departed: number;
  readonly relocated: number;
  readonly remaining: number;
  /** Not accounted for in this drawdown: still at_post, or last seen before the board opened. */
  readonly unaccounted: number;
  /** Of the remaining, how many are essential staff. */
  readonly essentialRemaining: number;
}

export interface DrawdownBoard {
  readonly id: string;
  readonly postId: string;
  /** The posture state that opened it (authorized_departure, ordered_departure or suspended). */
  readonly state: string;
  readonly openedAt: string;
  readonly openedChangeId: string;
  readonly closedAt: string | null;
  readonly closedChangeId: string | null;
  readonly finalCounts: Headcounts | null;
}
