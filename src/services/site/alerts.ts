import type { Context } from '../../context.ts';
import type { PublicAlertView } from '../../site/views.ts';

/*
 * THE ALERTS SLOT. The public site renders current alerts (country page section, a per-country
 * alerts page, one page per alert) from these two functions. The alerts service (issue 13,
 * branch `alerts`) had not published its public read (services/alerts/public.ts) when the site
 * was built, so both answer "none" until it is wired here; nothing else in the site changes then.
 */

/** Current public alerts (scope Public, not expired, not cancelled) touching a country. */
export async function currentPublicAlerts(
  _ctx: Context,
  _country: string | null,
): Promise<PublicAlertView[]> {
  return [];
}

/** One public alert by id, or undefined (not found, or not public). */
export async function publicAlert(_ctx: Context, _id: string): Promise<PublicAlertView | undefined> {
  return undefined;
}

/** Revision keys the alert pages depend on (none until the alerts service exists). */
export const ALERT_REVISIONS: readonly string[] = [];
