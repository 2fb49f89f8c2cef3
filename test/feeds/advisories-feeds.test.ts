import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { check } from '@placemarkio/check-geojson';
import { XMLParser } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import type { Edition } from '../../src/domain/advisories/edition.ts';
import { currentAdvisory } from '../../src/domain/advisories/review.ts';
import { advisoriesAtom } from '../../src/feeds/atom/advisories.ts';
import { advisoriesGeoJSON } from '../../src/feeds/geojson/advisories.ts';

/** Compares with the saved file; WARDEN_UPDATE_GOLDEN=1 rewrites it after a deliberate change. */
function golden(name: string, actual: string): void {
  const file = path.join(import.meta.dirname, name);
  if (process.env.WARDEN_UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const base = {
  baseEditionId: null,
  createdBy: 'user:1',
  updatedBy: 'user:1',
  publishedBy: 'user:1',
  minor: false,
  body: '',
  zones: [],
} as const;

const EDITIONS: Edition[] = [
  {
    ...base,
    id: 'e-iq-2',
    country: 'IQ',
    number: 2,
    status: 'published',
    level: 4,
    indicators: ['T', 'U', 'K'],
    summary: 'Do not travel to Iraq due to terrorism, kidnapping, armed conflict & civil unrest.',
    body: '## Terrorism\n\nAttacks <b>may</b> occur ]]> with little warning.\n\n[Embassy](https://iq.usembassy.gov/)',
    zones: [
      {
        name: 'Iraqi Kurdistan Region',
        level: 3,
        indicators: ['T', 'U', 'K'],
        regions: ['IQ-AR', 'IQ-DA'],
        geometry: null,
        text: '',
      },
      {
        name: 'Drawn area',
        level: 4,
        indicators: ['U'],
        regions: ['IQ-BA'],
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [47, 30],
              [48, 30],
              [48, 31],
              [47, 30],
            ],
          ],
        },
        text: '',
      },
    ],
    changeNote: 'Reissued after a review of the security situation.',
    nextReviewDue: '2018-12-01T00:00:00.000Z',
    createdAt: '2018-05-01T00:00:00.000Z',
    updatedAt: '2018-06-01T00:00:00.000Z',
    publishedAt: '2018-06-01T00:00:00.000Z',
    archivedAt: null,
  },
  {
    ...base,
    id: 'e-kw-1',
    country: 'KW',
    number: 1,
    status: 'published',
    level: 1,
    indicators: [],
    summary: 'Exercise normal precautions in Kuwait.',
    changeNote: null,
    minor: true,
    nextReviewDue: '2019-03-01T00:00:00.000Z',
    createdAt: '2018-03-01T00:00:00.000Z',
    updatedAt: '2018-03-01T00:00:00.000Z',
    publishedAt: '2018-03-01T00:00:00.000Z',
    archivedAt: null,
  },
  {
    ...base,
    id: 'e-iq-1',
    country: 'IQ',
    number: 1,
    status: 'archived',
    level: 4,
    indicators: ['T'],
    summary: 'Do not travel to Iraq.',
    changeNote: 'First edition.',
    nextReviewDue: '2018-07-10T00:00:00.000Z',
    createdAt: '2018-01-10T00:00:00.000Z',
    updatedAt: '2018-01-10T00:00:00.000Z',
    publishedAt: '2018-01-10T00:00:00.000Z',
    archivedAt: '2018-06-01T00:00:00.000Z',
  },
];

const NAMES: Record<string, string> = { IQ: 'Iraq', KW: 'Kuwait' };
const box = (x: number, y: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x, y],
      [x + 1, y],
      [x + 1, y + 1],
      [x, y + 1],
      [x, y],
    ],
  ],
});

describe('Atom feed of advisory editions', () => {
  const xml = advisoriesAtom({
    baseUrl: 'https://warden.example.org',
    editions: EDITIONS,
    countryName: (c) => NAMES[c] ?? c,
    emptyUpdated: new Date(0),
  });

  it('matches the golden file byte for byte', () => golden('advisories.atom', xml));

  it('is Atom 1.0 that a feed reader understands', async () => {
    const feed = await new Parser().parseString(xml);
    expect(feed.title).toBe('Travel advisories');
    expect(feed.feedUrl).toBe('https://warden.example.org/feeds/advisories.atom');
    expect(feed.items.map((i) => (i as { id?: string }).id)).toEqual([
      'urn:warden:advisory-edition:e-iq-2',
      'urn:warden:advisory-edition:e-kw-1',
      'urn:warden:advisory-edition:e-iq-1',
    ]);
    expect(feed.items[0]!.title).toBe('Iraq: Level 4, Do not travel');
    expect(feed.items[1]!.title).toBe('Kuwait: Level 1, Exercise normal precautions (minor update)');
    expect(feed.items[0]!.summary).toContain('armed conflict &amp; civil unrest');
  });

  it('has the required Atom elements and escapes what it carries', () => {
    const f = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (n) => ['entry', 'link'].includes(n),
    }).parse(xml).feed;
    expect(f).toMatchObject({
      id: 'urn:warden:feed:advisories',
      updated: '2018-06-01T00:00:00.000Z',
      author: { name: 'Warden' },
    });
    for (const e of f.entry) {
      expect(e.id).toBeTruthy();
      expect(e.updated).toMatch(/Z$/);
      expect(e.title).toBeTruthy();
      expect(e.link[0]['@href']).toMatch(
        /^https:\/\/warden\.example\.org\/api\/public\/advisories\/(IQ|KW)$/,
      );
    }
    const content = f.entry[0].content['#text'] as string;
    expect(content).toContain('&lt;b&gt;may&lt;/b&gt;');
    expect(content).toContain(']]&gt;');
    expect(content).toContain('Regional levels');
  });

  it('an empty feed is still valid and stable', () => {
    const empty = advisoriesAtom({
      baseUrl: 'https://w.example',
      editions: [],
      countryName: (c) => c,
      emptyUpdated: new Date(0),
    });
    expect(new XMLParser().parse(empty).feed.updated).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('GeoJSON layer of current advisories', () => {
  const current = EDITIONS.filter((e) => e.status === 'published').map((e) => currentAdvisory(e, []));
  const fc = advisoriesGeoJSON({
    advisories: current,
    countryName: (c) => NAMES[c] ?? c,
    countryGeometry: (c) => (c === 'IQ' ? box(44, 33) : c === 'KW' ? box(47, 29) : undefined),
    regionGeometry: (r) => ({ 'IQ-AR': box(44, 36), 'IQ-DA': box(43, 37), 'IQ-BA': box(47, 30) })[r],
  });
  const text = `${JSON.stringify(fc, null, 1)}\n`;

  it('matches the golden file', () => golden('advisories.geojson', text));

  it('is valid GeoJSON with the properties a map needs', () => {
    check(text);
    expect(
      fc.features.map((f) => [f.properties.kind, f.properties.country, f.properties.zone, f.geometry.type]),
    ).toEqual([
      ['country', 'IQ', null, 'Polygon'],
      ['country', 'KW', null, 'Polygon'],
      ['zone', 'IQ', 'Iraqi Kurdistan Region', 'MultiPolygon'],
      ['zone', 'IQ', 'Drawn area', 'MultiPolygon'],
    ]);
    expect(fc.features[2]!.properties).toMatchObject({
      level: 3,
      levelLabel: 'Reconsider travel',
      indicators: ['T', 'U', 'K'],
      color: '#ef8a2c',
    });
  });
});
