import type { Context } from '../../context.ts';
import { WardenError } from '../../domain/errors.ts';
import type { PublicAlertView } from '../../site/views.ts';
import { getPublicAlert, listPublicAlertViews, type PublicAlert } from '../alerts/public.ts';
import { ALERTS_REVISION } from '../alerts/send.ts';

/*
 * The public site's alerts: read from the alerts service's public side (services/alerts/public.ts,
 * the same source as the JSON API, the CAP URLs and the Atom feed), shaped for the pages.
 */

const view = (a: PublicAlert): PublicAlertView => ({
  id: a.id,
  kind: a.content.kind,
  status: a.content.status,
  msgType: a.content.msgType,
  state: a.state,
  supersededBy: a.supersededBy,
  countries: a.countries,
  texts: a.content.texts,
  sentAt: a.sentAt,
  effective: a.content.cap.effective,
  expires: a.content.cap.expires,
  postName: a.senderName,
  references: a.content.references,
});

/** Public alerts in force now (sent, not replaced, not a Cancel, within their window), for a country or all. */
export async function currentPublicAlerts(ctx: Context, country: string | null): Promise<PublicAlertView[]> {
  const alerts = await listPublicAlertViews(ctx, {
    ...(country && { country }),
    activeAt: ctx.clock.now(),
    limit: 50,
  });
  return alerts.map(view);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One public alert by id, or undefined (not found, or not public: nothing says which). */
export async function publicAlert(ctx: Context, id: string): Promise<PublicAlertView | undefined> {
  if (!UUID.test(id)) return undefined;
  try {
    return view(await getPublicAlert(ctx, id));
  } catch (err) {
    if (err instanceof WardenError && err.code === 'alert_not_found') return undefined;
    throw err;
  }
}

/** Revision keys the alert pages depend on. */
export const ALERT_REVISIONS: readonly string[] = [ALERTS_REVISION];

/**
 * Alerts leave "current" when they expire, which changes no revision: pages that list current
 * alerts are rebuilt at least this often.
 */
export const CURRENT_ALERTS_MAX_LIFE_MS = 60_000;
