import { WardenError } from '../errors.ts';
import type { AlertSeed } from '../incidents/alert-seed.ts';
import { catalogue } from '../messages/catalogue.ts';
import { MESSAGE_LANGUAGES, type MessageLanguage } from '../messages/languages.ts';
import type { Restriction } from '../posts/types.ts';
import { formatUtc } from './format.ts';
import type {
  Alert,
  AlertContent,
  AlertKind,
  AlertReference,
  AlertText,
  AlertTexts,
  CapCategory,
} from './types.ts';

/*
 * Where a composer starts: a blank alert, an incident's seed, a staff movement restriction, or a
 * sent alert to update or cancel. Each returns content to edit, not yet valid (texts may be empty);
 * validateAlertContent checks it before it is submitted.
 */

const HOUR = 3_600_000;

interface KindDefaults {
  readonly category: readonly CapCategory[];
  readonly event: string;
  /** Emergencies reach travellers known only by country too, unless the composer unticks it. */
  readonly includeUnknownLocation: boolean;
}

export const KIND_DEFAULTS: Readonly<Record<AlertKind, KindDefaults>> = {
  security: { category: ['Security'], event: 'Security', includeUnknownLocation: false },
  demonstration: { category: ['Security'], event: 'Demonstration', includeUnknownLocation: false },
  health: { category: ['Health'], event: 'Health', includeUnknownLocation: false },
  weather: { category: ['Met'], event: 'Weather', includeUnknownLocation: false },
  message_for_citizens: { category: ['Other'], event: 'Message for citizens', includeUnknownLocation: false },
  emergency: { category: ['Safety'], event: 'Emergency', includeUnknownLocation: true },
};

const emptyText = (headline = '', event = ''): AlertText => ({
  headline,
  sections: { location: '', event, actionsToTake: '', assistance: '' },
});

export interface DraftOptions {
  readonly kind: AlertKind;
  readonly postId: string;
  readonly now: Date;
  /** How long until it expires (default 24 hours). */
  readonly hours?: number;
}

export function blankAlertContent(o: DraftOptions): AlertContent {
  const d = KIND_DEFAULTS[o.kind];
  return {
    kind: o.kind,
    postId: o.postId,
    status: 'Actual',
    msgType: 'Alert',
    references: [],
    scope: 'Public',
    restriction: null,
    addresses: [],
    texts: { en: emptyText() },
    cap: {
      category: d.category,
      event: d.event,
      responseType: ['Monitor'],
      urgency: 'Expected',
      severity: 'Moderate',
      certainty: 'Likely',
      effective: o.now.toISOString(),
      expires: new Date(o.now.getTime() + (o.hours ?? 24) * HOUR).toISOString(),
    },
    checkIn: { requested: false, deadline: null },
    area: { countries: [], regions: [], polygons: [], circles: [] },
    includeUnknownLocation: d.includeUnknownLocation,
  };
}

/** "Draft an alert" from an incident: its headline, description and circle. */
export function alertFromIncident(seed: AlertSeed, o: DraftOptions): AlertContent {
  const blank = blankAlertContent(o);
  return {
    ...blank,
    texts: { en: emptyText(seed.headline, seed.description) },
    cap: { ...blank.cap, certainty: 'Observed' },
    area: { ...blank.area, circles: [seed.area.circle] },
  };
}

/**
 * The public notice of a staff movement restriction: what staff are told to avoid, citizens are
 * told too. Same area and post; in effect from the restriction's start (or now) until its end
 * (or a week).
 */
export function alertFromRestriction(r: Restriction, o: Omit<DraftOptions, 'postId'>): AlertContent {
  const blank = blankAlertContent({ ...o, postId: r.postId });
  const start = Math.max(o.now.getTime(), Date.parse(r.validFrom));
  const end = r.validUntil ? Date.parse(r.validUntil) : start + 7 * 24 * HOUR;
  return {
    ...blank,
    texts: { en: emptyText('', r.reason) },
    cap: {
      ...blank.cap,
      responseType: ['Avoid'],
      effective: new Date(start).toISOString(),
      expires: new Date(Math.max(end, start + HOUR)).toISOString(),
    },
    area: { ...blank.area, regions: r.regions, polygons: r.geometry ? [r.geometry] : [] },
  };
}

/**
 * An Update follows the newest sent message; a Cancel ends a sent or updated one. Both keep the
 * original's status and scope: an exercise is never cancelled by a real message, and a public
 * alert's cancel is public too.
 */
export function followUpReferences(original: Alert, msgType: 'Update' | 'Cancel'): AlertReference[] {
  if (original.state === 'cancelled') {
    throw new WardenError('already_cancelled', 'The alert is already cancelled.', { id: original.id });
  }
  const ok = original.state === 'sent' || (msgType === 'Cancel' && original.state === 'updated');
  if (!ok || !original.sentAt) {
    throw new WardenError(
      'invalid_reference',
      original.state === 'updated'
        ? 'This alert was updated since; update the newest message.'
        : 'Only a sent alert can be updated or cancelled.',
      { id: original.id, state: original.state },
    );
  }
  return [...original.content.references, { alertId: original.id, sentAt: original.sentAt }];
}

/** An Update starts as the original, referencing it: staff change what changed. */
export function updateDraft(original: Alert, now: Date): AlertContent {
  return {
    ...original.content,
    msgType: 'Update',
    references: followUpReferences(original, 'Update'),
    cap: { ...original.content.cap, effective: now.toISOString(), expires: laterExpiry(original, now) },
  };
}

/**
 * A Cancel ready to send in one click: the original's headline, area and languages, saying in each
 * language that the alert sent at its time is cancelled; all clear, nothing to do.
 */
export function cancelDraft(original: Alert, now: Date): AlertContent {
  const references = followUpReferences(original, 'Cancel');
  const sentAt = formatUtc(original.sentAt!);
  const texts: Partial<Record<MessageLanguage, AlertText>> = {};
  for (const lang of MESSAGE_LANGUAGES) {
    const t = original.content.texts[lang];
    if (!t) continue;
    const words = catalogue(lang).alert;
    texts[lang] = {
      headline: t.headline,
      sections: { ...t.sections, event: words.cancelEvent(sentAt), actionsToTake: words.cancelActions },
    };
  }
  return {
    ...original.content,
    msgType: 'Cancel',
    references,
    texts: texts as AlertTexts,
    cap: {
      ...original.content.cap,
      responseType: ['AllClear'],
      urgency: 'Past',
      effective: now.toISOString(),
      expires: laterExpiry(original, now),
    },
    checkIn: { requested: false, deadline: null },
  };
}

/** The original's expiry, or an hour from now if it has (nearly) passed. */
const laterExpiry = (original: Alert, now: Date): string =>
  new Date(Math.max(Date.parse(original.content.cap.expires), now.getTime() + HOUR)).toISOString();
