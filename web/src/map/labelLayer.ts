import type { Position } from 'geojson';
import { useEffect, useState } from 'react';
import type { Static } from 'typebox';
import type { CityOut } from '../../../src/server/routes/geo/schema.ts';
import { apiJson } from '../app/api.ts';
import type { CountryCollection } from '../geo/client.ts';
import { maplibregl } from './maplibre.ts';

// Country and city names on the staff map, as HTML labels (issue 16). The style is offline and
// has no glyphs: symbol layers would need font PBFs generated at build time for every script the
// names use (Arabic, Persian, Cyrillic…), a build step and a few MB for something the browser
// already shapes and renders. With a few hundred labels at most, DOM markers placed after each
// move (greedy, by priority, no overlaps) cost little, and they are real text (selectable, read
// by screen readers, checked by the browser tests).

type City = Static<typeof CityOut>;

interface Candidate {
  key: string;
  text: string;
  kind: 'country' | 'city';
  at: [number, number];
  /** Smallest zoom to show at (cities by population), or the projected width the country needs. */
  minZoom: number;
  /** Countries: the largest polygon's bbox, to show the name only once the country is big enough. */
  bbox?: [number, number, number, number];
}

let cities: Promise<City[]> | null = null;
const loadCities = () => {
  cities ??= apiJson<{ cities: City[] }>('/api/geo/cities').then(
    (b) => b.cities,
    () => {
      cities = null;
      return [];
    },
  );
  return cities;
};

/** Zoom from which a city's name shows, by population. */
function cityZoom(population: number): number {
  if (population >= 5_000_000) return 3.5;
  if (population >= 2_000_000) return 4.5;
  if (population >= 1_000_000) return 5.5;
  return 6.5;
}

function ringBox(ring: Position[]): [number, number, number, number] {
  let [w, s, e, n] = [180, 90, -180, -90];
  for (const [x = 0, y = 0] of ring) {
    w = Math.min(w, x);
    s = Math.min(s, y);
    e = Math.max(e, x);
    n = Math.max(n, y);
  }
  return [w, s, e, n];
}

/** The country's name goes in the middle of its largest polygon's box. */
function countryCandidates(countries: CountryCollection): Candidate[] {
  const out: Candidate[] = [];
  for (const f of countries.features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    let best: [number, number, number, number] | null = null;
    for (const p of polygons) {
      const box = ringBox(p[0] ?? []);
      if (!best || (box[2] - box[0]) * (box[3] - box[1]) > (best[2] - best[0]) * (best[3] - best[1]))
        best = box;
    }
    if (!best) continue;
    out.push({
      key: `c:${f.properties.code}`,
      text: f.properties.name,
      kind: 'country',
      at: [(best[0] + best[2]) / 2, (best[1] + best[3]) / 2],
      minZoom: 0,
      bbox: best,
    });
  }
  // Larger countries first: they win a collision.
  return out.sort(
    (a, b) =>
      ((b.bbox?.[2] ?? 0) - (b.bbox?.[0] ?? 0)) * ((b.bbox?.[3] ?? 0) - (b.bbox?.[1] ?? 0)) -
      ((a.bbox?.[2] ?? 0) - (a.bbox?.[0] ?? 0)) * ((a.bbox?.[3] ?? 0) - (a.bbox?.[1] ?? 0)),
  );
}

type Box = { x0: number; y0: number; x1: number; y1: number };
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Keeps the map's labels placed; returns how many are shown (the browser tests read it too). */
export function useMapLabels(map: maplibregl.Map | null, countries: CountryCollection | null): number {
  const [shown, setShown] = useState(0);
  useEffect(() => {
    if (!map || !countries) return;
    let live = true;
    const markers = new Map<string, maplibregl.Marker>();
    let candidates = countryCandidates(countries);
    const place = () => {
      const zoom = map.getZoom();
      const { clientWidth: width, clientHeight: height } = map.getContainer();
      const taken: Box[] = [];
      const want = new Set<string>();
      // Countries first while zoomed out; from zoom 5 on, cities are what people look for.
      const ordered =
        zoom >= 5
          ? [
              ...candidates.filter((c) => c.kind === 'city'),
              ...candidates.filter((c) => c.kind === 'country'),
            ]
          : candidates;
      for (const c of ordered) {
        if (zoom < c.minZoom) continue;
        const p = map.project(c.at);
        if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) continue;
        const w = c.text.length * (c.kind === 'country' ? 7.5 : 6.5) + 10;
        if (c.bbox) {
          const a = map.project([c.bbox[0], c.bbox[1]]);
          const b = map.project([c.bbox[2], c.bbox[3]]);
          if (Math.abs(b.x - a.x) < w * 0.8) continue; // the country is smaller than its name
        }
        // A country's name may move up or down a line to make room for a city at its middle.
        const shifts = c.kind === 'country' ? [0, 22, -22, 44, -44] : [0];
        const shift = shifts.find((dy) => {
          const box = { x0: p.x - w / 2, y0: p.y + dy - 10, x1: p.x + w / 2, y1: p.y + dy + 10 };
          return !taken.some((t) => overlaps(t, box));
        });
        if (shift === undefined) continue;
        taken.push({ x0: p.x - w / 2, y0: p.y + shift - 10, x1: p.x + w / 2, y1: p.y + shift + 10 });
        want.add(c.key);
        const existing = markers.get(c.key);
        if (existing) existing.setOffset([0, shift]);
        else {
          const el = document.createElement('div');
          el.className = `map-label map-label-${c.kind}`;
          el.textContent = c.text;
          el.dataset.label = c.text;
          markers.set(
            c.key,
            new maplibregl.Marker({ element: el, offset: [0, shift] }).setLngLat(c.at).addTo(map),
          );
        }
      }
      for (const [key, marker] of markers) {
        if (!want.has(key)) {
          marker.remove();
          markers.delete(key);
        }
      }
      setShown(markers.size);
    };
    place();
    map.on('moveend', place);
    loadCities().then((list) => {
      if (!live) return;
      candidates = [
        ...candidates,
        ...list.map(
          ({ name, country, lat, lon, population }): Candidate => ({
            key: `p:${country}:${name}:${lat}`,
            text: name,
            kind: 'city',
            at: [lon, lat],
            minZoom: cityZoom(population),
          }),
        ),
      ];
      place();
    });
    return () => {
      live = false;
      map.off('moveend', place);
      for (const m of markers.values()) m.remove();
    };
  }, [map, countries]);
  return shown;
}
