import type { PostureState } from './types.ts';

/** The product's words for each posture state: the Atom feed and the console say the same. */
export const POSTURE_LABELS: Readonly<Record<PostureState, string>> = {
  normal: 'Normal operations',
  authorized_departure: 'Authorized departure',
  ordered_departure: 'Ordered departure',
  suspended: 'Operations suspended',
};
