import type { Context } from '../context.ts';
import { type Actor, systemActor } from '../services/audit/audit.ts';
import { createUser } from '../services/auth/users.ts';
import { loadDemoAdvisories } from './advisories.ts';
import { loadDemoAlerts } from './alerts.ts';
import { loadDemoEnrollments } from './enrollments.ts';
import { loadDemoIncidents } from './incidents.ts';
import { loadDemoPosts } from './posts.ts';

export interface DemoAccount {
  readonly email: string;
  readonly role: string;
  readonly scope: readonly string[];
  readonly password: string;
}

const ACCOUNTS = [
  { email: 'admin@warden.local', role: 'admin', scope: [] },
  { email: 'crisis@warden.local', role: 'crisis_manager', scope: [] },
  { email: 'officer.iraq@warden.local', role: 'officer', scope: ['country:IQ'] },
  { email: 'viewer@warden.local', role: 'viewer', scope: [] },
] as const;

/**
 * Loads the demo world into an empty database: staff accounts for each role now; the Basrah
 * scenario (posts, advisories, incidents, travellers) is added here as those features land.
 */
export async function loadDemoWorld(ctx: Context, actor: Actor = systemActor): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  for (const a of ACCOUNTS) {
    const { user, password } = await createUser(ctx, actor, {
      email: a.email,
      role: a.role,
      scope: [...a.scope],
    });
    accounts.push({ email: user.email, role: user.role, scope: user.scope, password });
  }
  // Advisories first: the ordered departure then prompts a review of Iraq's advisory that stays open.
  await loadDemoAdvisories(ctx, actor);
  const posts = await loadDemoPosts(ctx, actor);
  // After the posts, so that incidents near the consulate and the embassy are linked to them.
  await loadDemoIncidents(ctx, actor);
  // An organisation's ~10,000 travellers, through the bulk import.
  const { organisationId } = await loadDemoEnrollments(ctx, actor);
  // Sent now, to the travellers just enrolled: the Basrah alert, an exercise, one pending approval.
  await loadDemoAlerts(ctx, posts, organisationId, actor);
  return accounts;
}
