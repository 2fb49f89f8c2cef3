import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

describe.each(backends())('reference geography API on %s', (backend) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness(backend);
  });
  afterAll(() => h.dispose());

  it('lists countries with ISO codes', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/geo/countries' });
    expect(res.statusCode).toBe(200);
    const countries = res.json().countries as Array<{
      code: string;
      alpha3: string;
      numeric: string;
      name: string;
    }>;
    expect(countries.length).toBeGreaterThan(240);
    expect(countries.find((c) => c.code === 'IQ')).toMatchObject({
      alpha3: 'IRQ',
      numeric: '368',
      name: 'Iraq',
    });
  });

  it('lists Iraq’s governorates by alpha-2 or alpha-3', async () => {
    for (const country of ['IQ', 'irq']) {
      const res = await h.app.inject({ method: 'GET', url: `/api/geo/regions?country=${country}` });
      const regions = res.json().regions as Array<{ code: string; name: string }>;
      expect(regions).toHaveLength(18);
      expect(regions.map((r) => r.code)).toContain('IQ-BA');
    }
  });

  it('finds places in the offline gazetteer', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/geo/places?q=basra&country=IQ' });
    const places = res.json().places as Array<{ name: string; country: string; region: string }>;
    expect(places[0]).toMatchObject({ country: 'IQ', region: 'IQ-BA' });
    expect(places[0]!.name).toMatch(/^Basra/);
  });

  it('serves boundaries as GeoJSON with revalidation', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/geo/regions.geojson?country=IQ' });
    expect(res.headers['content-type']).toContain('application/geo+json');
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(18);
    const again = await h.app.inject({
      method: 'GET',
      url: '/api/geo/regions.geojson?country=IQ',
      headers: { 'if-none-match': res.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
    const countries = await h.app.inject({ method: 'GET', url: '/api/geo/countries.geojson' });
    expect(countries.json().features.length).toBeGreaterThan(240);
  });

  it('refuses unknown countries and bad queries', async () => {
    const unknown = await h.app.inject({ method: 'GET', url: '/api/geo/regions?country=XX' });
    expect(unknown.statusCode).toBe(400);
    expect(errorCode(unknown)).toBe('unknown_country');
    expect(errorCode(await h.app.inject({ method: 'GET', url: '/api/geo/regions' }))).toBe(
      'validation_failed',
    );
    expect(errorCode(await h.app.inject({ method: 'GET', url: '/api/geo/places?q=' }))).toBe(
      'validation_failed',
    );
    expect(errorCode(await h.app.inject({ method: 'GET', url: '/api/geo/places?q=a&limit=500' }))).toBe(
      'validation_failed',
    );
  });
});
