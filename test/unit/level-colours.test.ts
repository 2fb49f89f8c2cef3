import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Edition } from '../../src/domain/advisories/edition.ts';
import { LEVEL_COLORS, LEVELS, type Level } from '../../src/domain/advisories/levels.ts';
import { currentAdvisory } from '../../src/domain/advisories/review.ts';
import { advisoriesGeoJSON } from '../../src/feeds/geojson/advisories.ts';
import { LAYERS, offlineStyle } from '../../web/src/map/style.ts';
import { levelColourProperties } from '../../web/src/ui/levelColours.ts';

// The staff map and the public GeoJSON feed once painted level 4 in two different reds, because
// the console kept its own copy of the colour table. Both must come from src/domain's table.

const box = (x: number, y: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + 1, y],
      [x + 1, y + 1],
      [x, y],
    ],
  ],
});

/** One published edition per level, each with one regional zone of the same level. */
function editionAt(level: Level): Edition {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id: `e-${level}`,
    country: `C${level}`,
    number: 1,
    status: 'published',
    level,
    indicators: [],
    summary: `Level ${level}`,
    body: '',
    zones: [
      { name: `Zone ${level}`, level, indicators: [], regions: [], geometry: box(level, 10), text: '' },
    ],
    changeNote: null,
    minor: false,
    nextReviewDue: null,
    baseEditionId: null,
    createdBy: null,
    updatedBy: null,
    publishedBy: null,
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
    archivedAt: null,
  };
}

/** The colour of each level from the public feed's features (countries and zones alike). */
function feedColours(): Map<string, Set<string>> {
  const fc = advisoriesGeoJSON({
    advisories: LEVELS.map((l) => currentAdvisory(editionAt(l), [])),
    countryName: (c) => c,
    countryGeometry: (c) => box(Number(c.slice(1)), 0),
    regionGeometry: () => undefined,
  });
  const out = new Map<string, Set<string>>();
  for (const f of fc.features) {
    const key = String(f.properties.level);
    out.set(key, (out.get(key) ?? new Set()).add(f.properties.color));
  }
  return out;
}

/** level -> colour of a MapLibre ['match', input, 1, c1, 2, c2, …, fallback] expression. */
function matchArms(expression: unknown): Map<string, string> {
  if (!Array.isArray(expression) || expression[0] !== 'match') throw new Error('not a match expression');
  const arms = expression.slice(2, -1);
  const out = new Map<string, string>();
  for (let i = 0; i < arms.length; i += 2) out.set(String(arms[i]), String(arms[i + 1]));
  return out;
}

function layerPaint(id: string, property: string): unknown {
  const layer = offlineStyle().layers.find((l) => l.id === id);
  if (!layer || !('paint' in layer) || !layer.paint) throw new Error(`no layer ${id}`);
  return (layer.paint as Record<string, unknown>)[property];
}

describe('advisory level colours', () => {
  const table = new Map(LEVELS.map((l) => [String(l), LEVEL_COLORS[l]]));

  it('the staff map fills countries and outlines zones with the domain table', () => {
    expect(matchArms(layerPaint(LAYERS.advisoryFill, 'fill-color'))).toEqual(table);
    expect(matchArms(layerPaint(LAYERS.zonesLine, 'line-color'))).toEqual(table);
  });

  it('the public GeoJSON feed gives every feature the same colour for its level', () => {
    const feed = feedColours();
    expect([...feed.keys()].sort()).toEqual(LEVELS.map(String));
    for (const [level, colours] of feed) expect([...colours]).toEqual([table.get(level)]);
  });

  it('the staff map and the public feed agree level by level, and the four colours differ', () => {
    const map = matchArms(layerPaint(LAYERS.advisoryFill, 'fill-color'));
    const feed = feedColours();
    for (const l of LEVELS) expect(map.get(String(l))).toBe([...(feed.get(String(l)) ?? [])][0]);
    expect(new Set(map.values()).size).toBe(LEVELS.length);
  });

  it('the console stylesheets get the colours as CSS variables from the same table', () => {
    const props = levelColourProperties();
    for (const l of LEVELS) expect(props[`--level-${l}`]).toBe(LEVEL_COLORS[l]);
  });

  it('no console source writes a level colour down again', () => {
    const root = path.join(import.meta.dirname, '../../web/src');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(ts|tsx|css)$/.test(f),
    );
    // The table's colours, and the red the console's old copy painted level 4 with.
    const copies = [...Object.values(LEVEL_COLORS), '#8e1518'].map((c) => c.toLowerCase());
    const found = files.flatMap((f) => {
      const text = readFileSync(path.join(root, f), 'utf8').toLowerCase();
      return copies.filter((c) => text.includes(c)).map((c) => `${f}: ${c}`);
    });
    expect(found).toEqual([]);
  });
});
