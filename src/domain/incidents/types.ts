import type { IncidentSubType, IncidentType } from './taxonomy.ts';

/** exact: the time is known to the minute; day: the date only; week: somewhere in that week. */
export const TIME_PRECISIONS = ['exact', 'day', 'week'] as const;
export type TimePrecision = (typeof TIME_PRECISIONS)[number];

/** exact: the spot itself; near: a nearby town or district; region: only the admin region is known. */
export const GEO_PRECISIONS = ['exact', 'near', 'region'] as const;
export type GeoPrecision = (typeof GEO_PRECISIONS)[number];

export const ACTOR_ROLES = ['perpetrator', 'target', 'other'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** claimed: the actor said so; suspected: attributed by sources or analysts; confirmed: established. */
export const CONFIDENCES = ['claimed', 'suspected', 'confirmed'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const ACTOR_TYPES = [
  'state_forces',
  'political_militia',
  'identity_militia',
  'rebel_group',
  'rioters',
  'protesters',
  'civilians',
  'external_forces',
  'unknown',
] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** directed_by: takes orders from; facilitated_by: armed, funded or helped by; part_of: a unit of. */
export const RELATION_KINDS = ['directed_by', 'facilitated_by', 'part_of'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly type: ActorType;
  readonly notes: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
}

export interface ActorRelation {
  readonly id: string;
  readonly fromActorId: string;
  readonly relation: RelationKind;
  readonly toActorId: string;
  readonly confidence: Confidence;
  readonly notes: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface IncidentActor {
  readonly actorId: string;
  readonly name: string;
  readonly type: ActorType;
  readonly role: ActorRole;
  readonly confidence: Confidence;
}

export interface IncidentLocation {
  readonly lat: number;
  readonly lon: number;
  readonly precision: GeoPrecision;
  /** Place name as reported (ACLED's `location`), when known. */
  readonly place: string | null;
}

export interface Retraction {
  readonly at: string;
  readonly by: string;
  readonly reason: string;
}

export interface PostLink {
  readonly postId: string;
  readonly distanceKm: number;
}

export interface Incident {
  readonly id: string;
  /** The source's event id (ACLED event_id_cnty): re-imports match on it. */
  readonly eventId: string | null;
  readonly occurredAt: string;
  readonly timePrecision: TimePrecision;
  readonly location: IncidentLocation;
  /** Derived from the point (ISO 3166-1 alpha-2). */
  readonly country: string;
  /** Derived from the point (ISO 3166-2), null offshore. */
  readonly region: string | null;
  readonly type: IncidentType;
  readonly subType: IncidentSubType;
  readonly target: { readonly text: string | null; readonly postId: string | null };
  readonly actors: readonly IncidentActor[];
  readonly fatalities: number | null;
  readonly injuries: number | null;
  readonly sources: readonly string[];
  readonly notes: string | null;
  /** Source fields kept verbatim (ACLED columns Warden does not model), so nothing is lost. */
  readonly source: Readonly<Record<string, string>> | null;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly retraction: Retraction | null;
}

/** An incident with the posts it lies near (computed by Warden, not part of its versioned state). */
export interface IncidentView extends Incident {
  readonly posts: readonly PostLink[];
}

export interface IncidentVersion {
  readonly incidentId: string;
  readonly version: number;
  /** The full state as it was before it was replaced. */
  readonly state: Incident;
  readonly replacedAt: string;
  readonly replacedBy: string;
}
