import type { MemberStatus } from '../../../src/domain/rosters/types.ts';

export const STATUS_LABELS: Record<MemberStatus, string> = {
  at_post: 'At post',
  departed: 'Departed',
  relocated: 'Relocated',
  remaining: 'Remaining',
};

export const SOURCE_LABELS: Record<string, string> = {
  staff: 'staff',
  import: 'import',
  checkin: 'own check-in',
};
