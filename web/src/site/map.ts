import type { FeatureCollection } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import { maplibregl } from '../map/maplibre.ts';
import { ADVISORY_OPACITY, COLORS, levelColor } from '../map/style.ts';

// The public map: the offline basemap the console draws (country shapes from /api/geo, no tile
// server) with every advisory and regional zone in the domain's level colours. It only repeats
// what the page says in text, so it is hidden from assistive technology.

async function json(url: string): Promise<FeatureCollection> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as FeatureCollection;
}

export async function mountMap(el: HTMLElement): Promise<void> {
  const [countries, advisories] = await Promise.all([
    json('/api/geo/countries.geojson'),
    json('/geo/advisories.geojson'),
  ]);
  el.setAttribute('aria-hidden', 'true');
  const style: StyleSpecification = {
    version: 8,
    sources: {
      countries: { type: 'geojson', data: countries },
      advisories: { type: 'geojson', data: advisories },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': COLORS.sea } },
      { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': COLORS.land } },
      {
        id: 'levels',
        type: 'fill',
        source: 'advisories',
        paint: {
          'fill-color': levelColor(['get', 'level'], COLORS.land),
          'fill-opacity': ADVISORY_OPACITY + 0.2,
        },
      },
      {
        id: 'zones-line',
        type: 'line',
        source: 'advisories',
        filter: ['==', ['get', 'kind'], 'zone'],
        paint: { 'line-color': '#1c2733', 'line-width': 1.5, 'line-dasharray': [2, 1] },
      },
      {
        id: 'borders',
        type: 'line',
        source: 'countries',
        paint: { 'line-color': COLORS.border, 'line-width': 0.6 },
      },
    ],
  };
  const map = new maplibregl.Map({
    container: el,
    style,
    center: [20, 20],
    zoom: 1,
    attributionControl: false,
    keyboard: false,
    dragRotate: false,
  });
  map.getCanvas().setAttribute('tabindex', '-1');
  const code = el.dataset.country;
  const country = code && countries.features.find((f) => f.properties?.code === code);
  if (country && country.geometry.type !== 'GeometryCollection') {
    const bounds = new maplibregl.LngLatBounds();
    const add = (c: unknown): void => {
      if (Array.isArray(c) && typeof c[0] === 'number') bounds.extend(c as [number, number]);
      else if (Array.isArray(c)) for (const x of c) add(x);
    };
    add(country.geometry.coordinates);
    map.fitBounds(bounds, { padding: 20, animate: false });
  }
  map.on('load', () => {
    el.dataset.ready = 'true';
  });
}
