// Incident vocabulary for the console. Mirrors src/domain/incidents/taxonomy.ts and types.ts
// (ACLED's event taxonomy): codes exactly as the API spells them, ACLED's own labels for people.

export const TAXONOMY = {
  battles: {
    label: 'Battles',
    subTypes: {
      armed_clash: 'Armed clash',
      government_regains_territory: 'Government regains territory',
      non_state_actor_overtakes_territory: 'Non-state actor overtakes territory',
    },
  },
  explosions_remote_violence: {
    label: 'Explosions/Remote violence',
    subTypes: {
      shelling_artillery_missile_attack: 'Shelling/artillery/missile attack',
      air_drone_strike: 'Air/drone strike',
      remote_explosive_landmine_ied: 'Remote explosive/landmine/IED',
      grenade: 'Grenade',
      suicide_bomb: 'Suicide bomb',
      chemical_weapon: 'Chemical weapon',
    },
  },
  violence_against_civilians: {
    label: 'Violence against civilians',
    subTypes: {
      attack: 'Attack',
      abduction_forced_disappearance: 'Abduction/forced disappearance',
      sexual_violence: 'Sexual violence',
    },
  },
  protests: {
    label: 'Protests',
    subTypes: {
      peaceful_protest: 'Peaceful protest',
      protest_with_intervention: 'Protest with intervention',
      excessive_force_against_protesters: 'Excessive force against protesters',
    },
  },
  riots: {
    label: 'Riots',
    subTypes: { violent_demonstration: 'Violent demonstration', mob_violence: 'Mob violence' },
  },
  strategic_developments: {
    label: 'Strategic developments',
    subTypes: {
      agreement: 'Agreement',
      arrests: 'Arrests',
      change_to_group_activity: 'Change to group/activity',
      disrupted_weapons_use: 'Disrupted weapons use',
      headquarters_or_base_established: 'Headquarters or base established',
      looting_property_destruction: 'Looting/property destruction',
      non_violent_transfer_of_territory: 'Non-violent transfer of territory',
      other: 'Other',
    },
  },
  other: { label: 'Other', subTypes: { other: 'Other' } },
} as const;

export type IncidentType = keyof typeof TAXONOMY;
export const INCIDENT_TYPES = Object.keys(TAXONOMY) as IncidentType[];

export function isIncidentType(value: unknown): value is IncidentType {
  return typeof value === 'string' && Object.hasOwn(TAXONOMY, value);
}

export function typeLabel(type: string): string {
  return isIncidentType(type) ? TAXONOMY[type].label : type;
}

export function subTypesOf(type: string): [code: string, label: string][] {
  return isIncidentType(type) ? Object.entries(TAXONOMY[type].subTypes) : [];
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

export const TIME_PRECISIONS = ['exact', 'day', 'week'] as const;
export type TimePrecision = (typeof TIME_PRECISIONS)[number];
export const TIME_PRECISION_LABELS: Record<TimePrecision, string> = {
  exact: 'Exact time',
  day: 'Date only',
  week: 'Within the week',
};

export const GEO_PRECISIONS = ['exact', 'near', 'region'] as const;
export type GeoPrecision = (typeof GEO_PRECISIONS)[number];
export const GEO_PRECISION_LABELS: Record<GeoPrecision, string> = {
  exact: 'Exact spot',
  near: 'Near a town or district',
  region: 'Region only',
};

export const ACTOR_ROLES = ['perpetrator', 'target', 'other'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];
export const ACTOR_ROLE_LABELS: Record<ActorRole, string> = {
  perpetrator: 'Perpetrator',
  target: 'Target',
  other: 'Other',
};

export const CONFIDENCES = ['claimed', 'suspected', 'confirmed'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
export const CONFIDENCE_LABELS: Record<Confidence, string> = {
  claimed: 'Claimed',
  suspected: 'Suspected',
  confirmed: 'Confirmed',
};

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

export const RELATION_KINDS = ['directed_by', 'facilitated_by', 'part_of'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];
/** How "A <relation> B" reads, and its reverse "B <inverse> A". */
export const RELATION_LABELS: Record<RelationKind, { forward: string; inverse: string }> = {
  directed_by: { forward: 'directed by', inverse: 'directs' },
  facilitated_by: { forward: 'facilitated by', inverse: 'facilitates' },
  part_of: { forward: 'part of', inverse: 'includes' },
};

export function label<T extends string>(labels: Record<T, string>, value: string): string {
  return (labels as Record<string, string>)[value] ?? value;
}
