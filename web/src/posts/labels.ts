// What the console shows for posts and posture. The states, scopes and rules come from the domain
// (src/domain/posts); only the words and colours people see are added here. The state labels
// themselves are the domain's POSTURE_LABELS, shared with the Atom feed.

import { departureFits } from '../../../src/domain/posts/posture.ts';
import {
  DEPARTURE_SCOPES,
  type DepartureScope,
  type PostKind,
  type PostureState,
  type Services,
} from '../../../src/domain/posts/types.ts';

export const POSTURE_HELP: Readonly<Record<PostureState, string>> = {
  normal: 'The post operates normally.',
  authorized_departure: 'Non-emergency staff and/or family members may leave voluntarily.',
  ordered_departure: 'Non-emergency staff and/or family members must leave.',
  suspended: 'Operations at the post are suspended.',
};

/** Calm but unmistakable: green, amber, orange-red, near-black red. */
export const POSTURE_COLORS: Readonly<Record<PostureState, string>> = {
  normal: '#2f7d4f',
  authorized_departure: '#c98a00',
  ordered_departure: '#c8501e',
  suspended: '#4a1414',
};

export const DEPARTURE_LABELS: Readonly<Record<DepartureScope, string>> = {
  none: 'No departure',
  authorized: 'Authorized (voluntary)',
  ordered: 'Ordered (mandatory)',
};

/** The services in the order the console lists them. */
export const SERVICES = ['citizenServices', 'visas', 'walkIn'] as const satisfies readonly (keyof Services)[];
export const SERVICE_LABELS: Readonly<Record<keyof Services, string>> = {
  citizenServices: 'Citizen services',
  visas: 'Visas',
  walkIn: 'Walk-in',
};

export const POST_KIND_LABELS: Readonly<Record<PostKind, string>> = {
  embassy: 'Embassy',
  consulate_general: 'Consulate general',
  consulate: 'Consulate',
  office: 'Office',
};

/** The scopes a staff or family select may offer for a posture: those some combination fits. */
export function departureOptions(state: PostureState): readonly DepartureScope[] {
  return DEPARTURE_SCOPES.filter((staff) =>
    DEPARTURE_SCOPES.some((family) => departureFits(state, { staff, family })),
  );
}
