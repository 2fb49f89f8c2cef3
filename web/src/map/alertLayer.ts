import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect } from 'react';
import type { AlertContent } from '../../../src/domain/alerts/types.ts';
import { apiJson } from '../app/api.ts';

// Alert areas on the main map: the drawn polygons and circles of the public alerts in force now
// (regions and whole countries are left to the advisory layers). Drills in purple, real alerts
// in red.

export const ALERT_SOURCE = 'alert-areas';
const FILL = 'alert-areas-fill';
const LINE = 'alert-areas-line';

interface PublicAlertLite {
  id: string;
  content: AlertContent;
}

/** A circle as a 64-sided polygon (equirectangular around its centre: fine at alert sizes). */
function circlePolygon(lat: number, lon: number, km: number): Polygon {
  const ring: Position[] = [];
  const dLat = km / 111.32;
  const dLon = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  for (let i = 0; i <= 64; i++) {
    const a = (i / 64) * 2 * Math.PI;
    ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

export function alertAreasGeoJSON(alerts: readonly PublicAlertLite[]): FeatureCollection {
  const features: Feature[] = [];
  for (const a of alerts) {
    const properties = {
      id: a.id,
      drill: a.content.status !== 'Actual',
      headline: a.content.texts.en.headline,
    };
    for (const g of a.content.area.polygons) features.push({ type: 'Feature', geometry: g, properties });
    for (const c of a.content.area.circles)
      features.push({ type: 'Feature', geometry: circlePolygon(c.lat, c.lon, c.radiusKm), properties });
  }
  return { type: 'FeatureCollection', features };
}

function addLayers(map: MlMap, data: FeatureCollection): void {
  const existing = map.getSource(ALERT_SOURCE) as GeoJSONSource | undefined;
  if (existing) {
    existing.setData(data);
    return;
  }
  map.addSource(ALERT_SOURCE, { type: 'geojson', data });
  const colour = ['case', ['get', 'drill'], '#6a3d9a', '#c0392b'] as unknown as string;
  map.addLayer({
    id: FILL,
    type: 'fill',
    source: ALERT_SOURCE,
    paint: { 'fill-color': colour, 'fill-opacity': 0.25 },
  });
  map.addLayer({
    id: LINE,
    type: 'line',
    source: ALERT_SOURCE,
    paint: { 'line-color': colour, 'line-width': 2 },
  });
}

/** Keeps the alert-area layer on `map` (refreshed every minute). */
export function useAlertLayer(map: MlMap | null): void {
  useEffect(() => {
    if (!map) return;
    const controller = new AbortController();
    const load = () =>
      apiJson<{ alerts: PublicAlertLite[] }>('/api/public/alerts?at=now', { signal: controller.signal }).then(
        (r) => addLayers(map, alertAreasGeoJSON(r.alerts)),
        () => undefined,
      );
    void load();
    const timer = setInterval(load, 60_000);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [map]);
}
