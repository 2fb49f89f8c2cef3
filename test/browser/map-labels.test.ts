import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import { consoleUrl, ensureWebBuilt, type Server, screenshotPath, signIn } from './helpers.ts';

// Issue 16: country and city names on the offline map (HTML labels, see web/src/map/labelLayer.ts),
// checked at three zooms with a screenshot of each.

describe('map labels', { timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
    ({ page } = await signIn(browser, server, server.admin, errors));
    await page.goto(consoleUrl(server, '/'));
    await page.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 45_000 });
    // The loading veil goes once the countries are drawn.
    expect(await page.getByTestId('map-loading').count()).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Jumps the map, waits for the labels to be placed, screenshots, and returns the names shown. */
  async function labelsAt(center: [number, number], zoom: number, shot: string) {
    await page.evaluate(
      ({ center, zoom }) => {
        const map = window.__wardenMap;
        if (!map) throw new Error('window.__wardenMap is not set');
        map.jumpTo({ center, zoom });
      },
      { center, zoom },
    );
    // Cities arrive after the countries; the count settles once both are placed.
    await page.waitForTimeout(400);
    await page.screenshot({ path: screenshotPath(shot) });
    const countries = await page.locator('.map-label-country').allTextContents();
    const cities = await page.locator('.map-label-city').allTextContents();
    return { countries, cities };
  }

  it('shows country names zoomed out, capitals in the region, and cities up close', async () => {
    await expect.poll(() => page.locator('.map-label-city').count(), { timeout: 15_000 }).toBeGreaterThan(0);

    const world = await labelsAt([30, 30], 2, 'map-labels-z2.png');
    expect(world.countries.length).toBeGreaterThan(15);
    expect(world.countries).toEqual(expect.arrayContaining(['Russia', 'Saudi Arabia']));
    expect(world.cities).toEqual([]);

    const region = await labelsAt([44.4, 32], 5, 'map-labels-z5.png');
    expect(region.countries).toEqual(expect.arrayContaining(['Iraq', 'Kuwait', 'Iran']));
    expect(region.cities).toEqual(expect.arrayContaining(['Baghdad', 'Tehran', 'Basrah']));

    const close = await labelsAt([47.8, 30.5], 7.5, 'map-labels-z7.png');
    expect(close.cities).toContain('Basrah');
    // Labels never overlap each other.
    const boxes = await page.locator('.map-label').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
      }),
    );
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const overlap = a.x0 < b.x1 - 1 && b.x0 < a.x1 - 1 && a.y0 < b.y1 - 1 && b.y0 < a.y1 - 1;
        expect(overlap, `labels ${i} and ${j} overlap`).toBe(false);
      }
    expect(errors).toEqual([]);
  });
});
