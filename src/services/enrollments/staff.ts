import type { Context } from '../../context.ts';
import type { Principal } from '../../domain/auth/principal.ts';
import { iso } from '../../domain/clock.ts';
import { overdueBefore } from '../../domain/enrollments/presence.ts';
import { WardenError } from '../../domain/errors.ts';
import { countUnconfirmed } from '../../store/enrollments/presence.ts';
import { countPersonsByCountry, countTrips } from '../../store/enrollments/staff.ts';
import { findPost } from '../../store/posts/posts.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';
import { type EnrollmentView, loadEnrollmentView } from './self.ts';

/** The countries a principal sees enrollment counts for; null = all. */
export async function visibleCountries(ctx: Context, p: Principal): Promise<string[] | null> {
  if (p.role === 'admin' || p.role === 'crisis_manager') return null;
  if (p.role === 'viewer' && p.scope.length === 0) return null;
  const out = new Set<string>();
  for (const entry of p.scope) {
    if (entry.startsWith('country:')) out.add(entry.slice('country:'.length));
    else {
      const post = await findPost(ctx.store.db, entry.slice('post:'.length));
      if (post) out.add(post.country);
    }
  }
  return [...out].sort();
}

export interface EnrollmentStats {
  readonly asOf: string;
  readonly countries: Array<{
    country: string;
    persons: number;
    trips: number;
    /** Open-ended trips whose presence confirmation is overdue (still targeted). */
    unconfirmed: number;
    regions: Array<{ region: string | null; persons: number; trips: number }>;
  }>;
}

/** Counts of current and upcoming trips by country and region, within the caller's scope. */
export async function enrollmentStats(
  ctx: Context,
  principal: Principal,
  country: string | undefined,
): Promise<EnrollmentStats> {
  const visible = await visibleCountries(ctx, principal);
  const wanted = country?.toUpperCase();
  if (wanted && visible && !visible.includes(wanted))
    throw new WardenError('forbidden', 'This is outside your scope.', {});
  const filter = wanted ? [wanted] : visible;
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const rows = await countTrips(ctx.store.db, today, filter);
  const persons = await countPersonsByCountry(ctx.store.db, today, filter);
  const unconfirmed = await countUnconfirmed(
    ctx.store.db,
    iso(overdueBefore(ctx.config.presence, ctx.clock.now())),
    filter,
  );
  const byCountry = new Map<string, EnrollmentStats['countries'][number]>();
  for (const r of rows) {
    let c = byCountry.get(r.country);
    if (!c) {
      c = {
        country: r.country,
        persons: persons.get(r.country) ?? 0,
        trips: 0,
        unconfirmed: unconfirmed.get(r.country) ?? 0,
        regions: [],
      };
      byCountry.set(r.country, c);
    }
    c.trips += r.trips;
    c.regions.push({ region: r.region, persons: r.persons, trips: r.trips });
  }
  return { asOf: today, countries: [...byCountry.values()] };
}

/** One person's details, decrypted for staff: every such read is audited. */
export async function readEnrollment(ctx: Context, actor: Actor, id: string): Promise<EnrollmentView> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const view = await loadEnrollmentView(ctx, trx, id);
    await recordAudit(ctx, trx, actor, 'enrollment.read', `enrollment:${id}`, {});
    return view;
  });
}
