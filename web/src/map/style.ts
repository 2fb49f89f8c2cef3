import type { FeatureCollection } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';

// A deliberately quiet palette: the map is the backdrop for incidents and people, so the basemap
// should never compete with them for attention.
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

export const SOURCES = { countries: 'countries', regions: 'regions' } as const;

export const LAYERS = {
  countriesFill: 'countries-fill',
  countriesBorder: 'countries-border',
  countrySelected: 'country-selected',
  regionsLine: 'regions-line',
  regionSelected: 'region-selected',
} as const;

function emptyCollection(): FeatureCollection {
  return { type: 'FeatureCollection', features: [] };
}

/** Matches nothing, so highlight layers start hidden until something is selected. */
export function codeFilter(code: string | null): ['==', ['get', string], string] {
  return ['==', ['get', 'code'], code ?? '\u0000none'];
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
