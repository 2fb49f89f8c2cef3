import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import {
  type Account,
  addUser,
  apiAs,
  ensureWebBuilt,
  pageShot,
  pixelOf,
  type Server,
  screenshotPath,
  screenshotPixels,
  signIn,
} from './helpers.ts';

// An officer scoped to Iraq writes a new edition of Iraq's advisory in the console, watches the
// Markdown preview, publishes it; the public JSON and the map then show the new level.

const IRAQ: [number, number] = [44.4, 33.3];

const BODY = [
  '## Security situation',
  '',
  'Do not travel to Iraq due to **terrorism**, *kidnapping* and armed conflict.',
  '',
  '- Avoid demonstrations',
  '- Keep travel documents up to date',
  '',
  '<script>window.__injected = true</script>',
  '<img src=x onerror="window.__injected = true">',
].join('\n');

describe('advisory editions in the console', { timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let officer: Account;
  let viewer: Account;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    officer = await addUser(server, 'officer.iraq@example.org', 'officer', ['country:IQ']);
    viewer = await addUser(server, 'viewer@example.org', 'viewer');
    // Iraq starts at Level 3 (edition 1), published through the API.
    const admin = await apiAs(server, server.admin);
    const { edition } = await admin<{ edition: { id: string } }>('POST', '/api/advisories/IQ/editions', {
      level: 3,
      indicators: ['T'],
      summary: 'Reconsider travel to Iraq due to terrorism.',
      body: 'Terrorist groups continue plotting attacks in Iraq.',
      changeNote: 'First edition.',
    });
    await admin('POST', `/api/advisory-editions/${edition.id}/publish`);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('lists Iraq at Level 3 and opens a new edition', async () => {
    ({ context, page } = await signIn(browser, server, officer, errors));
    // The map has loaded the advisory layer (Level 3) before the publication: it must not keep a
    // cached copy afterwards.
    await page.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 45_000 });
    await expect
      .poll(() =>
        page.evaluate(() => window.__wardenMap?.getFeatureState({ source: 'countries', id: 'IQ' }).level),
      )
      .toBe(3);
    await page.getByTestId('nav-advisories').click();
    const row = page.getByTestId('advisory-row-IQ');
    await row.waitFor();
    expect(await row.locator('[data-level]').getAttribute('data-level')).toBe('3');
    await row.getByRole('link', { name: 'Iraq' }).click();
    await page.getByTestId('advisory-page').waitFor();
    expect(await page.getByTestId('advisory-level').getAttribute('data-level')).toBe('3');

    await page.getByTestId('new-draft').click();
    await page
      .getByTestId('new-edition-note')
      .fill('Raised to Level 4 after attacks on the consulate in Basrah.');
    await page.getByTestId('new-edition-submit').click();
    await page.getByTestId('advisory-editor').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/advisories\/IQ\/editions\/[\w-]+$/);
  });

  it('shows the Markdown body rendered live, without running raw HTML', async () => {
    await page.getByTestId('level-option-4').click();
    await page.getByTestId('indicator-K').locator('input').check();
    await page.getByTestId('indicator-U').locator('input').check();
    await page
      .getByTestId('summary-input')
      .fill('Do not travel to Iraq due to terrorism, kidnapping and armed conflict.');
    await page.getByTestId('body-input').fill(BODY);

    const preview = page.getByTestId('body-preview');
    await expect.poll(() => preview.locator('h2').textContent()).toBe('Security situation');
    expect(await preview.locator('strong').textContent()).toBe('terrorism');
    expect(await preview.locator('em').textContent()).toBe('kidnapping');
    expect(await preview.locator('li').count()).toBe(2);
    // Raw HTML is shown as text, never turned into elements.
    expect(await preview.locator('script, img').count()).toBe(0);
    expect(await preview.textContent()).toContain('<script>');
    expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();

    // The traveller's view beside the editor follows too.
    const travellerView = page.getByTestId('edition-view');
    expect(await travellerView.getByTestId('edition-level').getAttribute('data-level')).toBe('4');

    // A regional zone for the Kurdistan Region at Level 3.
    await page.getByTestId('add-zone').click();
    const zone = page.getByTestId('zone-0');
    await zone.getByTestId('zone-name').fill('Iraqi Kurdistan Region');
    await zone.getByTestId('zone-level').selectOption('3');
    for (const code of ['IQ-AR', 'IQ-DA', 'IQ-SU'])
      await zone.locator(`input[data-region="${code}"]`).check();
    await zone.getByTestId('zone-text').fill('Reconsider travel to the Kurdistan Region.');

    await page.getByTestId('save-draft').click();
    await page.getByText('Saved', { exact: false }).first().waitFor();
    await page.getByTestId('body-input').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('advisory-editor.png') });
    await pageShot(page, 'advisory-editor-full.png');
  });

  it('publishes the edition; the advisory page, the public JSON and the map show Level 4', async () => {
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-confirm').waitFor();
    await page.getByTestId('publish-confirm-button').click();
    await page.getByTestId('published-notice').waitFor();
    expect(await page.getByTestId('advisory-level').getAttribute('data-level')).toBe('4');
    await pageShot(page, 'advisory-published.png');

    const res = await fetch(`${server.url}/api/public/advisories`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { advisories: { country: string; level: number; zones: unknown[] }[] };
    const iraq = body.advisories.find((a) => a.country === 'IQ');
    expect(iraq?.level).toBe(4);
    expect(iraq?.zones).toHaveLength(1);

    await page.getByTestId('nav-map').click();
    await page.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 45_000 });
    await expect.poll(() => page.getByTestId('map').getAttribute('data-advisory-count')).toBe('1');
    await expect
      .poll(() =>
        page.evaluate(() => window.__wardenMap?.getFeatureState({ source: 'countries', id: 'IQ' }).level),
      )
      .toBe(4);
    // The rendered advisory layer at Iraq carries Level 4 ...
    const rendered = await page.evaluate((target) => {
      const map = window.__wardenMap;
      if (!map) throw new Error('no map');
      return map
        .queryRenderedFeatures(map.project(target), { layers: ['advisory-fill'] })
        .map((f) => ({ code: f.properties.code, level: f.state.level }));
    }, IRAQ);
    expect(rendered).toContainEqual({ code: 'IQ', level: 4 });
    // ... the Kurdistan zone is drawn ...
    const zones = await page.evaluate(
      () => window.__wardenMap?.querySourceFeatures('advisory-zones').map((f) => f.properties.level) ?? [],
    );
    expect(zones).toContain(3);
    // ... and the screen shows it in red: Level 4 is dark red over the pale land.
    await page.waitForTimeout(300);
    const [pixel] = await screenshotPixels(page, [await pixelOf(page, IRAQ)]);
    const [r = 0, g = 0, b = 0] = pixel ?? [];
    expect(r - g).toBeGreaterThan(40);
    expect(r - b).toBeGreaterThan(40);

    const { x, y } = await pixelOf(page, IRAQ);
    await page.mouse.click(x, y);
    await expect.poll(() => page.getByTestId('panel-advisory').getAttribute('data-level')).toBe('4');
    await page.screenshot({ path: screenshotPath('advisory-map.png') });
  });

  it('shows the difference between the two editions', async () => {
    await page.goto(`${server.url}/console/advisories/IQ`);
    const rows = page.locator('[data-testid^="edition-row-"]');
    await expect.poll(() => rows.count()).toBe(2);
    const ids = await rows.evaluateAll((els) =>
      els.map((e) => (e.getAttribute('data-testid') ?? '').slice(12)),
    );
    await page.getByTestId(`diff-from-${ids[1]}`).check();
    await page.getByTestId(`diff-to-${ids[0]}`).check();
    const diff = page.getByTestId('edition-diff');
    await diff.waitFor();
    const text = (await diff.textContent()) ?? '';
    expect(text).toContain('Level 3');
    expect(text).toContain('Level 4');
    expect(text).toContain('Iraqi Kurdistan Region');
    await diff.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('advisory-diff.png') });
  });

  it('gives a viewer a read-only advisory page', async () => {
    const view = await signIn(browser, server, viewer, errors);
    await view.page.goto(`${server.url}/console/advisories/IQ`);
    await view.page.getByTestId('edition-view').waitFor();
    expect(await view.page.getByTestId('new-draft').count()).toBe(0);
    expect(await view.page.getByTestId('confirm-review').count()).toBe(0);
    await view.context.close();
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
