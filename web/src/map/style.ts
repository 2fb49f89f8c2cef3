import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import { LEVEL_COLORS, LEVELS } from '../../../src/domain/advisories/levels.ts';

// A deliberately quiet palette: the map is the backdrop for incidents and people, so the basemap
// should never compete with them for attention. Advisory levels are painted translucent over it.
export const COLORS = {
  sea: '#d4e1ea',
  land: '#f7f6f2',
  landHover: '#e8eef4',
  landSelected: '#dbe7f3',
  border: '#98a4b1',
  selectedBorder: '#1f5fa8',
  region: '#6c7f92',
  regionSelected: '#1f5fa8',
} as const;

export const SOURCES = { countries: 'countries', regions: 'regions', zones: 'advisory-zones' } as const;

export const LAYERS = {
  countriesFill: 'countries-fill',
  advisoryFill: 'advisory-fill',
  countriesBorder: 'countries-border',
  countrySelected: 'country-selected',
  regionsLine: 'regions-line',
  regionSelected: 'region-selected',
  zonesHatch: 'advisory-zones-hatch',
  zonesLine: 'advisory-zones-line',
} as const;

export const ADVISORY_OPACITY = 0.55;

function emptyCollection(): FeatureCollection {
  return { type: 'FeatureCollection', features: [] };
}

/** Matches nothing, so highlight layers start hidden until something is selected. */
export function codeFilter(code: string | null): ['==', ['get', string], string] {
  return ['==', ['get', 'code'], code ?? '\u0000none'];
}

/**
 * Paint colour by advisory level: one arm per level of the domain's table (the same table the
 * public GeoJSON feed writes into each feature's `color`), the fallback for features without one.
 */
export function levelColor(level: ExpressionSpecification, fallback: string): ExpressionSpecification {
  return [
    'match',
    level,
    ...LEVELS.flatMap((l) => [l, LEVEL_COLORS[l]]),
    fallback,
  ] as ExpressionSpecification;
}

/** The hatch image name of a level; images are made at run time (no sprites offline). */
export const hatchImage = (level: number) => `hatch-${level}`;

/**
 * Diagonal stripes in a level's colour on transparent ground: regional zones read as "a different
 * level here" over the country's flat fill, in colour or in greyscale print.
 */
export function hatchPattern(color: string, size = 12): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  const r = Number.parseInt(color.slice(1, 3), 16);
  const g = Number.parseInt(color.slice(3, 5), 16);
  const b = Number.parseInt(color.slice(5, 7), 16);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Distance to the nearest stripe along the anti-diagonal; 3 px wide stripes, tiling seamlessly.
      const d = (x + y) % size;
      const on = d < 3;
      const i = (y * size + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = on ? 230 : 0;
    }
  }
  return { width: size, height: size, data };
}

/**
 * Fully offline style: no tiles, glyphs or sprites, so the map works on an air-gapped network.
 * Names are rendered in HTML (hover label, panel) because symbol layers would need glyphs.
 */
export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {
      [SOURCES.countries]: { type: 'geojson', data: emptyCollection(), promoteId: 'code' },
      [SOURCES.regions]: { type: 'geojson', data: emptyCollection(), promoteId: 'code' },
      [SOURCES.zones]: { type: 'geojson', data: emptyCollection() },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': COLORS.sea } },
      {
        id: LAYERS.countriesFill,
        type: 'fill',
        source: SOURCES.countries,
        paint: {
          'fill-color': [
            'case',
            ['boolean', ['feature-state', 'selected'], false],
            COLORS.landSelected,
            ['boolean', ['feature-state', 'hover'], false],
            COLORS.landHover,
            COLORS.land,
          ],
        },
      },
      {
        // The national advisory level, set per country as feature state from /geo/advisories.geojson.
        id: LAYERS.advisoryFill,
        type: 'fill',
        source: SOURCES.countries,
        paint: {
          'fill-color': levelColor(['coalesce', ['feature-state', 'level'], 0], COLORS.land),
          'fill-opacity': [
            'case',
            ['==', ['coalesce', ['feature-state', 'level'], 0], 0],
            0,
            ['boolean', ['feature-state', 'hover'], false],
            ADVISORY_OPACITY + 0.15,
            ADVISORY_OPACITY,
          ],
        },
      },
      {
        id: LAYERS.zonesHatch,
        type: 'fill',
        source: SOURCES.zones,
        paint: {
          'fill-pattern': ['concat', 'hatch-', ['to-string', ['get', 'level']]],
          'fill-opacity': 0.9,
        },
      },
      {
        id: LAYERS.regionsLine,
        type: 'line',
        source: SOURCES.regions,
        paint: {
          'line-color': COLORS.region,
          'line-width': ['interpolate', ['linear'], ['zoom'], 3, 0.6, 8, 1.4],
          'line-dasharray': [3, 2],
        },
      },
      {
        id: LAYERS.countriesBorder,
        type: 'line',
        source: SOURCES.countries,
        paint: {
          'line-color': COLORS.border,
          'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.5, 6, 1.2, 10, 2],
        },
      },
      {
        id: LAYERS.zonesLine,
        type: 'line',
        source: SOURCES.zones,
        paint: {
          'line-color': levelColor(['get', 'level'], COLORS.border),
          'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1.5, 8, 2.5],
        },
      },
      {
        id: LAYERS.regionSelected,
        type: 'line',
        source: SOURCES.regions,
        filter: codeFilter(null),
        paint: { 'line-color': COLORS.regionSelected, 'line-width': 2 },
      },
      {
        id: LAYERS.countrySelected,
        type: 'line',
        source: SOURCES.countries,
        filter: codeFilter(null),
        paint: { 'line-color': COLORS.selectedBorder, 'line-width': 2.5 },
      },
    ],
  };
}
