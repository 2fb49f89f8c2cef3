import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { check } from '@placemarkio/check-geojson';
import { XMLParser } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditionInput } from '../../src/domain/advisories/edition.ts';
import { createDraft, publishEdition, reviewAdvisory } from '../../src/services/advisories/editions.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { type ApiHarness, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

const IRAQ: EditionInput = {
  level: 4,
  indicators: ['T', 'K', 'U'],
  summary: 'Do not travel to Iraq due to terrorism, kidnapping, armed conflict, and civil unrest.',
  body: '## Terrorism\n\nAttacks can occur **with little or no warning**.\n\n<script>alert("x")</script>\n\n[Click](javascript:alert(1)) or read [the embassy page](https://iq.usembassy.gov/).\n\n<img src=x onerror="alert(1)">',
  changeNote: 'Reissued with updates to the security situation.',
  zones: [
    {
      name: 'Iraqi Kurdistan Region',
      level: 3,
      indicators: ['T', 'K', 'U'],
      regions: ['IQ-AR', 'IQ-DA', 'IQ-SU'],
      text: 'Reconsider travel to the *IKR*.',
    },
    {
      name: 'Basrah CBD',
      level: 4,
      indicators: ['U'],
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [47.78, 30.5],
            [47.84, 30.5],
            [47.84, 30.54],
            [47.78, 30.54],
            [47.78, 30.5],
          ],
        ],
      },
    },
  ],
};

async function publish(h: ApiHarness, country: string, input: EditionInput) {
  const d = await createDraft(h.ctx, cliActor, country, input);
  return (await publishEdition(h.ctx, cliActor, d.id)).edition;
}

