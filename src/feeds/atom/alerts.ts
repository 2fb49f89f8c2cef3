import type { AlertContent } from '../../domain/alerts/types.ts';
import { catalogue } from '../../domain/messages/catalogue.ts';
import { CAP_CONTENT_TYPE } from '../cap/alert.ts';
import { capIdentifier } from '../cap/fields.ts';
import { xmlEscape } from '../xml.ts';

/** One sent message (Alert, Update or Cancel) and where it is published. */
export interface AlertFeedEntry {
  readonly alert: { readonly id: string; readonly content: AlertContent; readonly sentAt: string };
  /** The issuing post's name. */
  readonly senderName: string;
  /** The stable URL of its CAP XML. */
  readonly capUrl: string;
  /** Its public alert page. */
  readonly pageUrl: string;
  /** Countries the area touches (ISO alpha-2), when known; else those its countries and regions name. */
  readonly countries?: readonly string[];
}

export interface AlertFeedOptions {
  /** Absolute URL of the feed itself (link rel=self). */
  readonly selfUrl: string;
  /** Absolute URL of the JSON list of public alerts (link rel=alternate). */
  readonly jsonUrl: string;
  /** When the feed's data last changed (ISO 8601). */
  readonly updated: string;
  readonly title?: string;
}

/**
 * The title of a message in the feed, in English (the feed's language): "EXERCISE: " for drills,
 * "UPDATE: " or "CANCELLED: " for follow-ups, then kind and headline.
 */
export function alertFeedTitle(c: AlertContent): string {
  const words = catalogue('en').alert;
  const marks = [
    c.status === 'Actual' ? null : words.drillPrefix[c.status],
    c.msgType === 'Alert' ? null : words.msgTypeMarker[c.msgType],
  ].filter((m): m is string => m !== null);
  return [...marks, words.kinds[c.kind], c.texts.en.headline].join(': ');
}

const text = (tag: string, value: string, indent: string) =>
  `${indent}<${tag} type="text">${xmlEscape(value)}</${tag}>`;

const link = (type: string, href: string, indent: string) =>
  `${indent}<link rel="alternate" type="${type}" href="${xmlEscape(href)}"/>`;

/**
 * Atom 1.0 feed of sent public messages, newest first as given: the usual way aggregators pull CAP.
 * Each entry's id is the CAP identifier and links its CAP XML (type application/cap+xml) and its
 * page. Text constructs are type="text", so staff text cannot inject markup. Restricted and
 * Private messages are left out even if passed in. Hand-written rather than with the `feed`
 * package, which gives an entry one link without a type.
 */
export function alertsAtom(entries: readonly AlertFeedEntry[], o: AlertFeedOptions): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    '  <id>urn:warden:feed:alerts</id>',
    text('title', o.title ?? 'Warden: alerts', '  '),
    `  <updated>${xmlEscape(o.updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(o.selfUrl)}"/>`,
    link('application/json', o.jsonUrl, '  '),
    '  <author><name>Warden</name></author>',
    '  <generator>Warden</generator>',
  ];
  for (const e of entries) {
    const c = e.alert.content;
    if (c.scope !== 'Public') continue;
    const en = c.texts.en;
    lines.push(
      '  <entry>',
      `    <id>${xmlEscape(capIdentifier(e.alert.id))}</id>`,
      text('title', alertFeedTitle(c), '    '),
      `    <updated>${xmlEscape(e.alert.sentAt)}</updated>`,
      `    <published>${xmlEscape(e.alert.sentAt)}</published>`,
      link(CAP_CONTENT_TYPE, e.capUrl, '    '),
      link('text/html', e.pageUrl, '    '),
      `    <author><name>${xmlEscape(e.senderName)}</name></author>`,
      `    <category term="${xmlEscape(c.kind)}" scheme="urn:warden:alert-kind"/>`,
      `    <category term="${c.status}" scheme="urn:oasis:names:tc:emergency:cap:1.2:status"/>`,
      `    <category term="${c.msgType}" scheme="urn:oasis:names:tc:emergency:cap:1.2:msgType"/>`,
      `    <category term="${c.cap.severity}" scheme="urn:oasis:names:tc:emergency:cap:1.2:severity"/>`,
      ...[...new Set(e.countries ?? [...c.area.countries, ...c.area.regions.map((r) => r.slice(0, 2))])].map(
        (cc) => `    <category term="country:${xmlEscape(cc)}"/>`,
      ),
      text('summary', `${en.sections.location}: ${en.sections.event}`, '    '),
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
