import { Feed } from 'feed';
import type { Edition } from '../../domain/advisories/edition.ts';
import { INDICATORS, LEVEL_LABELS } from '../../domain/advisories/levels.ts';
import { escapeHtml, renderMarkdown } from '../../domain/advisories/markdown.ts';

export interface AtomAdvisoriesInput {
  /** The public base URL, e.g. https://warden.example.org (no trailing slash). */
  readonly baseUrl: string;
  /** Published editions (current and archived), newest first. */
  readonly editions: readonly Edition[];
  countryName(code: string): string;
  /** Feed time when there are no entries (otherwise the newest publication). */
  readonly emptyUpdated: Date;
}

export const FEED_ID = 'urn:warden:feed:advisories';
export const entryId = (editionId: string): string => `urn:warden:advisory-edition:${editionId}`;

// XML 1.0 cannot carry these at all, not even escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
const xmlSafe = (s: string): string => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
const html = (s: string): string => escapeHtml(xmlSafe(s));

function content(e: Edition): string {
  const indicators = e.indicators.map((c) => `${INDICATORS[c]} (${c})`).join(', ');
  const zones = e.zones.map(
    (z) =>
      `<li><strong>${html(z.name)}</strong>: Level ${z.level}, ${html(LEVEL_LABELS[z.level])}${
        z.indicators.length ? ` (${z.indicators.join(', ')})` : ''
      }</li>`,
  );
  return (
    [
      `<p><strong>Level ${e.level}: ${html(LEVEL_LABELS[e.level])}</strong>${indicators ? `. Risk indicators: ${html(indicators)}` : ''}</p>`,
      e.changeNote ? `<p><em>What changed:</em> ${html(e.changeNote)}</p>` : '',
      zones.length ? `<p>Regional levels:</p><ul>${zones.join('')}</ul>` : '',
      renderMarkdown(xmlSafe(e.body)),
    ]
      .join('\n')
      // The writer wraps content in CDATA, which this sequence would end early.
      .replaceAll(']]>', ']]&gt;')
  );
}

/**
 * Atom 1.0 feed of advisory editions: one entry per published edition, newest first, with an id
 * that never changes (urn:warden:advisory-edition:<id>) so readers never see an edition twice.
 * Pure: the same editions give the same bytes.
 */
export function advisoriesAtom(input: AtomAdvisoriesInput): string {
  const newest = input.editions[0]?.publishedAt;
  const feed = new Feed({
    id: FEED_ID,
    title: 'Travel advisories',
    description: 'Every published travel advisory edition, newest first.',
    updated: newest ? new Date(newest) : input.emptyUpdated,
    generator: 'Warden',
    link: `${input.baseUrl}/api/public/advisories`,
    feed: `${input.baseUrl}/feeds/advisories.atom`,
    author: { name: 'Warden', link: input.baseUrl },
  });
  for (const e of input.editions) {
    const name = input.countryName(e.country);
    const title = `${name}: Level ${e.level}, ${LEVEL_LABELS[e.level]}${e.minor ? ' (minor update)' : ''}`;
    feed.addItem({
      id: entryId(e.id),
      title: html(title),
      link: `${input.baseUrl}/api/public/advisories/${e.country}`,
      date: new Date(e.publishedAt!),
      published: new Date(e.publishedAt!),
      description: html(e.summary),
      content: content(e),
      category: [
        {
          term: `level-${e.level}`,
          name: `Level ${e.level}: ${LEVEL_LABELS[e.level]}`,
          scheme: 'urn:warden:advisory-level',
        },
        ...e.indicators.map((c) => ({
          term: c,
          name: INDICATORS[c],
          scheme: 'urn:warden:advisory-indicator',
        })),
        { term: e.country, name, scheme: 'urn:iso:std:iso:3166:-1:alpha-2' },
      ],
    });
  }
  return feed.atom1();
}
