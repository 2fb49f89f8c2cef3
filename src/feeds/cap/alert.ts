import { TEXT_LIMITS } from '../../domain/alerts/content.ts';
import type { AlertContent, AlertText } from '../../domain/alerts/types.ts';
import { WardenError } from '../../domain/errors.ts';
import { MESSAGE_LANGUAGES } from '../../domain/messages/languages.ts';
import { xmlEscape } from '../xml.ts';
import { capCircle, capDateTime, capGeocodes, capIdentifier, capPolygons, checkCapToken } from './fields.ts';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_CONTENT_TYPE = 'application/cap+xml';

export interface CapMessageInput {
  readonly alert: { readonly id: string; readonly content: AlertContent; readonly sentAt: string };
  /** This installation as CAP sender, e.g. "warden.example.org"; no spaces, commas, < or &. */
  readonly sender: string;
  /** The issuing post as people know it, e.g. "U.S. Embassy Baghdad" (info/senderName). */
  readonly senderName: string;
  /** The public alert page (info/web); null for an alert that has none (not Public). */
  readonly web: string | null;
  /** CAP source: who or what composed it (default: senderName). */
  readonly source?: string;
}

/**
 * One alert as a CAP 1.2 message: one info block per language it is written in (English first),
 * each with the same area. Sections map to CAP as: Event -> description, Actions to take ->
 * instruction, Assistance -> contact, Location -> areaDesc. The kind is an eventCode
 * (warden:alert-kind), a check-in deadline a parameter (warden:check-in-deadline). Pure: the same
 * input gives the same bytes. Refuses (cap_field_too_long) text longer than TEXT_LIMITS (content.ts),
 * which content validation enforces before an alert can be sent.
 */
export function capAlertXml(i: CapMessageInput): string {
  const c = i.alert.content;
  const sender = checkCapToken(i.sender, '/sender');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<alert xmlns="${CAP_NAMESPACE}">`,
    el(1, 'identifier', checkCapToken(capIdentifier(i.alert.id), '/identifier')),
    el(1, 'sender', sender),
    el(1, 'sent', capDateTime(i.alert.sentAt)),
    el(1, 'status', c.status),
    el(1, 'msgType', c.msgType),
    el(1, 'source', i.source ?? i.senderName),
    el(1, 'scope', c.scope),
  ];
  if (c.scope === 'Restricted') lines.push(el(1, 'restriction', c.restriction ?? ''));
  if (c.scope === 'Private') lines.push(el(1, 'addresses', c.addresses.map(quoteAddress).join(' ')));
  if (c.status !== 'Actual') lines.push(el(1, 'note', `${c.status}: not a real alert.`));
  if (c.references.length > 0) {
    const refs = c.references.map((r) => `${sender},${capIdentifier(r.alertId)},${capDateTime(r.sentAt)}`);
    lines.push(el(1, 'references', refs.join(' ')));
  }
  for (const lang of MESSAGE_LANGUAGES) {
    const text = c.texts[lang];
    if (text) lines.push(...info(lang, text, c, i));
  }
  lines.push('</alert>', '');
  return lines.join('\n');
}

const el = (depth: number, tag: string, value: string): string =>
  `${'  '.repeat(depth)}<${tag}>${xmlEscape(value)}</${tag}>`;

const pairEl = (depth: number, tag: string, valueName: string, value: string): string[] => [
  `${'  '.repeat(depth)}<${tag}>`,
  el(depth + 1, 'valueName', valueName),
  el(depth + 1, 'value', value),
  `${'  '.repeat(depth)}</${tag}>`,
];

/** CAP addresses are space-delimited; one containing whitespace is quoted. */
const quoteAddress = (a: string): string => (/\s/.test(a) ? `"${a.replace(/"/g, '')}"` : a);

function limited(value: string, max: number, path: string): string {
  const length = [...value].length;
  if (length > max) {
    throw new WardenError('cap_field_too_long', `At most ${max} characters (this has ${length}).`, {
      path,
      max,
      length,
    });
  }
  return value;
}

function info(lang: string, t: AlertText, c: AlertContent, i: CapMessageInput): string[] {
  const at = `/texts/${lang}`;
  const out = ['  <info>', el(2, 'language', lang)];
  for (const category of c.cap.category) out.push(el(2, 'category', category));
  out.push(el(2, 'event', limited(c.cap.event, TEXT_LIMITS.capEvent, '/cap/event')));
  for (const r of c.cap.responseType) out.push(el(2, 'responseType', r));
  out.push(
    el(2, 'urgency', c.cap.urgency),
    el(2, 'severity', c.cap.severity),
    el(2, 'certainty', c.cap.certainty),
  );
  out.push(...pairEl(2, 'eventCode', 'warden:alert-kind', c.kind));
  out.push(el(2, 'effective', capDateTime(c.cap.effective)), el(2, 'expires', capDateTime(c.cap.expires)));
  out.push(el(2, 'senderName', i.senderName));
  out.push(el(2, 'headline', limited(t.headline, TEXT_LIMITS.headline, `${at}/headline`)));
  out.push(el(2, 'description', limited(t.sections.event, TEXT_LIMITS.event, `${at}/sections/event`)));
  out.push(
    el(
      2,
      'instruction',
      limited(t.sections.actionsToTake, TEXT_LIMITS.actionsToTake, `${at}/sections/actionsToTake`),
    ),
  );
  if (i.web) out.push(el(2, 'web', i.web));
  if (t.sections.assistance) {
    out.push(
      el(2, 'contact', limited(t.sections.assistance, TEXT_LIMITS.assistance, `${at}/sections/assistance`)),
    );
  }
  if (c.checkIn.requested && c.checkIn.deadline) {
    out.push(...pairEl(2, 'parameter', 'warden:check-in-deadline', capDateTime(c.checkIn.deadline)));
  }
  out.push(
    '    <area>',
    el(3, 'areaDesc', limited(t.sections.location, TEXT_LIMITS.location, `${at}/sections/location`)),
  );
  for (const g of c.area.polygons) for (const p of capPolygons(g)) out.push(el(3, 'polygon', p));
  for (const circle of c.area.circles) out.push(el(3, 'circle', capCircle(circle)));
  for (const g of capGeocodes(c.area)) out.push(...pairEl(3, 'geocode', g.valueName, g.value));
  out.push('    </area>', '  </info>');
  return out;
}
