import type { Context } from '../../context.ts';
import type { AlertRecord } from '../../domain/alerts/record.ts';
import type { AlertContent, AlertState } from '../../domain/alerts/types.ts';
import { WardenError } from '../../domain/errors.ts';
import { type AlertFeedEntry, alertsAtom } from '../../feeds/atom/alerts.ts';
import { capAlertXml } from '../../feeds/cap/alert.ts';
import { findAlert, listPublicAlerts } from '../../store/alerts/alerts.ts';
import { findPost } from '../../store/posts/posts.ts';

/*
 * What the public sees of alerts: sent Public messages (Alert, Update, Cancel) only; Restricted and
 * Private ones, drafts and anything unsent answer not_found. The site's HTML pages, the JSON API,
 * the CAP URLs and the Atom feed all read from here.
 */

export interface PublicAlert {
  readonly id: string;
  readonly content: AlertContent;
  readonly sentAt: string;
  /** sent, updated (a newer message replaces it) or cancelled. */
  readonly state: AlertState;
  /** The Update or Cancel that replaced it. */
  readonly supersededBy: string | null;
  /** The message chain's first alert. */
  readonly rootId: string;
  readonly countries: readonly string[];
  readonly senderName: string;
  readonly links: { readonly page: string; readonly cap: string; readonly json: string };
}

export const alertPageUrl = (ctx: Context, id: string): string => `${ctx.config.publicUrl}/alerts/${id}`;
export const alertCapUrl = (ctx: Context, id: string): string =>
  `${ctx.config.publicUrl}/cap/alerts/${id}.xml`;

const isPublic = (a: AlertRecord): a is AlertRecord & { sentAt: string } =>
  a.content.scope === 'Public' && a.sentAt !== null && ['sent', 'updated', 'cancelled'].includes(a.state);

/** Whether a message is in force at `at`: sent, not replaced, not a Cancel, within its window. */
export const isActiveAt = (a: PublicAlert, at: Date): boolean =>
  a.state === 'sent' &&
  a.content.msgType !== 'Cancel' &&
  Date.parse(a.content.cap.effective) <= at.getTime() &&
  at.getTime() < Date.parse(a.content.cap.expires);

async function present(
  ctx: Context,
  a: AlertRecord & { sentAt: string },
  names: Map<string, string>,
): Promise<PublicAlert> {
  let senderName = names.get(a.content.postId);
  if (senderName === undefined) {
    senderName = (await findPost(ctx.store.db, a.content.postId))?.name ?? a.content.postId;
    names.set(a.content.postId, senderName);
  }
  return {
    id: a.id,
    content: a.content,
    sentAt: a.sentAt,
    state: a.state,
    supersededBy: a.supersededBy,
    rootId: a.rootId,
    countries: a.countries,
    senderName,
    links: {
      page: alertPageUrl(ctx, a.id),
      cap: alertCapUrl(ctx, a.id),
      json: `${ctx.config.publicUrl}/api/public/alerts/${a.id}`,
    },
  };
}

export interface PublicAlertFilter {
  /** ISO 3166-1 alpha-2: messages whose area touches the country. */
  readonly country?: string;
  /** Only messages in force at this time. */
  readonly activeAt?: Date | undefined;
  readonly limit?: number;
}

/** Sent public messages, newest first. */
export async function listPublicAlertViews(ctx: Context, f: PublicAlertFilter = {}): Promise<PublicAlert[]> {
  const at = f.activeAt?.toISOString();
  const rows = await listPublicAlerts(ctx.store.db, {
    ...(at && { expiresAfter: at, effectiveBy: at }),
    limit: f.country ? 1000 : (f.limit ?? 200),
  });
  const names = new Map<string, string>();
  const out: PublicAlert[] = [];
  for (const a of rows) {
    if (!isPublic(a) || (f.country && !a.countries.includes(f.country))) continue;
    const v = await present(ctx, a, names);
    if (f.activeAt && !isActiveAt(v, f.activeAt)) continue;
    out.push(v);
    if (out.length >= (f.limit ?? 200)) break;
  }
  return out;
}

/** One public message; not_found for anything the public may not see (nothing says why). */
export async function getPublicAlert(ctx: Context, id: string): Promise<PublicAlert> {
  const a = await findAlert(ctx.store.db, id);
  if (!a || !isPublic(a)) throw new WardenError('alert_not_found', 'Alert not found.', { id });
  return present(ctx, a, new Map());
}

/** The message chain of a public alert (Alert, its Updates, its Cancel), oldest first. */
export async function publicAlertChain(ctx: Context, id: string): Promise<PublicAlert[]> {
  const one = await getPublicAlert(ctx, id);
  const all = await listPublicAlertViews(ctx, { limit: 1000 });
  return all.filter((a) => a.rootId === one.rootId).sort((x, y) => x.sentAt.localeCompare(y.sentAt));
}

export async function publicAlertCap(ctx: Context, id: string): Promise<string> {
  const a = await getPublicAlert(ctx, id);
  return capXml(ctx, a);
}

export const capXml = (ctx: Context, a: PublicAlert): string =>
  capAlertXml({
    alert: { id: a.id, content: a.content, sentAt: a.sentAt },
    sender: ctx.config.alerts.capSender,
    senderName: a.senderName,
    web: a.links.page,
  });

export async function publicAlertsAtom(ctx: Context): Promise<string> {
  const alerts = await listPublicAlertViews(ctx, { limit: 200 });
  const entries: AlertFeedEntry[] = alerts.map((a) => ({
    alert: { id: a.id, content: a.content, sentAt: a.sentAt },
    senderName: a.senderName,
    capUrl: a.links.cap,
    pageUrl: a.links.page,
    countries: a.countries,
  }));
  return alertsAtom(entries, {
    selfUrl: `${ctx.config.publicUrl}/feeds/alerts.atom`,
    jsonUrl: `${ctx.config.publicUrl}/api/public/alerts`,
    updated: alerts[0]?.sentAt ?? new Date(0).toISOString(),
  });
}
