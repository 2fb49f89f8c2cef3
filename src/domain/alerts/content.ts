import { WardenError } from '../errors.ts';
import { MESSAGE_LANGUAGES, type MessageLanguage } from '../messages/languages.ts';
import { type AreaReference, validateArea } from './area.ts';
import {
  ALERT_KINDS,
  ALERT_STATUSES,
  type AlertContent,
  type AlertSections,
  type AlertText,
  type AlertTexts,
  CAP_CATEGORIES,
  CERTAINTIES,
  MSG_TYPES,
  RESPONSE_TYPES,
  SCOPES,
  SEVERITIES,
  URGENCIES,
} from './types.ts';
import { validateAlertWindow } from './window.ts';

/**
 * Lengths in characters (code points). CAP 1.2's schema bounds no string; the spec suggests 160
 * characters for a headline (section 3.2.2), which aggregators and phones display whole. The others
 * are Warden's own, so one alert stays a message a person reads on a phone (and an SMS cut from it
 * keeps its sense), and the CAP document stays small.
 */
export const TEXT_LIMITS = {
  headline: 160,
  location: 500,
  event: 2000,
  actionsToTake: 2000,
  assistance: 1000,
  capEvent: 100,
  restriction: 500,
  address: 200,
} as const;

const SECTION_KEYS: readonly (keyof AlertSections)[] = ['location', 'event', 'actionsToTake', 'assistance'];

const invalid = (path: string, message: string, extra: Record<string, unknown> = {}): never => {
  throw new WardenError('validation_failed', message, { path, ...extra });
};

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!(allowed as readonly unknown[]).includes(value))
    invalid(path, `Must be one of ${allowed.join(', ')}.`);
  return value as T;
}

/** Trimmed text within its limit; `required` refuses an empty one. */
function text(value: unknown, max: number, path: string, required: boolean): string {
  if (typeof value !== 'string') return invalid(path, 'Must be text.');
  const s = value.trim();
  if (required && s.length === 0) invalid(path, 'Must not be empty.');
  const length = [...s].length;
  if (length > max) {
    throw new WardenError('cap_field_too_long', `At most ${max} characters (this has ${length}).`, {
      path,
      max,
      length,
    });
  }
  return s;
}

function checkText(t: AlertText, path: string): AlertText {
  if (!t || typeof t !== 'object' || !t.sections) return invalid(path, 'A text has a headline and sections.');
  const sections = {} as Record<keyof AlertSections, string>;
  for (const k of SECTION_KEYS) {
    sections[k] = text(t.sections[k], TEXT_LIMITS[k], `${path}/sections/${k}`, k !== 'assistance');
  }
  return { headline: text(t.headline, TEXT_LIMITS.headline, `${path}/headline`, true), sections };
}

function checkTexts(texts: AlertTexts): AlertTexts {
  const out: Partial<Record<MessageLanguage, AlertText>> = {};
  for (const [lang, t] of Object.entries(texts ?? {})) {
    if (!(MESSAGE_LANGUAGES as readonly string[]).includes(lang)) {
      throw new WardenError('unknown_language', `Alerts are written in ${MESSAGE_LANGUAGES.join(', ')}.`, {
        path: `/texts/${lang}`,
        language: lang,
        supported: MESSAGE_LANGUAGES,
      });
    }
    out[lang as MessageLanguage] = checkText(t, `/texts/${lang}`);
  }
  if (!out.en) invalid('/texts/en', 'Every alert has an English text.');
  return out as AlertTexts;
}

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/**
 * Checks an alert's content and returns it normalized (texts trimmed, lists without repeats, area
 * canonical), the form whose hash an approver approves. Refuses with validation_failed,
 * unknown_language, cap_field_too_long, invalid_reference, invalid_dates, alert_expired and the
 * area's codes; `path` in the details is the JSON pointer of the field.
 */
export function validateAlertContent(c: AlertContent, env: { now: Date; geo: AreaReference }): AlertContent {
  const msgType = oneOf(c.msgType, MSG_TYPES, '/msgType');
  const references = Array.isArray(c.references) ? c.references : invalid('/references', 'Must be a list.');
  if ((msgType === 'Alert') !== (references.length === 0)) {
    throw new WardenError(
      'invalid_reference',
      msgType === 'Alert'
        ? 'A new alert references nothing.'
        : `An ${msgType} references the alert it follows.`,
      { path: '/references', msgType },
    );
  }
  const scope = oneOf(c.scope, SCOPES, '/scope');
  const restriction =
    scope === 'Restricted' ? text(c.restriction, TEXT_LIMITS.restriction, '/restriction', true) : null;
  const addresses =
    scope === 'Private'
      ? unique((c.addresses ?? []).map((a, i) => text(a, TEXT_LIMITS.address, `/addresses/${i}`, true)))
      : [];
  if (scope === 'Private' && addresses.length === 0)
    invalid('/addresses', 'A Private alert names its recipients.');
  const cap = c.cap && typeof c.cap === 'object' ? c.cap : invalid('/cap', 'The CAP fields are missing.');
  const category = unique(
    (cap?.category ?? []).map((x, i) => oneOf(x, CAP_CATEGORIES, `/cap/category/${i}`)),
  );
  if (category.length === 0) invalid('/cap/category', 'At least one CAP category.');
  validateAlertWindow(cap, env.now);
  const checkIn = c.checkIn?.requested ? checkDeadline(c.checkIn.deadline, cap.effective, cap.expires) : null;
  return {
    kind: oneOf(c.kind, ALERT_KINDS, '/kind'),
    postId: text(c.postId, 200, '/postId', true),
    status: oneOf(c.status, ALERT_STATUSES, '/status'),
    msgType,
    references: references.map((r, i) => ({
      alertId: text(r?.alertId, 200, `/references/${i}/alertId`, true),
      sentAt: isoTime(r?.sentAt, `/references/${i}/sentAt`),
    })),
    scope,
    restriction,
    addresses,
    texts: checkTexts(c.texts),
    cap: {
      category,
      event: text(cap.event, TEXT_LIMITS.capEvent, '/cap/event', true),
      responseType: unique(
        cap.responseType.map((x, i) => oneOf(x, RESPONSE_TYPES, `/cap/responseType/${i}`)),
      ),
      urgency: oneOf(cap.urgency, URGENCIES, '/cap/urgency'),
      severity: oneOf(cap.severity, SEVERITIES, '/cap/severity'),
      certainty: oneOf(cap.certainty, CERTAINTIES, '/cap/certainty'),
      effective: new Date(cap.effective).toISOString(),
      expires: new Date(cap.expires).toISOString(),
    },
    checkIn: checkIn ? { requested: true, deadline: checkIn } : { requested: false, deadline: null },
    area: validateArea(c.area, env.geo),
    includeUnknownLocation: c.includeUnknownLocation === true,
  };
}

function isoTime(value: unknown, path: string): string {
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(t) ? invalid(path, 'Must be an ISO 8601 time.') : new Date(t).toISOString();
}

/** A check-in deadline falls after the alert takes effect and no later than it expires. */
function checkDeadline(deadline: string | null, effective: string, expires: string): string {
  const t = deadline ? Date.parse(deadline) : Number.NaN;
  if (Number.isNaN(t)) return invalid('/checkIn/deadline', 'A check-in request needs a deadline.');
  if (t <= Date.parse(effective) || t > Date.parse(expires)) {
    throw new WardenError(
      'invalid_dates',
      'The check-in deadline falls after the alert takes effect and by its expiry.',
      {
        path: '/checkIn/deadline',
      },
    );
  }
  return new Date(t).toISOString();
}
