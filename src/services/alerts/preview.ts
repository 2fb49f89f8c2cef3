import type { Context } from '../../context.ts';
import { validateArea } from '../../domain/alerts/area.ts';
import { validateAlertContent } from '../../domain/alerts/content.ts';
import {
  type AlertWebhookPayload,
  type RenderedAlertEmail,
  type RenderedAlertSms,
  renderAlertEmail,
  renderAlertSms,
  renderAlertWebhook,
} from '../../domain/alerts/render.ts';
import type { AlertArea, AlertContent, AlertStatus } from '../../domain/alerts/types.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { MESSAGE_LANGUAGES, type MessageLanguage } from '../../domain/messages/languages.ts';
import { audienceReach, type Reach } from './audience.ts';
import { requireAlert } from './compose.ts';
import { alertLinks } from './deliver.ts';
import { audienceOf } from './send.ts';

/*
 * What each channel and language will show, exactly as the send step renders it (same renderers,
 * same links; the sent time is "now" until it is sent), and how many people it reaches: what the
 * composer previews and the approver reviews.
 */

export interface LanguagePreview {
  readonly language: MessageLanguage;
  readonly email: RenderedAlertEmail;
  readonly sms: RenderedAlertSms;
  readonly webhook: AlertWebhookPayload;
}

export function renderPreviews(
  ctx: Context,
  id: string,
  content: AlertContent,
  sentAt: string,
): LanguagePreview[] {
  return MESSAGE_LANGUAGES.map((language) => {
    const input = { alert: { id, content, sentAt }, language, links: alertLinks(ctx, id) };
    return {
      language,
      email: renderAlertEmail(input),
      sms: renderAlertSms(input),
      webhook: renderAlertWebhook(input),
    };
  });
}

export async function previewAlert(
  ctx: Context,
  id: string,
): Promise<{ contentHash: string; previews: LanguagePreview[]; reach: Reach }> {
  const a = await requireAlert(ctx.store.db, id);
  const sentAt = a.sentAt ?? ctx.clock.now().toISOString();
  const audience = await audienceOf(ctx, a);
  return {
    contentHash: a.contentHash,
    previews: renderPreviews(ctx, a.id, a.content, sentAt),
    reach: audience.reach,
  };
}

/** The composer's preview of unsaved content (validated first: errors point at the field). */
export function previewContent(ctx: Context, content: AlertContent): LanguagePreview[] {
  const valid = validateAlertContent(content, { now: ctx.clock.now(), geo: loadGeography() });
  return renderPreviews(ctx, 'preview', valid, ctx.clock.now().toISOString());
}

export interface ReachQuery {
  readonly area: AlertArea;
  readonly effective: string;
  readonly expires: string;
  readonly includeUnknownLocation: boolean;
  readonly status: AlertStatus;
}

/** Live reach of a draft area and window: counts only, never a person. */
export async function draftReach(ctx: Context, q: ReachQuery): Promise<Reach> {
  const area = validateArea(q.area, loadGeography());
  const effective = Date.parse(q.effective);
  const expires = Date.parse(q.expires);
  if (!(effective < expires)) {
    throw new WardenError('invalid_dates', 'The alert must take effect before it expires.', {
      path: '/effective',
    });
  }
  return audienceReach(ctx, {
    area,
    effective: new Date(effective).toISOString(),
    expires: new Date(expires).toISOString(),
    includeUnknownLocation: q.includeUnknownLocation,
    status: q.status,
  });
}
