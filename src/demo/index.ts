import type { Context } from '../context.ts';
import { type Actor, systemActor } from '../services/audit/audit.ts';
import { createUser } from '../services/auth/users.ts';
import { loadDemoAdvisories } from './advisories.ts';
import { loadDemoAlerts } from './alerts.ts';
import { loadDemoCheckins } from './checkins.ts';
import { loadDemoEnrollments } from './enrollments.ts';
import { loadDemoIncidents } from './incidents.ts';
import { loadDemoPosts } from './posts.ts';
import { loadDemoRoster } from './roster.ts';
import { demoTimeline } from './timeline.ts';

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
export async function loadDemoWorld(
  ctx: Context,
  actor: Actor = systemActor,
  opts: { forcedPasswordChange?: boolean } = {},
): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  for (const a of ACCOUNTS) {
    // Printed passwords are one-time like any other (issue 16), unless the demo is started with
    // --no-forced-change for a quick look.
    const { user, password } = await createUser(ctx, actor, {
      email: a.email,
      role: a.role,
      scope: [...a.scope],
      mustChangePassword: opts.forcedPasswordChange ?? true,
    });
    accounts.push({ email: user.email, role: user.role, scope: user.scope, password });
  }
  // The 2018 story, moved so that the ordered departure happened a few days before today.
  const tl = demoTimeline(ctx.clock.now());
  // Advisories first: the ordered departure then prompts a review of Iraq's advisory that stays open.
  await loadDemoAdvisories(ctx, actor, tl);
  const posts = await loadDemoPosts(ctx, actor, tl);
  // The consulate's staff drawdown on the board its ordered departure opened, in progress.
  await loadDemoRoster(ctx, posts, tl, actor);
  // After the posts, so that incidents near the consulate and the embassy are linked to them.
  await loadDemoIncidents(ctx, actor, tl);
  // An organisation's ~10,000 travellers, through the bulk import.
  const { organisationId } = await loadDemoEnrollments(ctx, actor);
  // Sent now, to the travellers just enrolled: the Basrah alert, an exercise, one pending approval.
  const alerts = await loadDemoAlerts(ctx, posts, organisationId, actor);
  // The Basrah alert's check-in answers over the hours since it was sent; one need-help case handled.
  await loadDemoCheckins(ctx, posts, alerts, actor);
  return accounts;
}
