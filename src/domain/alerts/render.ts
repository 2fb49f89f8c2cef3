import { escapeHtml } from '../advisories/markdown.ts';
import type { AlertWords } from '../messages/catalogue.ts';
import type { MessageLanguage } from '../messages/languages.ts';
import { formatUtc } from './format.ts';
import { type AlertMessageInput, type LocalizedAlert, localizeAlert } from './localize.ts';
import type { AlertSections } from './types.ts';

/** The email of an alert: subject, plain text and HTML (see localize.ts for the language rules). */

const SECTION_ORDER: readonly (keyof AlertSections)[] = ['location', 'event', 'actionsToTake', 'assistance'];

export interface RenderedAlertEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly language: MessageLanguage;
  readonly textLanguage: MessageLanguage;
  readonly fallback: boolean;
}

const checkInLine = (i: AlertMessageInput, w: AlertWords): string | null =>
  i.alert.content.checkIn.requested && i.links.checkIn && i.alert.content.checkIn.deadline
    ? w.checkIn(i.links.checkIn, formatUtc(i.alert.content.checkIn.deadline))
    : null;

/** "I'm safe" / "I need help", each with its one-click link, when the links were made. */
const oneClickLines = (i: AlertMessageInput, w: AlertWords): [string, string][] =>
  i.links.checkInSafe && i.links.checkInHelp
    ? [
        [w.checkInSafe(i.links.checkInSafe), i.links.checkInSafe],
        [w.checkInHelp(i.links.checkInHelp), i.links.checkInHelp],
      ]
    : [];

export function renderAlertEmail(i: AlertMessageInput): RenderedAlertEmail {
  const c = i.alert.content;
  const l = localizeAlert(c, i.language);
  const w = l.words;
  const validity = w.validity(formatUtc(c.cap.effective), formatUtc(c.cap.expires));
  const sections = SECTION_ORDER.filter((k) => l.text.sections[k]).map((k) => [
    w.sections[k],
    l.text.sections[k],
  ]);
  const checkIn = checkInLine(i, w);
  const oneClick = checkIn ? oneClickLines(i, w) : [];
  const text = [
    ...(c.status === 'Actual' ? [] : [w.drillBanner[c.status], '']),
    ...(l.fallback ? [w.fallbackNote, ''] : []),
    l.title,
    validity,
    ...sections.flatMap(([title, body]) => ['', title!, body!]),
    '',
    ...(checkIn ? [checkIn, ...oneClick.map(([line]) => line)] : []),
    w.fullAlert(i.links.alert),
    ...w.footer(i.links.manage),
  ].join('\n');
  return {
    subject: l.title,
    text,
    html: emailHtml(i, l, validity, sections as [string, string][], checkIn),
    language: i.language,
    textLanguage: l.textLanguage,
    fallback: l.fallback,
  };
}

const RTL: ReadonlySet<MessageLanguage> = new Set(['ar']);
const dir = (lang: MessageLanguage) => (RTL.has(lang) ? 'rtl' : 'ltr');

/** Staff text keeps its line breaks; paragraphs are separated by blank lines. */
const paragraphs = (s: string): string =>
  s
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('\n');

const linkHtml = (line: string, href: string): string => {
  const at = line.lastIndexOf(href);
  const before = at >= 0 ? line.slice(0, at) : `${line} `;
  return `<p>${escapeHtml(before)}<a href="${escapeHtml(href)}">${escapeHtml(href)}</a></p>`;
};

function emailHtml(
  i: AlertMessageInput,
  l: LocalizedAlert,
  validity: string,
  sections: [string, string][],
  checkIn: string | null,
): string {
  const c = i.alert.content;
  const w = l.words;
  const [, ...footer] = w.footer(i.links.manage).filter((x) => x !== '');
  const body = [
    c.status === 'Actual'
      ? ''
      : `<p style="background:#b00020;color:#fff;padding:12px;font-weight:bold">${escapeHtml(w.drillBanner[c.status])}</p>`,
    l.fallback ? `<p><em>${escapeHtml(w.fallbackNote)}</em></p>` : '',
    `<h1>${escapeHtml(l.title)}</h1>`,
    `<p>${escapeHtml(validity)}</p>`,
    // The alert's own text may be in English inside a message in another language.
    ...sections.map(
      ([title, text]) =>
        `<h2>${escapeHtml(title)}</h2>\n<div lang="${l.textLanguage}" dir="${dir(l.textLanguage)}">\n${paragraphs(text)}\n</div>`,
    ),
    checkIn && i.links.checkIn ? linkHtml(checkIn, i.links.checkIn) : '',
    ...(checkIn ? oneClickLines(i, w).map(([line, href]) => linkHtml(line, href)) : []),
    linkHtml(w.fullAlert(i.links.alert), i.links.alert),
    '<hr>',
    `<p>${escapeHtml(footer[0] ?? '')}</p>`,
    footer[1] ? linkHtml(footer[1], i.links.manage) : '',
  ].filter((x) => x !== '');
  return [
    '<!doctype html>',
    `<html lang="${i.language}" dir="${dir(i.language)}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(l.title)}</title></head>`,
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export { type AlertMessageInput, type LocalizedAlert, localizeAlert } from './localize.ts';
export { ALERT_SMS_MAX_SEGMENTS, type RenderedAlertSms, renderAlertSms } from './render-sms.ts';
export { type AlertWebhookPayload, renderAlertWebhook } from './render-webhook.ts';
