import type * as GeoJSON from 'geojson';
import { LEVEL_COLORS, LEVEL_LABELS, type Level } from '../../domain/advisories/levels.ts';
import type { CurrentAdvisory } from '../../domain/advisories/review.ts';
import type { AreaGeometry } from '../../domain/geo/index.ts';

export interface GeoJsonAdvisoriesInput {
  readonly advisories: readonly CurrentAdvisory[];
  countryName(code: string): string;
  countryGeometry(code: string): AreaGeometry | undefined;
  regionGeometry(code: string): AreaGeometry | undefined;
}

export interface AdvisoryFeatureProperties {
  readonly kind: 'country' | 'zone';
  readonly country: string;
  readonly name: string;
  readonly zone: string | null;
  readonly level: Level;
  readonly levelLabel: string;
  readonly color: string;
  readonly indicators: readonly string[];
  readonly regions: readonly string[];
  readonly edition: number | null;
  readonly updated: string | null;
}

const polygonsOf = (g: AreaGeometry): GeoJSON.Position[][][] =>
  g.type === 'Polygon' ? [g.coordinates] : g.coordinates;

/** Region outlines and a drawn area as one geometry (overlaps are harmless when painting). */
function combine(parts: readonly AreaGeometry[]): AreaGeometry | null {
  const polygons = parts.flatMap(polygonsOf);
  if (polygons.length === 0) return null;
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0]! }
    : { type: 'MultiPolygon', coordinates: polygons };
}

/**
 * One feature per country with a current advisory and one per regional zone, countries first so
 * that a map drawing in order paints zones on top. Properties carry the level, its label and
 * colour, and the indicators: enough to colour and label a map without another request.
 */
export function advisoriesGeoJSON(
  input: GeoJsonAdvisoriesInput,
): GeoJSON.FeatureCollection<AreaGeometry, AdvisoryFeatureProperties> {
  const countries: GeoJSON.Feature<AreaGeometry, AdvisoryFeatureProperties>[] = [];
  const zones: GeoJSON.Feature<AreaGeometry, AdvisoryFeatureProperties>[] = [];
  for (const a of input.advisories) {
    const e = a.edition;
    const base = {
      country: e.country,
      name: input.countryName(e.country),
      edition: e.number,
      updated: e.publishedAt,
    };
    const geometry = input.countryGeometry(e.country);
    if (geometry) {
      countries.push({
        type: 'Feature',
        id: e.country,
        properties: {
          ...base,
          kind: 'country',
          zone: null,
          level: e.level,
          levelLabel: LEVEL_LABELS[e.level],
          color: LEVEL_COLORS[e.level],
          indicators: e.indicators,
          regions: [],
        },
        geometry,
      });
    }
    e.zones.forEach((z, i) => {
      const parts = z.regions.flatMap((r) => input.regionGeometry(r) ?? []);
      const zoneGeometry = combine(z.geometry ? [...parts, z.geometry] : parts);
      if (!zoneGeometry) return;
      zones.push({
        type: 'Feature',
        id: `${e.country}-zone-${i + 1}`,
        properties: {
          ...base,
          kind: 'zone',
          zone: z.name,
          level: z.level,
          levelLabel: LEVEL_LABELS[z.level],
          color: LEVEL_COLORS[z.level],
          indicators: z.indicators,
          regions: z.regions,
        },
        geometry: zoneGeometry,
      });
    });
  }
  return { type: 'FeatureCollection', features: [...countries, ...zones] };
}
