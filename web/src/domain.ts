// The product's vocabulary (docs: shared/product.md) with the labels and colours the console shows.
// Identifiers stay exactly as the API spells them; people read the labels.

export const POSTURES = ['normal', 'authorized_departure', 'ordered_departure', 'suspended'] as const;
export type Posture = (typeof POSTURES)[number];

export const POSTURE_LABELS: Record<Posture, string> = {
  normal: 'Normal operations',
  authorized_departure: 'Authorized departure',
  ordered_departure: 'Ordered departure',
  suspended: 'Operations suspended',
};

export const POSTURE_HELP: Record<Posture, string> = {
  normal: 'The post operates normally.',
  authorized_departure: 'Non-emergency staff and/or family members may leave voluntarily.',
  ordered_departure: 'Non-emergency staff and/or family members must leave.',
  suspended: 'Operations at the post are suspended.',
};

/** Calm but unmistakable: green, amber, orange-red, near-black red. */
export const POSTURE_COLORS: Record<Posture, string> = {
  normal: '#2f7d4f',
  authorized_departure: '#c98a00',
  ordered_departure: '#c8501e',
  suspended: '#4a1414',
};

export function isPosture(value: unknown): value is Posture {
  return typeof value === 'string' && (POSTURES as readonly string[]).includes(value);
}

/** Changes that need a second person's approval (product.md: the two-person rule). */
export function needsSecondApproval(from: Posture | null, to: Posture): boolean {
  if (to === 'ordered_departure' || to === 'suspended') return true;
  return to === 'normal' && (from === 'ordered_departure' || from === 'suspended');
}

export const DEPARTURES = ['none', 'authorized', 'ordered'] as const;

export type Departure = (typeof DEPARTURES)[number];
export const DEPARTURE_LABELS: Record<Departure, string> = {
  none: 'No departure',
  authorized: 'Authorized (voluntary)',
  ordered: 'Ordered (mandatory)',
};

/**
 * Departure scopes that fit a posture (the server's checkConsistency): the stricter of staff and
 * family decides the posture; suspension orders everybody out.
 */
export function departureFits(state: Posture, staff: Departure, family: Departure): boolean {
  const rank = { none: 0, authorized: 1, ordered: 2 } as const;
  const top = Math.max(rank[staff], rank[family]);
  if (state === 'suspended') return staff === 'ordered' && family === 'ordered';
  if (state === 'normal') return top === 0;
  if (state === 'authorized_departure') return top === 1;
  return top === 2;
}

/** The scopes a select may offer for a posture. */
export function departureOptions(state: Posture): readonly Departure[] {
  if (state === 'normal') return ['none'];
  if (state === 'suspended') return ['ordered'];
  if (state === 'authorized_departure') return ['none', 'authorized'];
  return DEPARTURES;
}

/** Moves the server refuses (checkTransition): the same state again, suspended -> authorized. */
export function transitionProblem(from: Posture, to: Posture): string | null {
  if (from === to) return 'This is the current posture.';
  if (from === 'suspended' && to === 'authorized_departure') {
    return 'A suspended post resumes under ordered departure or normal operations.';
  }
  return null;
}

export const SERVICES = ['citizenServices', 'visas', 'walkIn'] as const;
export type Service = (typeof SERVICES)[number];
export const SERVICE_LABELS: Record<Service, string> = {
  citizenServices: 'Citizen services',
  visas: 'Visas',
  walkIn: 'Walk-in',
};

export const POST_KINDS = ['embassy', 'consulate_general', 'consulate', 'office'] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const POST_KIND_LABELS: Record<string, string> = {
  embassy: 'Embassy',
  consulate_general: 'Consulate general',
  consulate: 'Consulate',
  office: 'Office',
};

export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABELS: Record<Level, string> = {
  1: 'Exercise normal precautions',
  2: 'Exercise increased caution',
  3: 'Reconsider travel',
  4: 'Do not travel',
};
/** Blue, yellow, orange, dark red: the convention travellers already know. */
export const LEVEL_COLORS: Record<Level, string> = {
  1: '#3f7fbf',
  2: '#e3b92c',
  3: '#e0701f',
  4: '#8e1518',
};
/** Text colour that stays readable on the level colour. */
export const LEVEL_TEXT: Record<Level, string> = { 1: '#ffffff', 2: '#1c2733', 3: '#1c2733', 4: '#ffffff' };

export function isLevel(value: unknown): value is Level {
  return value === 1 || value === 2 || value === 3 || value === 4;
}

export const INDICATORS = ['C', 'T', 'U', 'H', 'N', 'E', 'K', 'D', 'O'] as const;
export type Indicator = (typeof INDICATORS)[number];
export const INDICATOR_LABELS: Record<Indicator, string> = {
  C: 'Crime',
  T: 'Terrorism',
  U: 'Civil unrest',
  H: 'Health',
  N: 'Natural disaster',
  E: 'Time-limited event',
  K: 'Kidnapping or hostage taking',
  D: 'Wrongful detention',
  O: 'Other',
};

export function indicatorLabel(code: string): string {
  return (INDICATOR_LABELS as Record<string, string>)[code] ?? code;
}

export const TASK_KIND_LABELS: Record<string, string> = {
  advisory_review: 'Advisory review',
  public_notice: 'Public notice',
  threat_review: 'Threat review',
};

/** 'ordered_departure' -> 'Ordered departure' for identifiers without a dedicated label. */
export function humanize(id: string): string {
  const words = id.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
