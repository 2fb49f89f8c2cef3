import type { AreaGeometry } from '../geo/types.ts';
import type { MessageLanguage } from '../messages/languages.ts';

/*
 * An alert: a message to the people in an area, published as CAP 1.2. The CAP vocabularies below
 * are CAP's own spellings (OASIS CAP 1.2, section 3.2), so they go to the XML unchanged.
 */

export const ALERT_KINDS = [
  'security',
  'demonstration',
  'health',
  'weather',
  'message_for_citizens',
  'emergency',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** CAP status: Actual reaches everyone in the area; Exercise and Test only drill participants. */
export const ALERT_STATUSES = ['Actual', 'Exercise', 'Test'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const MSG_TYPES = ['Alert', 'Update', 'Cancel'] as const;
export type MsgType = (typeof MSG_TYPES)[number];

/** Only Public alerts are published (CAP URL, Atom, JSON, public pages). */
export const SCOPES = ['Public', 'Restricted', 'Private'] as const;
export type Scope = (typeof SCOPES)[number];

export const CAP_CATEGORIES = [
  'Geo',
  'Met',
  'Safety',
  'Security',
  'Rescue',
  'Fire',
  'Health',
  'Env',
  'Transport',
  'Infra',
  'CBRNE',
  'Other',
] as const;
export type CapCategory = (typeof CAP_CATEGORIES)[number];

export const RESPONSE_TYPES = [
  'Shelter',
  'Evacuate',
  'Prepare',
  'Execute',
  'Avoid',
  'Monitor',
  'Assess',
  'AllClear',
  'None',
] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

export const URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export type Certainty = (typeof CERTAINTIES)[number];

/** The four sections every alert has, as consular alerts are laid out. */
export interface AlertSections {
  readonly location: string;
  readonly event: string;
  readonly actionsToTake: string;
  /** The issuing (or covering) post's assistance block: how to reach it. May be empty. */
  readonly assistance: string;
}

/** What the alert says in one language. */
export interface AlertText {
  readonly headline: string;
  readonly sections: AlertSections;
}

/** One text per language: English always, and any catalogue language. */
export type AlertTexts = { readonly en: AlertText } & Partial<Readonly<Record<MessageLanguage, AlertText>>>;

export interface AlertCircle {
  readonly lat: number;
  readonly lon: number;
  readonly radiusKm: number;
}

/**
 * Where the alert applies: the union of whole countries (ISO 3166-1 alpha-2), first-level regions
 * (ISO 3166-2), drawn polygons (GeoJSON, [lon, lat]) and circles. The same shape as the targeting
 * index's TargetArea.
 */
export interface AlertArea {
  readonly countries: readonly string[];
  readonly regions: readonly string[];
  readonly polygons: readonly AreaGeometry[];
  readonly circles: readonly AlertCircle[];
}

/** CAP's info fields that are not text. Times are ISO 8601 (UTC) strings. */
export interface CapFields {
  readonly category: readonly CapCategory[];
  /** CAP event: the type of the subject event, e.g. "Demonstration". */
  readonly event: string;
  readonly responseType: readonly ResponseType[];
  readonly urgency: Urgency;
  readonly severity: Severity;
  readonly certainty: Certainty;
  readonly effective: string;
  readonly expires: string;
}

/** An earlier sent message this one updates or cancels (CAP references: sender,identifier,sent). */
export interface AlertReference {
  readonly alertId: string;
  readonly sentAt: string;
}

export interface CheckInRequest {
  readonly requested: boolean;
  /** When answers are due; required when requested. */
  readonly deadline: string | null;
}

/** Everything an approver approves: its hash binds the approval (see hash.ts). */
export interface AlertContent {
  readonly kind: AlertKind;
  readonly postId: string;
  readonly status: AlertStatus;
  readonly msgType: MsgType;
  /** Empty for an Alert; the messages an Update or Cancel refers to, oldest first. */
  readonly references: readonly AlertReference[];
  readonly scope: Scope;
  /** CAP restriction: who may see a Restricted alert. Required for Restricted, else null. */
  readonly restriction: string | null;
  /** CAP addresses: the intended recipients of a Private alert. Required for Private, else empty. */
  readonly addresses: readonly string[];
  readonly texts: AlertTexts;
  readonly cap: CapFields;
  readonly checkIn: CheckInRequest;
  readonly area: AlertArea;
  /** Whether travellers known only by country count when the area covers part of their country. */
  readonly includeUnknownLocation: boolean;
}

export const ALERT_STATES = [
  'draft',
  'pending_approval',
  'approved',
  'sending',
  'sent',
  'updated',
  'cancelled',
] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface Approval {
  readonly by: string;
  readonly at: string;
  /** The content hash the approver reviewed. */
  readonly contentHash: string;
}

/** An alert as stored: content plus where it is in its lifecycle (lifecycle.ts moves it). */
export interface Alert {
  readonly id: string;
  readonly content: AlertContent;
  readonly contentHash: string;
  readonly state: AlertState;
  /** Everyone who wrote or edited the content: none of them may approve it. */
  readonly authors: readonly string[];
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt: string | null;
  /** Until when a pending request can be approved, then until when an approval can be sent. */
  readonly approvalExpiresAt: string | null;
  readonly approval: Approval | null;
  readonly sentAt: string | null;
  /** The Update or Cancel that superseded this sent alert. */
  readonly supersededBy: string | null;
}
