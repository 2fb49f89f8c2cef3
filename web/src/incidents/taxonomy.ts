// Incident vocabulary for the console. The taxonomy (ACLED's event types and sub-types) and the
// code lists come from the domain module itself (pure TypeScript, no Node imports), so the
// console and the API can never disagree; this file adds only what people see: labels, colours,
// and lookups that accept any string the API might send.

import {
  INCIDENT_TYPES,
  type IncidentSubType,
  type IncidentType,
  TAXONOMY,
} from '../../../src/domain/incidents/taxonomy.ts';
import type {
  ActorRole,
  ActorType,
  Confidence,
  GeoPrecision,
  RelationKind,
  TimePrecision,
} from '../../../src/domain/incidents/types.ts';

export {
  ACTOR_ROLES,
  ACTOR_TYPES,
  CONFIDENCES,
  GEO_PRECISIONS,
  RELATION_KINDS,
  TIME_PRECISIONS,
} from '../../../src/domain/incidents/types.ts';
export type { ActorRole, ActorType, Confidence, GeoPrecision, RelationKind, TimePrecision };
export { INCIDENT_TYPES, type IncidentSubType, type IncidentType, TAXONOMY };

export function isIncidentType(value: unknown): value is IncidentType {
  return typeof value === 'string' && Object.hasOwn(TAXONOMY, value);
}

export function typeLabel(type: string): string {
  return isIncidentType(type) ? TAXONOMY[type].label : type;
}

export function subTypesOf(type: string): [code: IncidentSubType, label: string][] {
  return isIncidentType(type) ? (Object.entries(TAXONOMY[type].subTypes) as [IncidentSubType, string][]) : [];
}

export function subTypeLabel(type: string, subType: string): string {
  if (!isIncidentType(type)) return subType;
  return (TAXONOMY[type].subTypes as Record<string, string>)[subType] ?? subType;
}

/**
 * One colour per event type, chosen to stay apart from the advisory-level fills under them and
 * from each other in the common colour-vision deficiencies (shape and legend carry it too).
 */
export const TYPE_COLORS: Record<IncidentType, string> = {
  battles: '#b2182b',
  explosions_remote_violence: '#e66101',
  violence_against_civilians: '#6a3d9a',
  protests: '#1f78b4',
  riots: '#b8860b',
  strategic_developments: '#33a02c',
  other: '#6c7a89',
};

export function typeColor(type: string): string {
  return isIncidentType(type) ? TYPE_COLORS[type] : TYPE_COLORS.other;
}

export const TIME_PRECISION_LABELS: Record<TimePrecision, string> = {
  exact: 'Exact time',
  day: 'Date only',
  week: 'Within the week',
};

export const GEO_PRECISION_LABELS: Record<GeoPrecision, string> = {
  exact: 'Exact spot',
  near: 'Near a town or district',
  region: 'Region only',
};

export const ACTOR_ROLE_LABELS: Record<ActorRole, string> = {
  perpetrator: 'Perpetrator',
  target: 'Target',
  other: 'Other',
};

export const CONFIDENCE_LABELS: Record<Confidence, string> = {
  claimed: 'Claimed',
  suspected: 'Suspected',
  confirmed: 'Confirmed',
};

export const ACTOR_TYPE_LABELS: Record<ActorType, string> = {
  state_forces: 'State forces',
  political_militia: 'Political militia',
  identity_militia: 'Identity militia',
  rebel_group: 'Rebel group',
  rioters: 'Rioters',
  protesters: 'Protesters',
  civilians: 'Civilians',
  external_forces: 'External/other forces',
  unknown: 'Unknown',
};

/** How "A <relation> B" reads, and its reverse "B <inverse> A". */
export const RELATION_LABELS: Record<RelationKind, { forward: string; inverse: string }> = {
  directed_by: { forward: 'directed by', inverse: 'directs' },
  facilitated_by: { forward: 'facilitated by', inverse: 'facilitates' },
  part_of: { forward: 'part of', inverse: 'includes' },
};

export function label<T extends string>(labels: Record<T, string>, value: string): string {
  return (labels as Record<string, string>)[value] ?? value;
}
