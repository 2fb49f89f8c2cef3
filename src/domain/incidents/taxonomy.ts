/**
 * Incident types and sub-types following ACLED's event taxonomy (ACLED Codebook, 2023+). Codes are
 * stable snake_case slugs; labels are ACLED's own, so an ACLED file maps back and forth exactly.
 * `other/other` holds events whose ACLED type Warden does not know (kept, never dropped).
 */
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

type Taxonomy = typeof TAXONOMY;
export type IncidentType = keyof Taxonomy;
export type IncidentSubType = {
  [K in IncidentType]: keyof Taxonomy[K]['subTypes'];
}[IncidentType];

export const INCIDENT_TYPES = Object.keys(TAXONOMY) as IncidentType[];
export const SUB_TYPES: readonly IncidentSubType[] = [
  ...new Set(INCIDENT_TYPES.flatMap((t) => Object.keys(TAXONOMY[t].subTypes) as IncidentSubType[])),
];

export const isIncidentType = (s: string): s is IncidentType => Object.hasOwn(TAXONOMY, s);

export function subTypesOf(type: IncidentType): IncidentSubType[] {
  return Object.keys(TAXONOMY[type].subTypes) as IncidentSubType[];
}

export const isSubTypeOf = (type: IncidentType, sub: string): sub is IncidentSubType =>
  Object.hasOwn(TAXONOMY[type].subTypes, sub);

export const typeLabel = (t: IncidentType): string => TAXONOMY[t].label;

export function subTypeLabel(type: IncidentType, sub: IncidentSubType): string {
  const subs = TAXONOMY[type].subTypes as Record<string, string>;
  return subs[sub] ?? 'Other';
}

const key = (label: string) => label.trim().replace(/\s+/g, ' ').toLowerCase();
const TYPE_BY_LABEL = new Map<string, IncidentType>();
const SUB_BY_LABEL = new Map<IncidentType, Map<string, IncidentSubType>>();
for (const t of INCIDENT_TYPES) {
  if (t === 'other') continue;
  TYPE_BY_LABEL.set(TAXONOMY[t].label, t);
  TYPE_BY_LABEL.set(key(TAXONOMY[t].label), t);
  const subs = new Map<string, IncidentSubType>();
  for (const [code, l] of Object.entries(TAXONOMY[t].subTypes)) {
    subs.set(l, code as IncidentSubType);
    subs.set(key(l), code as IncidentSubType);
  }
  SUB_BY_LABEL.set(t, subs);
}

/** ACLED's event_type label (any case and spacing) to a type code; undefined when unknown. */
export function typeFromLabel(label: string): IncidentType | undefined {
  return TYPE_BY_LABEL.get(label) ?? TYPE_BY_LABEL.get(key(label));
}

/** ACLED's sub_event_type label within a type; undefined when it is not one of that type's. */
export function subTypeFromLabel(type: IncidentType, label: string): IncidentSubType | undefined {
  const subs = SUB_BY_LABEL.get(type);
  return subs && (subs.get(label) ?? subs.get(key(label)));
}

/** Event types in which one side acts against another (ACLED's actor1 -> actor2). */
export function isDirected(type: IncidentType, sub: IncidentSubType): boolean {
  switch (type) {
    case 'battles':
    case 'explosions_remote_violence':
    case 'violence_against_civilians':
    case 'riots':
      return true;
    case 'protests':
      return sub === 'excessive_force_against_protesters';
    case 'strategic_developments':
    case 'other':
      return false;
    default: {
      const never: never = type;
      return never;
    }
  }
}
