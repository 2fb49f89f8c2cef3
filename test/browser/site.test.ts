import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoAdvisories } from '../../src/demo/advisories.ts';
import { type DemoAlerts, loadDemoAlerts } from '../../src/demo/alerts.ts';
import { type DemoPosts, loadDemoPosts } from '../../src/demo/posts.ts';
import { cliActor, systemActor } from '../../src/services/audit/audit.ts';
import { createUser } from '../../src/services/auth/users.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import { ensureWebBuilt, type Server, screenshotPath } from './helpers.ts';

// The public site in Chromium over the demo's Iraq: what a citizen reads, with and without
// JavaScript, in English and Arabic, and what axe-core finds on every public page.

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Serious and critical WCAG 2.x A/AA violations axe-core finds on the page. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the public site in a browser', { timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let withJs: BrowserContext;
  let noJs: BrowserContext;
  let demo: DemoPosts;
  let alerts: DemoAlerts;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    await createUser(server.ctx, cliActor, { email: 'crisis@warden.local', role: 'crisis_manager' });
    await createUser(server.ctx, cliActor, {
      email: 'officer.iraq@warden.local',
      role: 'officer',
      scope: ['country:IQ'],
    });
    demo = await loadDemoPosts(server.ctx, cliActor);
    await loadDemoAdvisories(server.ctx, systemActor);
    alerts = await loadDemoAlerts(server.ctx, demo, null, cliActor);
    browser = await launchBrowser();
    // bypassCSP only so that axe-core can be injected; the pages' own CSP is tested by the API test.
    withJs = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    noJs = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = async (context: BrowserContext, path: string, lang = 'en') => {
    const page = await context.newPage();
    await page.setExtraHTTPHeaders({ 'accept-language': lang });
    page.on('pageerror', (err) => errors.push(`${path}: ${err.message}`));
    await page.goto(`${server.url}${path}`);
    return page;
  };

  it('the Iraq page shows Level 4, its three risks, the Basrah district and Embassy Baghdad serving it', async () => {
    const page = await open(withJs, '/countries/iq');
    expect(new URL(page.url()).pathname).toBe('/en/countries/iq-iraq');
    expect(await page.getByTestId('level').textContent()).toBe('Level 4: Do not travel');
    const risks = await page.getByTestId('indicators').locator('li').allTextContents();
    expect(risks).toEqual(['T Terrorism', 'U Civil unrest', 'K Kidnapping or hostage taking']);
    const basrah = page.getByTestId(`post-${demo.basrah}`);
    const posture = (await basrah.getByTestId('posture').textContent()) ?? '';
    expect(posture).toContain('Consulate General Basrah is on ordered departure');
    expect(posture).toMatch(/citizen services for Basra[^.]* are provided by Embassy Baghdad/);
    // The map is an enhancement: it arrives after the page and shows the same levels.
    await page.locator('#map[data-ready="true"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#map canvas').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('site-iraq.png'), fullPage: true });
  });

  it('"who serves me" at 30.508, 47.783 answers Embassy Baghdad', async () => {
    const page = await open(withJs, '/en/who-serves-me');
    await page.getByLabel('Latitude').fill('30.508');
    await page.getByLabel('Longitude').fill('47.783');
    await page.getByRole('button', { name: 'Find the serving post' }).click();
    await page.getByTestId('who-answer').waitFor();
    expect(await page.getByTestId('serving-post').textContent()).toBe('Embassy Baghdad');
    expect(await page.getByTestId('why').textContent()).toContain(
      'Consulate General Basrah cannot serve citizens',
    );
  });

  it('the Arabic home page is right to left', async () => {
    const page = await open(withJs, '/', 'ar');
    expect(new URL(page.url()).pathname).toBe('/ar/');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
    // Mirrored: the brand sits at the right edge of the header.
    const brand = await page.locator('.brand').boundingBox();
    expect(brand?.x).toBeGreaterThan(640);
    await page.screenshot({ path: screenshotPath('site-home-ar.png'), fullPage: true });
  });

  const PAGES = [
    ['/en/', 'h1'],
    ['/ar/', 'h1'],
    ['/fr/countries/iq-iraq', '[data-testid="level"]'],
    ['/ar/countries/iq-iraq', '[data-testid="level"]'],
    ['/en/countries/iq-iraq', '[data-testid="level"]'],
    ['/en/countries/iq-iraq/alerts', '[data-testid="alerts"]'],
    ['/en/who-serves-me?lat=30.508&lon=47.783', '[data-testid="who-answer"]'],
    ['/en/search?q=Basrah', '[data-testid="place-results"]'],
    ['/en/nowhere', 'h1'],
  ] as const;

  it('every page renders its content with JavaScript disabled', async () => {
    for (const [path, selector] of [
      ...PAGES,
      [`/en/posts/${demo.basrah}/consulate-general-basrah`, 'h1'] as const,
      [`/ar/alerts/${alerts.basrah}`, 'h1'] as const,
    ]) {
      const page = await open(noJs, path);
      expect(await page.locator(selector).first().isVisible(), path).toBe(true);
      await page.close();
    }
    const page = await open(noJs, '/en/countries/iq-iraq');
    expect(await page.getByTestId('level').textContent()).toBe('Level 4: Do not travel');
    // The search form works without a script: a city lists its country and "who serves me".
    const home = await open(noJs, '/en/');
    await home.getByLabel('Find a country or a city').fill('Basra');
    await home.getByRole('button', { name: 'Search' }).click();
    await home.getByTestId('place-results').waitFor();
  });

  it('axe-core finds no serious or critical violation on any public page', async () => {
    const found: string[] = [];
    for (const [path] of [
      ...PAGES,
      [`/en/posts/${demo.basrah}/consulate-general-basrah`] as const,
      [`/en/alerts/${alerts.basrah}`] as const,
      [`/fr/alerts/${alerts.exercise}`] as const,
      ['/enroll'] as const,
      ['/subscribe'] as const,
      ['/privacy'] as const,
    ]) {
      const page = await open(withJs, path);
      await page.waitForLoadState('networkidle');
      for (const v of await axeViolations(page)) found.push(`${path}: ${v}`);
      await page.close();
    }
    expect(found).toEqual([]);
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