describe.each(backends())('public advisories on %s', (backend) => {
  let h: ApiHarness;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    h = await createApiHarness(backend);
    ids.iq1 = (await publish(h, 'IQ', { ...IRAQ, zones: [], changeNote: 'First edition.' })).id;
    h.ctx.clock.advance(60_000);
    ids.kw = (
      await publish(h, 'KW', {
        level: 1,
        summary: 'Exercise normal precautions in Kuwait.',
        changeNote: 'First edition.',
      })
    ).id;
    h.ctx.clock.advance(60_000);
    ids.iq2 = (await publish(h, 'IQ', IRAQ)).id;
    // Drafts are never public.
    await createDraft(h.ctx, cliActor, 'FR', {
      level: 2,
      indicators: ['T'],
      summary: 'Draft only.',
      changeNote: 'x',
    });
  });
  afterAll(() => h.dispose());

  const get = (url: string, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'GET', url, headers });

  it('lists every current advisory without sign-in', async () => {
    const res = await get('/api/public/advisories');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toMatch(/public/);
    const { advisories, legend } = res.json();
    expect(advisories.map((a: { country: string }) => a.country)).toEqual(['IQ', 'KW']);
    expect(advisories[0]).toMatchObject({
      country: 'IQ',
      name: 'Iraq',
      level: 4,
      levelLabel: 'Do not travel',
      indicators: ['T', 'U', 'K'],
      summary: IRAQ.summary,
      edition: 2,
      zones: [
        {
          name: 'Iraqi Kurdistan Region',
          level: 3,
          levelLabel: 'Reconsider travel',
          indicators: ['T', 'U', 'K'],
          regions: ['IQ-AR', 'IQ-DA', 'IQ-SU'],
          drawnArea: false,
        },
        { name: 'Basrah CBD', level: 4, regions: [], drawnArea: true },
      ],
    });
    expect(advisories[0].updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(legend.levels).toHaveLength(4);
    expect(legend.indicators.map((i: { code: string }) => i.code).join('')).toBe('CTUHNEKDO');
    // Staff identities, drafts and review notes stay inside.
    expect(res.body).not.toMatch(/cli|createdBy|publishedBy|Draft only/);
  });

  it("a country's advisory has its body as Markdown and as sanitised HTML, and its history", async () => {
    const res = await get('/api/public/advisories/iq');
    expect(res.statusCode).toBe(200);
    const { advisory, history } = res.json();
    expect(advisory).toMatchObject({
      country: 'IQ',
      level: 4,
      edition: 2,
      body: IRAQ.body,
      changeNote: IRAQ.changeNote,
    });
    expect(advisory.bodyHtml).toContain('<h2>Terrorism</h2>');
    expect(advisory.bodyHtml).toContain('<strong>with little or no warning</strong>');
    expect(advisory.bodyHtml).toContain('<a href="https://iq.usembassy.gov/">the embassy page</a>');
    expect(advisory.bodyHtml).not.toMatch(/<script|<img|javascript:|onerror="/i);
    expect(advisory.bodyHtml).toContain('&lt;script&gt;');
    expect(advisory.zones[0]).toMatchObject({
      regions: [
        { code: 'IQ-AR', name: 'Erbil' },
        { code: 'IQ-DA', name: 'Duhok' },
        { code: 'IQ-SU', name: 'Sulaymaniyah' },
      ],
      textHtml: '<p>Reconsider travel to the <em>IKR</em>.</p>\n',
    });
    expect(history.map((e: { edition: number; status: string }) => [e.edition, e.status])).toEqual([
      [2, 'published'],
      [1, 'archived'],
    ]);

    const none = await get('/api/public/advisories/FR');
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('not_found');
    expect((await get('/api/public/advisories/ZZ')).json().error.code).toBe('unknown_country');
  });

  it('answers 304 to If-None-Match and If-Modified-Since on every public read', async () => {
    for (const url of [
      '/api/public/advisories',
      '/api/public/advisories/IQ',
      '/feeds/advisories.atom',
      '/geo/advisories.geojson',
    ]) {
      const first = await get(url);
      expect(first.statusCode, url).toBe(200);
      const etag = first.headers.etag as string;
      const lastModified = first.headers['last-modified'] as string;
      expect(etag, url).toMatch(/^"[\w-]+"$/);
      expect(Date.parse(lastModified), url).toBeGreaterThan(0);
      const byTag = await get(url, { 'if-none-match': etag });
      expect(byTag.statusCode, url).toBe(304);
      expect(byTag.body).toBe('');
      expect(byTag.headers.etag).toBe(etag);
      expect((await get(url, { 'if-modified-since': lastModified })).statusCode, url).toBe(304);
      expect((await get(url, { 'if-none-match': '"stale"' })).statusCode, url).toBe(200);
    }
  });

  it('sends gzip or brotli to clients that accept it, with its own ETag, and 304 across encodings', async () => {
    const plain = await get('/api/public/advisories');
    const gz = await h.app.inject({
      method: 'GET',
      url: '/api/public/advisories',
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    const br = await h.app.inject({
      method: 'GET',
      url: '/api/public/advisories',
      headers: { 'accept-encoding': 'gzip;q=0.5, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const refused = await get('/api/public/advisories', { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(new Set([plain.headers.etag, gz.headers.etag, br.headers.etag]).size).toBe(3);
    // A client that cached one encoding revalidates while asking for another: same content, 304.
    const reval = await get('/api/public/advisories', { 'if-none-match': gz.headers.etag as string });
    expect(reval.statusCode).toBe(304);
    expect(reval.headers['content-type']).toBeUndefined();
  });

  it('a publication or a review is visible at once, with a new ETag', async () => {
    const urls = [
      '/api/public/advisories',
      '/api/public/advisories/KW',
      '/feeds/advisories.atom',
      '/geo/advisories.geojson',
    ];
    const before = await Promise.all(urls.map((u) => get(u)));
    h.ctx.clock.advance(60_000);
    ids.kw2 = (
      await publish(h, 'KW', {
        level: 2,
        indicators: ['T'],
        summary: 'Exercise increased caution in Kuwait due to terrorism.',
        changeNote: 'Raised to Level 2.',
      })
    ).id;
    for (const [i, url] of urls.entries()) {
      const res = await get(url, { 'if-none-match': before[i]!.headers.etag as string });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers.etag).not.toBe(before[i]!.headers.etag);
      expect(Date.parse(res.headers['last-modified'] as string)).toBeGreaterThan(
        Date.parse(before[i]!.headers['last-modified'] as string),
      );
    }
    const kw = (await get('/api/public/advisories'))
      .json()
      .advisories.find((a: { country: string }) => a.country === 'KW');
    expect(kw).toMatchObject({ level: 2, indicators: ['T'], edition: 2 });

    const etag = (await get('/api/public/advisories/KW')).headers.etag as string;
    h.ctx.clock.advance(60_000);
    await reviewAdvisory(h.ctx, cliActor, 'KW', { note: 'No change.' });
    const reviewed = await get('/api/public/advisories/KW', { 'if-none-match': etag });
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json().advisory.reviewedAt).toBe(h.ctx.clock.now().toISOString());
    expect(reviewed.json().advisory.edition).toBe(2);
  });

  it('Atom: a valid feed with one entry per published edition, newest first, with stable ids', async () => {
    const res = await get('/feeds/advisories.atom');
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    const feed = await new Parser().parseString(res.body);
    expect(feed.title).toBe('Travel advisories');
    expect(feed.feedUrl).toBe(`${h.ctx.config.publicUrl}/feeds/advisories.atom`);
    expect(feed.items.map((i) => (i as { id?: string }).id)).toEqual([
      `urn:warden:advisory-edition:${ids.kw2}`,
      `urn:warden:advisory-edition:${ids.iq2}`,
      `urn:warden:advisory-edition:${ids.kw}`,
      `urn:warden:advisory-edition:${ids.iq1}`,
    ]);
    expect(feed.items[1]).toMatchObject({
      title: 'Iraq: Level 4, Do not travel',
      link: `${h.ctx.config.publicUrl}/api/public/advisories/IQ`,
    });
    expect(feed.items[1]!.content).toContain('Reissued with updates');
    expect(feed.items[1]!.content).not.toMatch(/<script|javascript:/i);

    const xml = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (n) => ['entry', 'link', 'category'].includes(n),
    }).parse(res.body);
    const f = xml.feed;
    expect(f['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(f.id).toBe('urn:warden:feed:advisories');
    expect(f.title).toBe('Travel advisories');
    expect(f.author.name).toBe('Warden');
    const self = f.link.find((l: Record<string, string>) => l['@rel'] === 'self');
    expect(self['@href']).toBe(`${h.ctx.config.publicUrl}/feeds/advisories.atom`);
    const updated = f.entry.map((e: { updated: string }) => Date.parse(e.updated));
    expect([...updated].sort((a, b) => b - a)).toEqual(updated);
    expect(Date.parse(f.updated)).toBe(updated[0]);
    for (const e of f.entry) {
      expect(e.id).toMatch(/^urn:warden:advisory-edition:[\w-]+$/);
      expect(e.title['#text'] ?? e.title).toBeTruthy();
      expect(e.link[0]['@href']).toMatch(/\/api\/public\/advisories\/[A-Z]{2}$/);
      expect(e.published).toBe(e.updated);
      expect(e.category.some((c: Record<string, string>) => /^level-[1-4]$/.test(c['@term'] ?? ''))).toBe(
        true,
      );
    }
    // Ids and times of earlier entries do not change when another edition is published.
    h.ctx.clock.advance(60_000);
    await publish(h, 'JO', {
      level: 2,
      indicators: ['T'],
      summary: 'Exercise increased caution in Jordan.',
      changeNote: 'First.',
    });
    const again = new XMLParser({ isArray: (n) => n === 'entry' }).parse(
      (await get('/feeds/advisories.atom')).body,
    ).feed.entry;
    expect(again).toHaveLength(6 - 1);
    expect(again.slice(1).map((e: { id: string; updated: string }) => [e.id, e.updated])).toEqual(
      f.entry.map((e: { id: string; updated: string }) => [e.id, e.updated]),
    );
  });

  it('GeoJSON: a country feature per current advisory and a feature per zone, ready to colour', async () => {
    const res = await get('/geo/advisories.geojson');
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = check(res.body) as GeoJSON.FeatureCollection;
    const countries = fc.features.filter((f) => f.properties?.kind === 'country');
    const zones = fc.features.filter((f) => f.properties?.kind === 'zone');
    expect(countries.map((f) => f.properties!.country).sort()).toEqual(['IQ', 'JO', 'KW']);
    const iq = countries.find((f) => f.properties!.country === 'IQ')!;
    expect(iq.properties).toMatchObject({
      name: 'Iraq',
      level: 4,
      levelLabel: 'Do not travel',
      indicators: ['T', 'U', 'K'],
      zone: null,
      color: expect.stringMatching(/^#[0-9a-f]{6}$/),
      edition: 2,
    });
    expect(['Polygon', 'MultiPolygon']).toContain(iq.geometry.type);
    expect(zones.map((z) => z.properties!.zone)).toEqual(['Iraqi Kurdistan Region', 'Basrah CBD']);
    expect(zones[0]!.properties).toMatchObject({
      country: 'IQ',
      level: 3,
      indicators: ['T', 'U', 'K'],
      regions: ['IQ-AR', 'IQ-DA', 'IQ-SU'],
    });
    expect(zones[1]!.geometry).toEqual(IRAQ.zones![1]!.geometry);
    // Zones come after countries, so a map drawing in order paints them on top.
    expect(fc.features.findIndex((f) => f.properties?.kind === 'zone')).toBe(countries.length);
  });
});
