import type { AreaGeometry } from '../geo/types.ts';

export const POST_KINDS = ['embassy', 'consulate_general', 'consulate', 'office'] as const;
export type PostKind = (typeof POST_KINDS)[number];

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** What the public needs to reach the post; every field may be unknown while a post is set up. */
export interface Contact {
  readonly phone: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly hours: string | null;
}

/**
 * The area whose citizens a post serves: first-level regions of its country (ISO 3166-2) and/or a
 * drawn polygon. Districts of different posts never overlap (beyond a small tolerance).
 */
export interface District {
  readonly regions: string[];
  readonly geometry: AreaGeometry | null;
}

export interface Post {
  readonly id: string;
  readonly kind: PostKind;
  readonly name: string;
  readonly city: string;
  readonly country: string;
  readonly location: LatLon;
  readonly contact: Contact;
  readonly district: District;
  /** The post that serves this one's district while it cannot (followed only then). */
  readonly coverageDelegateId: string | null;
  /** The newest applied posture change (every post has one from its creation). */
  readonly postureChangeId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const POSTURE_STATES = ['normal', 'authorized_departure', 'ordered_departure', 'suspended'] as const;
export type PostureState = (typeof POSTURE_STATES)[number];
export const isPostureState = (value: unknown): value is PostureState =>
  (POSTURE_STATES as readonly unknown[]).includes(value);

export const DEPARTURE_SCOPES = ['none', 'authorized', 'ordered'] as const;
export type DepartureScope = (typeof DEPARTURE_SCOPES)[number];

export interface Departure {
  readonly staff: DepartureScope;
  readonly family: DepartureScope;
}

export interface Services {
  readonly citizenServices: boolean;
  readonly visas: boolean;
  readonly walkIn: boolean;
}

export interface Statement {
  readonly text: string;
  readonly by: string;
}

/** What a posture change says, whether applied at once or first requested. */
export interface PostureContent {
  readonly state: PostureState;
  readonly departure: Departure;
  readonly services: Services;
  /** null: the moment the change is applied (at approval for a request). */
  readonly effectiveAt: string | null;
  readonly reason: string;
  /** YYYY-MM-DD; required for every state but normal. */
  readonly reviewBy: string | null;
  readonly statement: Statement | null;
  /** undefined: leave the post's delegate as it is; null: clear it. */
  readonly coverageDelegateId?: string | null;
}

export interface PostureChange {
  readonly id: string;
  readonly postId: string;
  readonly previousState: PostureState | null;
  readonly state: PostureState;
  readonly departure: Departure;
  readonly services: Services;
  readonly effectiveAt: string;
  readonly reason: string;
  readonly reviewBy: string | null;
  readonly statement: Statement | null;
  /** The post's delegate once this change applied. */
  readonly coverageDelegateId: string | null;
  readonly requestId: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly approvedBy: string | null;
}

export const POSTURE_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type PostureRequestStatus = (typeof POSTURE_REQUEST_STATUSES)[number];

/** The exact content a second person approves; its hash binds the approval. */
export interface PostureRequestContent extends PostureContent {
  readonly postId: string;
  /** The change the request starts from: if another lands first, the request no longer applies. */
  readonly baseChangeId: string | null;
  readonly fromState: PostureState;
}

export interface PostureRequest {
  readonly id: string;
  readonly postId: string;
  readonly status: PostureRequestStatus;
  readonly content: PostureRequestContent;
  readonly contentHash: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** Everyone who wrote the content (requester and editors): none of them may approve it. */
  readonly authors: string[];
  readonly updatedAt: string;
  readonly expiresAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionNote: string | null;
  readonly changeId: string | null;
}

export interface Restriction {
  readonly id: string;
  readonly postId: string;
  readonly country: string;
  readonly regions: string[];
  readonly geometry: AreaGeometry | null;
  readonly reason: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly taskId: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
}
