import { describe, expect, it } from 'vitest';
import { diffEditions } from '../../src/domain/advisories/diff.ts';
import type { Edition } from '../../src/domain/advisories/edition.ts';
import { validateZoneGeometry } from '../../src/domain/advisories/geometry.ts';
import {
  addMonthsUtc,
  defaultNextReview,
  parseIndicators,
  parseLevel,
} from '../../src/domain/advisories/levels.ts';
import { isSafeUrl, renderMarkdown } from '../../src/domain/advisories/markdown.ts';
import { currentAdvisory, type Review } from '../../src/domain/advisories/review.ts';
import { WardenError } from '../../src/domain/errors.ts';

const codeOf = (fn: () => unknown): { code: string; details: Record<string, unknown> } => {
  try {
    fn();
  } catch (e) {
    if (e instanceof WardenError) return { code: e.code, details: e.details };
    throw e;
  }
  throw new Error('expected a WardenError');
};

const edition = (over: Partial<Edition> = {}): Edition => ({
  id: 'e1',
  country: 'IQ',
  number: 1,
  status: 'published',
  level: 4,
  indicators: ['T'],
  summary: 'Summary',
  body: 'Body',
  zones: [],
  changeNote: 'n',
  minor: false,
  nextReviewDue: '2026-07-01T00:00:00.000Z',
  baseEditionId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: null,
  publishedAt: '2026-01-01T00:00:00.000Z',
  publishedBy: null,
  archivedAt: null,
  ...over,
});

const square = (x: number, y: number, d = 1) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

