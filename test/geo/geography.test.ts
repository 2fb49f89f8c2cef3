import type * as GeoJSON from 'geojson';
import { describe, expect, it } from 'vitest';
import { type AreaGeometry, loadGeography, normalizeName } from '../../src/domain/geo/index.ts';

const geo = loadGeography();

function rings(g: AreaGeometry): GeoJSON.Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

describe('countries', () => {
  it('knows Iraq by alpha-2 and alpha-3, case-insensitively', () => {
    const iq = geo.country('IQ');
    expect(iq).toMatchObject({ code: 'IQ', alpha3: 'IRQ', numeric: '368', name: 'Iraq' });
    expect(geo.country('irq')).toBe(iq);
    expect(geo.country(' iq ')).toBe(iq);
    expect(geo.country('ZZ')).toBeUndefined();
  });

  it('fixes the countries Natural Earth leaves without ISO codes', () => {
    expect(geo.country('FR')).toMatchObject({ alpha3: 'FRA', numeric: '250', name: 'France' });
    expect(geo.country('NO')).toMatchObject({ alpha3: 'NOR', numeric: '578', name: 'Norway' });
    expect(geo.country('XK')).toMatchObject({ alpha3: 'XKX', numeric: '', name: 'Kosovo' });
    expect(geo.country('CY')?.alpha3).toBe('CYP');
    expect(geo.country('SO')?.alpha3).toBe('SOM');
  });

  it('has unique, well-formed codes and is sorted by name', () => {
    const all = geo.countries();
    expect(all.length).toBeGreaterThanOrEqual(245);
    expect(new Set(all.map((c) => c.code)).size).toBe(all.length);
    expect(new Set(all.map((c) => c.alpha3)).size).toBe(all.length);
    for (const c of all) {
      expect(c.code).toMatch(/^[A-Z]{2}$/);
      expect(c.alpha3).toMatch(/^[A-Z]{3}$/);
      if (c.code !== 'XK') expect(c.numeric).toMatch(/^\d{3}$/);
      expect(c.name.length).toBeGreaterThan(0);
      const [minLon, minLat, maxLon, maxLat] = c.bbox;
      expect(minLon).toBeLessThanOrEqual(maxLon);
      expect(minLat).toBeLessThanOrEqual(maxLat);
    }
    const names = all.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('returns copies of the list and frozen entries', () => {
    const list = geo.countries();
    list.pop();
    expect(geo.countries().length).toBe(list.length + 1);
    expect(Object.isFrozen(geo.country('IQ'))).toBe(true);
  });

  it('is a memoized singleton', () => {
    expect(loadGeography()).toBe(geo);
  });
});

describe('regions', () => {
  it("lists Iraq's 18 governorates", () => {
    const regions = geo.regions('IQ');
    expect(regions).toHaveLength(18);
    expect(regions.map((r) => r.code)).toContain('IQ-BA');
    expect(regions.every((r) => r.country === 'IQ' && r.type === 'Governorate')).toBe(true);
    const names = regions.map((r) => r.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(geo.regions('IRQ')).toEqual(regions);
  });

  it('finds a region case-insensitively', () => {
    expect(geo.region('iq-ba')).toMatchObject({ code: 'IQ-BA', country: 'IQ', name: 'Basra' });
    expect(geo.region('IQ-ZZ')).toBeUndefined();
  });

  it('has unique codes and every country has regions', () => {
    const all = geo.countries().flatMap((c) => geo.regions(c.code));
    expect(new Set(all.map((r) => r.code)).size).toBe(all.length);
    for (const r of all) expect(r.code).toMatch(/^[A-Z]{2}-[A-Z0-9]{1,3}$/);
    for (const c of geo.countries()) expect(geo.regions(c.code).length).toBeGreaterThan(0);
  });
});

describe('point lookup', () => {
  it.each([
    ['Basrah', 30.508, 47.783, 'IQ', 'IQ-BA'],
    ['Baghdad', 33.31, 44.36, 'IQ', 'IQ-BG'],
    ['Erbil', 36.19, 44.01, 'IQ', 'IQ-AR'],
    ['Paris', 48.8566, 2.3522, 'FR', 'FR-75'],
    ['Oslo', 59.91, 10.75, 'NO', 'NO-03'],
    ['Simferopol', 44.95, 34.1, 'UA', 'UA-43'],
    ['Hargeisa', 9.56, 44.06, 'SO', 'SO-X01'],
    ['Pristina', 42.67, 21.17, 'XK', 'XK-X20'],
    ['Cayenne', 4.93, -52.33, 'GF', 'FR-GF'],
  ])('%s', (_name, lat, lon, country, region) => {
    expect(geo.countryAt(lat, lon)?.code).toBe(country);
    expect(geo.regionAt(lat, lon)?.code).toBe(region);
  });

  it('returns undefined at sea and for invalid input', () => {
    expect(geo.countryAt(0, -30)).toBeUndefined();
    expect(geo.regionAt(-40, -120)).toBeUndefined();
    expect(geo.countryAt(Number.NaN, 10)).toBeUndefined();
    expect(geo.countryAt(95, 10)).toBeUndefined();
  });

  it('tolerates coastal points just outside the 1:10m coastline unless told not to', () => {
    // Mombasa island is not inside Natural Earth's Kenya.
    expect(geo.countryAt(-4.05466, 39.66359, { toleranceKm: 0 })).toBeUndefined();
    expect(geo.countryAt(-4.05466, 39.66359)?.code).toBe('KE');
  });

  it('takes microseconds', () => {
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) geo.regionAt(-60 + (i % 140), -180 + ((i * 7) % 360));
    const perLookup = ((performance.now() - started) * 1000) / 20_000;
    expect(perLookup).toBeLessThan(100);
  });
});

describe('geometry', () => {
  it('has closed rings with at least four positions inside the bbox', () => {
    // Collect problems and assert once: an expect() per vertex takes 20 s.
    const problems: string[] = [];
    const check = (code: string, g: AreaGeometry | undefined, bbox: [number, number, number, number]) => {
      if (!g) return problems.push(`${code}: no geometry`);
      for (const ring of rings(g)) {
        const first = ring[0];
        const last = ring[ring.length - 1];
        if (ring.length < 4) problems.push(`${code}: ring of ${ring.length}`);
        if (!first || !last || first[0] !== last[0] || first[1] !== last[1])
          problems.push(`${code}: open ring`);
        for (const [lon = Number.NaN, lat = Number.NaN] of ring) {
          if (!(lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3])) {
            problems.push(`${code}: ${lon},${lat} outside bbox`);
            break;
          }
        }
      }
    };
    for (const c of geo.countries()) {
      check(c.code, geo.countryGeometry(c.code), c.bbox);
      for (const r of geo.regions(c.code)) check(r.code, geo.regionGeometry(r.code), r.bbox);
    }
    expect(problems).toEqual([]);
  });

  it('builds GeoJSON collections with the documented properties', () => {
    const countries = geo.countriesGeoJSON();
    expect(countries.features).toHaveLength(geo.countries().length);
    expect(countries.features.find((f) => f.properties?.code === 'IQ')?.properties).toEqual({
      code: 'IQ',
      alpha3: 'IRQ',
      name: 'Iraq',
    });
    const iraq = geo.regionsGeoJSON('IQ');
    expect(iraq.features).toHaveLength(18);
    expect(iraq.features[0]?.properties).toEqual(
      expect.objectContaining({ country: 'IQ', type: 'Governorate', code: expect.stringMatching(/^IQ-/) }),
    );
    expect(['Polygon', 'MultiPolygon']).toContain(iraq.features[0]?.geometry.type);
  });

  it('returns fresh GeoJSON on every call', () => {
    expect(geo.regionGeometry('IQ-BA')).not.toBe(geo.regionGeometry('IQ-BA'));
    expect(geo.regionGeometry('nowhere')).toBeUndefined();
  });
});

describe('searchPlaces', () => {
  it('finds Basrah for "basra" in Iraq', () => {
    const [first] = geo.searchPlaces('basra', { country: 'IQ' });
    expect(first).toMatchObject({ name: 'Basrah', country: 'IQ', region: 'IQ-BA' });
    expect(first?.population).toBeGreaterThan(1_000_000);
    expect(geo.searchPlaces('basra', { country: 'irq' })[0]?.name).toBe('Basrah');
  });

  it('ignores accents and case', () => {
    for (const q of ['sao paulo', 'São Paulo', 'SAO PAULO']) {
      expect(geo.searchPlaces(q)[0]).toMatchObject({ name: 'São Paulo', country: 'BR', region: 'BR-SP' });
    }
    expect(normalizeName("Sana'a  Ḥaḍramawt-Øst")).toBe('sanaa hadramawt ost');
  });

  it('matches later words and ranks exact names first', () => {
    expect(geo.searchPlaces('paulo', { country: 'BR' }).map((p) => p.name)).toContain('São Paulo');
    const [first] = geo.searchPlaces('erbil');
    expect(first).toMatchObject({ name: 'Erbil', country: 'IQ', region: 'IQ-AR' });
  });

  it('applies the limit, default 10 and at most 50', () => {
    expect(geo.searchPlaces('san')).toHaveLength(10);
    expect(geo.searchPlaces('san', { limit: 3 })).toHaveLength(3);
    expect(geo.searchPlaces('san', { limit: 500 })).toHaveLength(50);
    const pops = geo.searchPlaces('san', { limit: 50 }).map((p) => p.population);
    expect(pops.length).toBe(50);
    expect(geo.searchPlaces('')).toEqual([]);
    expect(geo.searchPlaces('zzzzqqq')).toEqual([]);
  });
});
