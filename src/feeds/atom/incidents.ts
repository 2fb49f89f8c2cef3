import { whenText } from '../../domain/incidents/alert-seed.ts';
import { subTypeLabel, typeLabel } from '../../domain/incidents/taxonomy.ts';
import type { IncidentView } from '../../domain/incidents/types.ts';
import { xmlEscape } from '../xml.ts';

export interface IncidentFeedOptions {
  /** Absolute URL of the feed itself (link rel=self). */
  readonly selfUrl: string;
  /** Absolute base URL of the installation, for entry links. */
  readonly baseUrl: string;
  /** When the feed was built (used when it has no entries). */
  readonly now: string;
  readonly countryNames: ReadonlyMap<string, string>;
  readonly regionNames: ReadonlyMap<string, string>;
  readonly postNames: ReadonlyMap<string, string>;
}

const text = (tag: string, value: string, indent: string) =>
  `${indent}<${tag} type="text">${xmlEscape(value)}</${tag}>`;

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function incidentSummary(i: IncidentView, o: IncidentFeedOptions): string {
  const where = [
    i.location.place,
    i.region ? (o.regionNames.get(i.region) ?? i.region) : null,
    o.countryNames.get(i.country) ?? i.country,
  ].filter((x): x is string => !!x);
  const parts = [
    `${whenText(i)}: ${subTypeLabel(i.type, i.subType)} (${typeLabel(i.type)}) in ${[...new Set(where)].join(', ')} (location ${i.location.precision}).`,
  ];
  if (i.fatalities !== null || i.injuries !== null) {
    const c: string[] = [];
    if (i.fatalities !== null) c.push(count(i.fatalities, 'fatality', 'fatalities'));
    if (i.injuries !== null) c.push(count(i.injuries, 'injury', 'injuries'));
    parts.push(`${c.join(', ')}.`);
  }
  if (i.actors.length) {
    parts.push(`Actors: ${i.actors.map((a) => `${a.name} (${a.role}, ${a.confidence})`).join('; ')}.`);
  }
  const target = i.target.postId ? (o.postNames.get(i.target.postId) ?? i.target.text) : i.target.text;
  if (target) parts.push(`Target: ${target}.`);
  if (i.posts.length) {
    parts.push(
      `Near ${i.posts.map((p) => `${o.postNames.get(p.postId) ?? p.postId} (${p.distanceKm.toFixed(1)} km)`).join(', ')}.`,
    );
  }
  if (i.sources.length) parts.push(`Sources: ${i.sources.join('; ')}.`);
  return parts.join(' ');
}

/**
 * Atom 1.0 feed of incidents for staff (the route requires sign-in or an API token), newest
 * first: a pure function of its input. Text constructs are type="text", so nothing in a source's
 * notes can inject markup into a reader.
 */
export function incidentsAtom(incidents: readonly IncidentView[], o: IncidentFeedOptions): string {
  const base = o.baseUrl.replace(/\/+$/, '');
  // ISO times sort as text: the newest change is the last.
  const updated =
    incidents
      .map((i) => i.updatedAt)
      .sort()
      .at(-1) ?? o.now;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    '  <id>urn:warden:feed:incidents</id>',
    text('title', 'Warden: incidents', '  '),
    `  <updated>${xmlEscape(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(o.selfUrl)}"/>`,
    `  <link rel="alternate" type="application/geo+json" href="${xmlEscape(`${base}/api/incidents.geojson`)}"/>`,
    '  <author><name>Warden</name></author>',
    '  <generator>Warden</generator>',
  ];
  for (const i of incidents) {
    const country = o.countryNames.get(i.country) ?? i.country;
    const title = `${subTypeLabel(i.type, i.subType)}: ${i.location.place ?? country} (${country})`;
    lines.push(
      '  <entry>',
      `    <id>urn:warden:incident:${xmlEscape(i.id)}</id>`,
      text('title', title, '    '),
      `    <updated>${xmlEscape(i.updatedAt)}</updated>`,
      `    <published>${xmlEscape(i.occurredAt)}</published>`,
      `    <link rel="alternate" type="application/json" href="${xmlEscape(`${base}/api/incidents/${encodeURIComponent(i.id)}`)}"/>`,
      `    <category term="${xmlEscape(i.type)}" label="${xmlEscape(typeLabel(i.type))}"/>`,
      `    <category term="${xmlEscape(i.subType)}" label="${xmlEscape(subTypeLabel(i.type, i.subType))}"/>`,
      `    <category term="country:${xmlEscape(i.country)}" label="${xmlEscape(country)}"/>`,
      `    <georss:point xmlns:georss="http://www.georss.org/georss">${i.location.lat} ${i.location.lon}</georss:point>`,
      text('summary', incidentSummary(i, o), '    '),
    );
    if (i.notes) lines.push(text('content', i.notes, '    '));
    lines.push('  </entry>');
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
