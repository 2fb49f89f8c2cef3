import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoAdvisories } from '../../src/demo/advisories.ts';
import { type DemoAlerts, loadDemoAlerts } from '../../src/demo/alerts.ts';
import { type DemoPosts, loadDemoPosts } from '../../src/demo/posts.ts';
import { siteCss } from '../../src/server/routes/site/assets.ts';
import { cliActor, systemActor } from '../../src/services/audit/audit.ts';
import { createUser } from '../../src/services/auth/users.ts';
import { updatePost } from '../../src/services/posts/posts.ts';
import { type ApiHarness, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

const HTML = { accept: 'text/html' };
const IRAQ = '/en/countries/iq-iraq';

/** The data attributes and texts the tests read from a page (the pages mark them for tests and scripts). */
const attr = (body: string, name: string) =>
  [...body.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => m[1]);

describe.each(backends())('the public site on %s', (backend) => {
  let h: ApiHarness;
  let demo: DemoPosts;
  let alerts: DemoAlerts;

  beforeAll(async () => {
    h = await createApiHarness(backend);
    await createUser(h.ctx, cliActor, { email: 'crisis@warden.local', role: 'crisis_manager' });
    await createUser(h.ctx, cliActor, {
      email: 'officer.iraq@warden.local',
      role: 'officer',
      scope: ['country:IQ'],
    });
    demo = await loadDemoPosts(h.ctx, cliActor);
    await loadDemoAdvisories(h.ctx, systemActor);
    alerts = await loadDemoAlerts(h.ctx, demo, null, cliActor);
  }, 120_000);
  afterAll(() => h.dispose());

  const get = (url: string, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'GET', url, headers: { ...HTML, ...headers } });

  it('the country page and the JSON feed say the same: level, indicators, edition, zones', async () => {
    const json = (await get('/api/public/advisories/IQ', { accept: 'application/json' })).json().advisory;
    const res = await get(IRAQ);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = res.body;
    expect(attr(page, 'data-level')).toEqual([String(json.level)]);
    expect(attr(page, 'data-edition')).toEqual([String(json.edition)]);
    const indicators = page.split('data-testid="indicators"')[1]?.split('</ul>')[0] ?? '';
    expect(attr(indicators, 'data-indicator')).toEqual(json.indicators);
    expect(json.level).toBe(4);
    expect(json.indicators).toEqual(['T', 'U', 'K']);
    for (const z of json.zones) expect(page).toContain(`<h3>${z.name}</h3>`);
    expect(page).toContain('Level 4: Do not travel');
    expect(page).toContain('Kidnapping or hostage taking');
  });

  it('says which post serves Basrah and why, in words', async () => {
    const page = (await get(IRAQ)).body;
    expect(page).toContain(
      'Consulate General Basrah is on ordered departure: non-emergency staff and family members must leave; citizen services for Basra',
    );
    expect(page).toMatch(/citizen services for [^<]*are provided by Embassy Baghdad/);
    expect(page).toContain('href="/subscribe?country=IQ"');
    expect(page).toContain('href="/enroll?country=IQ"');
  });

  it('"who serves me" at 30.508, 47.783 answers Embassy Baghdad, delegated from Basrah', async () => {
    const res = await get('/en/who-serves-me?lat=30.508&lon=47.783');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('You are served by Embassy Baghdad.');
    expect(res.body).toContain('Consulate General Basrah cannot serve citizens at the moment');
    expect(res.headers.etag).toMatch(/^"/);
    expect(
      (await get('/en/who-serves-me?lat=30.508&lon=47.783', { 'if-none-match': res.headers.etag as string }))
        .statusCode,
    ).toBe(304);
    // Places by name, each linking to the answer for its point.
    const places = (await get('/en/who-serves-me?q=Basrah')).body;
    expect(places).toMatch(/who-serves-me\?lat=30\.5\d*&amp;lon=47\.\d+/);
  });

  it('serves pages from the public cache with ETags, and a change of posts changes the page', async () => {
    const first = await get(IRAQ);
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    expect(first.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(first.headers['content-language']).toBe('en');
    expect((await get(IRAQ, { 'if-none-match': etag })).statusCode).toBe(304);
    await updatePost(h.ctx, cliActor, demo.baghdad, {
      contact: { phone: '+964 760 030 3000', email: null, address: null, hours: 'Every day 09:00–12:00' },
    });
    const after = await get(IRAQ, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Every day 09:00–12:00');
  });

  it('keeps the country page under 100 KB of HTML and CSS in every language', async () => {
    const css = await get(siteCss.href);
    expect(css.statusCode).toBe(200);
    for (const lang of ['en', 'fr', 'ar']) {
      const page = await get(`/${lang}/countries/iq-iraq`);
      expect(page.statusCode).toBe(200);
      expect(page.rawPayload.length + css.rawPayload.length).toBeLessThan(100 * 1024);
    }
  });

  it("speaks the visitor's language: Accept-Language, then the URL; Arabic right to left", async () => {
    const home = await get('/', { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' });
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/fr/');
    expect(home.headers.vary).toContain('accept-language');
    expect((await get('/countries/iq', { 'accept-language': 'ar' })).headers.location).toBe(
      '/ar/countries/iq',
    );
    expect((await get('/ar/countries/iq')).headers.location).toBe('/ar/countries/iq-iraq');
    expect((await get('/', { 'accept-language': 'de' })).headers.location).toBe('/en/');

    const ar = (await get('/ar/countries/iq-iraq')).body;
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    expect(ar).toContain('المستوى 4');
    expect(ar).toContain('العراق');
    // Staff-written text stays as written, marked as English, with a note.
    expect(ar).toContain('هذا النص منشور باللغة الإنجليزية فقط.');
    expect(ar).toContain('lang="en" dir="ltr"');
    const fr = (await get('/fr/')).body;
    expect(fr).toContain('<html lang="fr" dir="ltr">');
    expect(fr).toContain('Niveau 4 : Ne pas voyager');
  });

  it('has title, description, canonical, hreflang, Open Graph and feed alternates', async () => {
    const page = (await get(IRAQ)).body;
    const base = h.ctx.config.publicUrl;
    expect(page).toContain('<title>Iraq travel advisory | Travel advice</title>');
    expect(page).toMatch(/<meta name="description" content="Iraq: Level 4, Do not travel\./);
    expect(page).toContain(`<link rel="canonical" href="${base}/en/countries/iq-iraq">`);
    for (const l of ['en', 'fr', 'ar'])
      expect(page).toContain(`<link rel="alternate" hreflang="${l}" href="${base}/${l}/countries/iq-iraq">`);
    expect(page).toContain(`hreflang="x-default" href="${base}/countries/iq-iraq"`);
    expect(page).toContain('<meta property="og:title" content="Iraq travel advisory">');
    expect(page).toContain('<link rel="alternate" type="application/json" href="/api/public/advisories/IQ"');
    expect(page).toContain('<link rel="alternate" type="application/atom+xml" href="/feeds/advisories.atom"');
  });

  it('lists every page in sitemap.xml with its language versions', async () => {
    const res = await get('/sitemap.xml');
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    const base = h.ctx.config.publicUrl;
    expect(res.body).toContain(`<loc>${base}/fr/countries/iq-iraq</loc>`);
    expect(res.body).toContain(
      `<xhtml:link rel="alternate" hreflang="ar" href="${base}/ar/countries/iq-iraq"/>`,
    );
    expect(res.body).toContain(`/en/posts/${demo.basrah}/consulate-general-basrah`);
    expect((await get('/robots.txt')).body).toContain(`Sitemap: ${base}/sitemap.xml`);
  });

  it('finds countries by ISO code, by name in the language, and places from the gazetteer', async () => {
    expect((await get('/en/search?q=IQ')).headers.location).toBe(IRAQ);
    expect((await get('/fr/search?q=Irak')).headers.location).toBe('/fr/countries/iq-iraq');
    const basrah = await get('/en/search?q=Basrah');
    expect(basrah.statusCode).toBe(200);
    expect(basrah.body).toContain('Who serves me there?');
  });

  it('a post page says its posture, who serves its district and its contacts', async () => {
    const short = await get(`/en/posts/${demo.basrah}`);
    expect(short.statusCode).toBe(301);
    const page = await get(short.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Consulate General Basrah</h1>');
    expect(page.body).toContain('data-testid="served-by">Embassy Baghdad</a>');
  });

  it('answers unknown pages with an HTML 404 and bad input with the error format', async () => {
    const country = await get('/en/countries/zz-nowhere');
    expect(country.statusCode).toBe(404);
    expect(country.body).toContain('Page not found');
    expect((await get('/en/posts/not-a-uuid')).statusCode).toBe(404);
    expect((await get('/en/posts/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await get('/en/alerts/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await get('/nowhere')).statusCode).toBe(404);
    const bad = await get('/en/who-serves-me?lat=200&lon=0');
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBeDefined();
    // JSON clients still get JSON 404s.
    expect(errorCode(await h.app.inject({ method: 'GET', url: '/api/nothing' }))).toBe('route_not_found');
  });

  it('shows the current public alerts: on the country page, its alerts page and one page per alert', async () => {
    const json = (await get('/api/public/alerts?country=IQ', { accept: 'application/json' })).json();
    const page = (await get(IRAQ)).body;
    const section = page.split('data-testid="alerts"')[1]?.split('</div>')[0] ?? '';
    expect(section).toContain('Demonstrations in Basrah: avoid the central business district');
    expect(section).toContain(`href="/en/alerts/${alerts.basrah}"`);
    // A drill is marked as one wherever it is listed; the pending alert is nowhere.
    expect(section).toContain('EXERCISE');
    expect(page).not.toContain(alerts.pending);
    expect(JSON.stringify(json)).toContain(alerts.basrah);
    expect((await get('/en/countries/iq-iraq/alerts')).body).toContain(`/en/alerts/${alerts.basrah}`);
    expect((await get('/en/')).body).toContain(`/en/alerts/${alerts.basrah}`);

    const one = await get(`/en/alerts/${alerts.basrah}`);
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('Protests in Basrah have turned violent.');
    expect(one.body).toContain('Issued by Embassy Baghdad');
    // In the reader's language when the alert has it; in English with the catalogue's note otherwise.
    expect((await get(`/ar/alerts/${alerts.basrah}`)).body).toContain('مظاهرات في البصرة');
    const drill = await get(`/fr/alerts/${alerts.exercise}`);
    expect(drill.body).toContain('data-testid="drill"');
    expect(drill.body).toContain('Shelter-in-place drill in Erbil');
    expect((await get(`/en/alerts/${alerts.pending}`)).statusCode).toBe(404);
    expect((await get(`/alerts/${alerts.basrah}`, { 'accept-language': 'fr' })).headers.location).toBe(
      `/fr/alerts/${alerts.basrah}`,
    );
  });

  it("redirects the console's old URLs to /console", async () => {
    const res = await get('/posts/abc?x=1');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/console/posts/abc?x=1');
    expect((await get('/login')).headers.location).toBe('/console/login');
    expect((await get('/advisories/IQ')).headers.location).toBe('/console/advisories/IQ');
  });
});
