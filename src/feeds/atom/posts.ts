import { POSTURE_LABELS } from '../../domain/posts/labels.ts';
import type { DepartureScope, PostureChange } from '../../domain/posts/types.ts';
import { xmlEscape } from '../xml.ts';

/** One posture change with what a reader needs to understand it without another request. */
export interface PostureFeedEntry {
  readonly change: PostureChange;
  readonly post: {
    readonly id: string;
    readonly name: string;
    readonly city: string;
    readonly country: string;
  };
  readonly countryName: string;
  /** Name of the post serving the district, when the change hands it on. */
  readonly delegateName: string | null;
}

export interface PostureFeedOptions {
  /** Absolute URL of the feed itself (link rel=self). */
  readonly selfUrl: string;
  /** Absolute base URL of the installation, for entry links. */
  readonly baseUrl: string;
  /** When the feed's data last changed. */
  readonly updated: string;
  readonly title?: string;
}

const SCOPE_LABEL: Record<DepartureScope, string> = {
  none: 'no departure',
  authorized: 'authorized departure',
  ordered: 'ordered departure',
};

const text = (tag: string, value: string, indent: string) =>
  `${indent}<${tag} type="text">${xmlEscape(value)}</${tag}>`;

export function postureSummary(e: PostureFeedEntry): string {
  const c = e.change;
  const onOff = (b: boolean, on: string, off: string) => (b ? on : off);
  const parts = [
    `${POSTURE_LABELS[c.state]} at ${e.post.name} (${e.post.city}, ${e.countryName}).`,
    `Staff: ${SCOPE_LABEL[c.departure.staff]}; family members: ${SCOPE_LABEL[c.departure.family]}.`,
    `Citizen services ${onOff(c.services.citizenServices, 'available', 'suspended')}; visas ${onOff(c.services.visas, 'available', 'suspended')}; walk-in ${onOff(c.services.walkIn, 'open', 'closed')}.`,
  ];
  if (e.delegateName && !c.services.citizenServices)
    parts.push(`Citizen services are provided by ${e.delegateName}.`);
  if (c.reviewBy) parts.push(`Next review by ${c.reviewBy}.`);
  return parts.join(' ');
}

/**
 * Atom 1.0 feed of posture changes, newest first: a pure function of its input, so the output is
 * tested against a golden file. Text constructs are type="text" (escaped), never HTML, so a
 * statement cannot inject markup into a reader.
 */
export function postureAtom(entries: readonly PostureFeedEntry[], o: PostureFeedOptions): string {
  const base = o.baseUrl.replace(/\/+$/, '');
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    '  <id>urn:warden:feed:post-posture</id>',
    text('title', o.title ?? 'Warden: post posture changes', '  '),
    `  <updated>${xmlEscape(o.updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(o.selfUrl)}"/>`,
    `  <link rel="alternate" type="application/json" href="${xmlEscape(`${base}/api/public/posts`)}"/>`,
    '  <author><name>Warden</name></author>',
    '  <generator>Warden</generator>',
  ];
  for (const e of entries) {
    const c = e.change;
    const link = `${base}/api/public/posts?country=${encodeURIComponent(e.post.country)}#${encodeURIComponent(e.post.id)}`;
    lines.push(
      '  <entry>',
      `    <id>urn:warden:posture-change:${xmlEscape(c.id)}</id>`,
      text('title', `${e.post.name} (${e.countryName}): ${POSTURE_LABELS[c.state].toLowerCase()}`, '    '),
      `    <updated>${xmlEscape(c.effectiveAt)}</updated>`,
      `    <published>${xmlEscape(c.effectiveAt)}</published>`,
      `    <link rel="alternate" type="application/json" href="${xmlEscape(link)}"/>`,
      `    <category term="${xmlEscape(c.state)}" label="${xmlEscape(POSTURE_LABELS[c.state])}"/>`,
      `    <category term="country:${xmlEscape(e.post.country)}"/>`,
    );
    if (c.statement) lines.push(`    <author><name>${xmlEscape(c.statement.by)}</name></author>`);
    lines.push(text('summary', postureSummary(e), '    '));
    if (c.statement) lines.push(text('content', c.statement.text, '    '));
    lines.push('  </entry>');
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
