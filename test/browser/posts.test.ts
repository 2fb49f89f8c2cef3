import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import { apiAs, ensureWebBuilt, pageShot, type Server, signIn } from './helpers.ts';

// The post editor's district tools: regions picked on the map and in the list, a polygon drawn
// corner by corner and closed with a double-click, the post placed by a click; then the country's
// validation (gaps) and a refused overlap, both highlighted.

async function districtPixel(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((target) => {
    const map = window.__wardenDistrictMap;
    if (!map) throw new Error('window.__wardenDistrictMap is not set');
    const p = map.project(target);
    const rect = map.getCanvas().getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }, lngLat);
}

async function regionState(page: Page, code: string): Promise<Record<string, unknown>> {
  return page.evaluate(
    (id) => window.__wardenDistrictMap?.getFeatureState({ source: 'de-regions', id }) ?? {},
    code,
  );
}

describe('post district editor', { timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let postId = '';
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
    ({ page } = await signIn(browser, server, server.admin, errors));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates a post with regions clicked on the map, a drawn area and a placed location', async () => {
    await page.getByTestId('nav-posts').click();
    await page.getByTestId('new-post').click();
    await page.getByTestId('post-kind').selectOption('embassy');
    await page.getByTestId('post-country').selectOption('IQ');
    await page.getByTestId('post-name').fill('Embassy Baghdad');
    await page.getByTestId('post-city').fill('Baghdad');
    await page.locator('[data-testid="district-map"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await page.locator('input[data-region="IQ-BG"]').waitFor();
    await page.getByTestId('district-map').scrollIntoViewIfNeeded();
    await page.waitForTimeout(800); // the view fits Iraq

    // Regions: Baghdad by clicking the map, Al Anbar from the list.
    const baghdad = await districtPixel(page, [44.35, 33.3]);
    await page.mouse.click(baghdad.x, baghdad.y);
    await expect.poll(() => page.locator('input[data-region="IQ-BG"]').isChecked()).toBe(true);
    expect((await regionState(page, 'IQ-BG')).selected).toBe(true);
    await page.locator('input[data-region="IQ-AN"]').check();

    // The post's location: one click with the "Place post" tool.
    await page.getByTestId('tool-location').click();
    await page.mouse.click(baghdad.x, baghdad.y);
    await expect.poll(() => page.getByTestId('post-lat').inputValue()).not.toBe('');

    // An area: four corners, the last one double-clicked.
    await page.getByTestId('tool-draw').click();
    const corners: [number, number][] = [
      [46.8, 30.1],
      [47.7, 30.1],
      [47.7, 30.9],
      [46.8, 30.9],
    ];
    for (const [i, corner] of corners.entries()) {
      const { x, y } = await districtPixel(page, corner);
      if (i < corners.length - 1) await page.mouse.click(x, y);
      else await page.mouse.dblclick(x, y);
    }
    await expect.poll(() => page.getByTestId('finish-area').isDisabled()).toBe(true);
    await page.getByTestId('clear-area').waitFor();
    expect(await page.getByTestId('clear-area').isDisabled()).toBe(false);

    await page.getByTestId('post-save').click();
    await page.waitForURL(/\/posts\/[\w-]+\/edit\?saved=1$/);
    postId = new URL(page.url()).pathname.split('/')[3] ?? '';
    const api = await apiAs(server, server.admin);
    const { post } = await api<{
      post: {
        location: { lat: number; lon: number };
        district: { regions: string[]; geometry: { type: string; coordinates: number[][][] } | null };
      };
    }>('GET', `/api/posts/${postId}`);
    expect([...post.district.regions].sort()).toEqual(['IQ-AN', 'IQ-BG']);
    expect(post.district.geometry?.type).toBe('Polygon');
    expect(post.district.geometry?.coordinates[0]).toHaveLength(5);
    expect(post.location.lat).toBeCloseTo(33.3, 0);
  });

  it('shows the gaps of the country, highlighted in the list and on the map', async () => {
    const validation = page.getByTestId('district-validation');
    await validation.waitFor();
    expect(await validation.getAttribute('data-ok')).toBe('false');
    const gaps = page.getByTestId('validation-gaps').locator('li');
    await expect.poll(() => gaps.count()).toBeGreaterThan(5);
    expect(
      await page.locator('[data-testid="district-regions"] li[data-issue="gap"]').count(),
    ).toBeGreaterThan(5);
    await expect.poll(async () => (await regionState(page, 'IQ-NI')).issue).toBe('gap');
    expect((await regionState(page, 'IQ-BG')).issue).toBe('');
    await page.getByTestId('district-section').scrollIntoViewIfNeeded();
    await pageShot(page, 'post-district-gaps.png');
  });

  it('refuses an overlapping district and highlights the overlap', async () => {
    await page.goto(`${server.url}/console/posts/new`);
    await page.getByTestId('post-country').selectOption('IQ');
    await page.getByTestId('post-name').fill('Consulate Baghdad');
    await page.getByTestId('post-city').fill('Baghdad');
    await page.getByTestId('post-lat').fill('33.31');
    await page.getByTestId('post-lon').fill('44.37');
    await page.locator('input[data-region="IQ-BG"]').check();
    await page.getByTestId('post-save').click();
    const error = page.getByTestId('post-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('district_overlap');
    expect(await error.textContent()).toContain('Embassy Baghdad');
    await expect
      .poll(() => page.locator('li[data-issue="overlap"] input[data-region="IQ-BG"]').count())
      .toBe(1);
    await pageShot(page, 'post-district-overlap.png');
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