describe('advisory levels and review dates', () => {
  it('adds calendar months in UTC and clamps the day', () => {
    expect(addMonthsUtc(new Date('2026-08-31T10:00:00Z'), 6).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(addMonthsUtc(new Date('2027-08-31T10:00:00Z'), 6).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addMonthsUtc(new Date('2026-01-15T00:00:00Z'), 12).toISOString()).toBe('2027-01-15T00:00:00.000Z');
  });

  it('reviews levels 1-2 after 12 months and levels 3-4 after 6', () => {
    const t = new Date('2026-03-10T00:00:00Z');
    expect(defaultNextReview(1, t).toISOString()).toBe('2027-03-10T00:00:00.000Z');
    expect(defaultNextReview(2, t).toISOString()).toBe('2027-03-10T00:00:00.000Z');
    expect(defaultNextReview(3, t).toISOString()).toBe('2026-09-10T00:00:00.000Z');
    expect(defaultNextReview(4, t).toISOString()).toBe('2026-09-10T00:00:00.000Z');
  });

  it('normalises indicators and refuses unknown ones and levels outside 1-4', () => {
    expect(parseIndicators(['k', 'T', 't', 'U'], 'indicators')).toEqual(['T', 'U', 'K']);
    expect(codeOf(() => parseIndicators(['T', 'X', 'Z'], 'indicators'))).toMatchObject({
      code: 'unknown_indicator',
      details: { field: 'indicators', invalid: ['X', 'Z'] },
    });
    expect(codeOf(() => parseLevel(5, 'level')).code).toBe('validation_failed');
    expect(codeOf(() => parseLevel(0, 'level')).code).toBe('validation_failed');
    expect(parseLevel(3, 'level')).toBe(3);
  });
});

describe('zone geometry', () => {
  it('accepts polygons with holes and multipolygons, and drops foreign members', () => {
    const withHole = {
      type: 'Polygon',
      coordinates: [
        square(40, 30, 4).coordinates[0],
        [
          [41, 31],
          [41, 32],
          [42, 32],
          [42, 31],
          [41, 31],
        ],
      ],
      bbox: [40, 30, 44, 34],
    };
    expect(validateZoneGeometry(withHole, 'g')).toEqual({
      type: 'Polygon',
      coordinates: withHole.coordinates,
    });
    const multi = {
      type: 'MultiPolygon',
      coordinates: [square(40, 30).coordinates, square(43, 30).coordinates],
    };
    expect(validateZoneGeometry(multi, 'g').type).toBe('MultiPolygon');
  });

  it('refuses crossing outlines, too many points and zones outside the country', () => {
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    expect(codeOf(() => validateZoneGeometry(bowtie, 'g'))).toMatchObject({
      code: 'invalid_geometry',
      details: { field: 'g', reason: 'self_intersection', points: [[0.5, 0.5]] },
    });
    // Two parts of a MultiPolygon that cross each other are a self-intersection too.
    const crossing = {
      type: 'MultiPolygon',
      coordinates: [square(0, 0, 2).coordinates, square(1, 1, 2).coordinates],
    };
    expect(codeOf(() => validateZoneGeometry(crossing, 'g')).details.reason).toBe('self_intersection');
    const circle = Array.from({ length: 6000 }, (_, i) => [
      Math.cos((i / 6000) * 2 * Math.PI),
      Math.sin((i / 6000) * 2 * Math.PI),
    ]);
    circle.push(circle[0]!);
    expect(
      codeOf(() => validateZoneGeometry({ type: 'Polygon', coordinates: [circle] }, 'g')).details.reason,
    ).toBe('too_many_positions');
    expect(codeOf(() => validateZoneGeometry(square(2, 48), 'g', square(40, 30, 5))).details.reason).toBe(
      'outside_country',
    );
    expect(validateZoneGeometry(square(41, 31), 'g', square(40, 30, 5)).type).toBe('Polygon');
  });
});

describe('safe Markdown', () => {
  it('keeps formatting and safe links but never raw HTML or script URLs', () => {
    const html = renderMarkdown(
      '# Title\n\n<iframe src="https://evil"></iframe>\n\nText <b onmouseover="x()">bold</b> [a](javascript:alert(1)) [b](JAVA\nSCRIPT:x) [c](data:text/html,x) [d](https://ok.example/) [e](/relative) [f](mailto:help@example.org)\n\n![i](javascript:x)',
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).not.toMatch(/<iframe|<b |javascript:|data:text|href="JAVA/i);
    expect(html).toContain('&lt;iframe');
    expect(html).toContain('<a href="https://ok.example/">d</a>');
    expect(html).toContain('<a href="/relative">e</a>');
    expect(html).toContain('<a href="mailto:help@example.org">f</a>');
  });

  it('judges URLs by their scheme after removing what browsers ignore', () => {
    expect(isSafeUrl('https://x.org')).toBe(true);
    expect(isSafeUrl('#top')).toBe(true);
    expect(isSafeUrl(' javascript:alert(1)')).toBe(false);
    expect(isSafeUrl('java\tscript:alert(1)')).toBe(false);
    expect(isSafeUrl('vbscript:x')).toBe(false);
  });
});

describe('edition diff and review state', () => {
  it('reports level, indicator and zone changes, including a redrawn zone', () => {
    const a = edition({
      zones: [{ name: 'Zone', level: 3, indicators: ['T'], regions: [], geometry: square(44, 33), text: '' }],
    });
    const b = edition({
      id: 'e2',
      level: 3,
      indicators: ['T', 'K'],
      zones: [
        { name: 'ZONE', level: 2, indicators: ['T'], regions: [], geometry: square(44, 34), text: 'New' },
      ],
    });
    const d = diffEditions(a, b);
    expect(d.changed).toEqual(['level', 'indicators', 'zones']);
    expect(d.level).toEqual({ from: 4, to: 3 });
    expect(d.zones.changed).toEqual([
      expect.objectContaining({
        name: 'ZONE',
        fields: ['level', 'geometry', 'text'],
        level: { from: 3, to: 2 },
      }),
    ]);
    expect(diffEditions(a, a).changed).toEqual([]);
  });

  it('takes review dates from the newest review of the edition, else from publication', () => {
    const e = edition();
    expect(currentAdvisory(e, [])).toMatchObject({
      reviewedAt: e.publishedAt,
      nextReviewDue: e.nextReviewDue,
      lastReview: null,
    });
    const r = (id: string, at: string, edId = 'e1'): Review => ({
      id,
      country: 'IQ',
      editionId: edId,
      note: id,
      reviewedAt: at,
      reviewedBy: null,
      nextReviewDue: `${at.slice(0, 4)}-12-01T00:00:00.000Z`,
    });
    const c = currentAdvisory(e, [
      r('old', '2026-02-01T00:00:00.000Z'),
      r('new', '2026-03-01T00:00:00.000Z'),
      r('other', '2027-01-01T00:00:00.000Z', 'e0'),
    ]);
    expect(c.lastReview?.id).toBe('new');
    expect(c.reviewedAt).toBe('2026-03-01T00:00:00.000Z');
  });
});
