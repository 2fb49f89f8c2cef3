import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const screenshotPath = join(repoRoot, 'test-results', 'console-map.png');
const IRAQ: [number, number] = [44.4, 33.3];
const MEDITERRANEAN: [number, number] = [20, 34];

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** The server serves web/dist, so the console must have been built at least once. */
async function ensureWebBuilt(): Promise<void> {
  if (existsSync(join(repoRoot, 'web/dist/index.html')) && !process.env.WARDEN_REBUILD_WEB) return;
  await execFileAsync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], { cwd: repoRoot });
}

/** Viewport coordinates of a lng/lat, via the map's test hook. */
async function pixelOf(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((target) => {
    const map = window.__wardenMap;
    if (!map) throw new Error('window.__wardenMap is not set');
    const point = map.project(target);
    const rect = map.getCanvas().getBoundingClientRect();
    return { x: rect.left + point.x, y: rect.top + point.y };
  }, lngLat);
}

/** Names of the countries the map has actually drawn at a lng/lat. */
async function countriesAt(page: Page, lngLat: [number, number]): Promise<string[]> {
  return page.evaluate((target) => {
    const map = window.__wardenMap;
    if (!map) throw new Error('window.__wardenMap is not set');
    return map
      .queryRenderedFeatures(map.project(target), { layers: ['countries-fill'] })
      .map((f) => String(f.properties.name));
  }, lngLat);
}

/**
 * RGB of screenshot pixels. Decoding happens in the page because Node has no PNG decoder here;
 * reading the screenshot (not the WebGL buffer) proves the countries reached the screen.
 */
async function screenshotPixels(page: Page, points: { x: number; y: number }[]): Promise<number[][]> {
  const png = (await page.screenshot()).toString('base64');
  return page.evaluate(
    async ({ png, points }) => {
      const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(bitmap, 0, 0);
      return points.map(({ x, y }) => [
        ...ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3),
      ]);
    },
    { png, points },
  );
}

describe('web console', { timeout: 60_000 }, () => {
  let server: Server;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const unsafeRequests: { url: string; csrf: string | undefined }[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('request', (req) => {
      if (
        req.method() !== 'GET' &&
        req.method() !== 'HEAD' &&
        new URL(req.url()).pathname.startsWith('/api/')
      ) {
        unsafeRequests.push({ url: req.url(), csrf: req.headers()['x-warden-csrf'] });
      }
    });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('sends anonymous visitors to the login page', async () => {
    await page.goto(`${server.url}/console`);
    await page.waitForURL(/\/console\/login$/);
    await expect.poll(() => page.getByTestId('login-email').isVisible()).toBe(true);
  });

  it('shows the server error for a wrong password', async () => {
    await page.getByTestId('login-email').fill(server.admin.email);
    await page.getByTestId('login-password').fill(`${server.admin.password}-wrong`);
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(((await error.textContent()) ?? '').trim()).not.toBe('');
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect(await page.getByTestId('user-menu').count()).toBe(0);
  });

  it('signs in and shows who is signed in', async () => {
    await page.getByTestId('login-email').fill(server.admin.email);
    await page.getByTestId('login-password').fill(server.admin.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${server.url}/console`);
    await page.getByTestId('user-menu').waitFor();
    expect(await page.getByTestId('user-email').textContent()).toBe(server.admin.email);
    expect(((await page.getByTestId('user-role').textContent()) ?? '').trim()).not.toBe('');
  });

  it('draws the countries on the map', async () => {
    const map = page.locator('[data-testid="map"][data-ready="true"]');
    await map.waitFor({ timeout: 45_000 });
    expect(await map.locator('canvas').count()).toBeGreaterThan(0);
    expect(Number(await map.getAttribute('data-country-count'))).toBeGreaterThan(150);

    const drawn = await page.evaluate(() => {
      const names = window.__wardenMap?.queryRenderedFeatures({ layers: ['countries-fill'] }) ?? [];
      return new Set(names.map((f) => String(f.properties.name))).size;
    });
    expect(drawn).toBeGreaterThan(10);
    expect(await countriesAt(page, IRAQ)).toContain('Iraq');
    expect(await countriesAt(page, MEDITERRANEAN)).toEqual([]);

    // Land and sea must look different on screen, or the map is blank whatever the data says.
    const [land, sea] = await screenshotPixels(page, [
      await pixelOf(page, IRAQ),
      await pixelOf(page, MEDITERRANEAN),
    ]);
    const distance = Math.hypot(...(land ?? []).map((v, i) => v - (sea?.[i] ?? 0)));
    expect(distance).toBeGreaterThan(20);
  });

  it('opens the country panel when Iraq is clicked', async () => {
    const { x, y } = await pixelOf(page, IRAQ);
    await page.mouse.click(x, y);
    const panel = page.getByTestId('country-panel');
    await panel.waitFor();
    expect(await page.getByTestId('country-name').textContent()).toBe('Iraq');
    expect(await page.getByTestId('country-code').textContent()).toContain('IQ');
    const regions = page.getByTestId('region-list').locator('li');
    await regions.first().waitFor({ timeout: 15_000 });
    expect(await regions.count()).toBeGreaterThan(0);

    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: screenshotPath });
  });

  it('signs out back to the login page and keeps / behind it', async () => {
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/console\/login$/);
    await page.getByTestId('login-email').waitFor();

    const me = await context.request.get(`${server.url}/api/auth/me`);
    expect(me.status()).toBe(401);

    await page.goto(`${server.url}/console`);
    await page.waitForURL(/\/console\/login$/);
    expect(await page.getByTestId('user-menu').count()).toBe(0);
  });

  it('sent the CSRF header on every unsafe request and raised no page errors', () => {
    expect(unsafeRequests.length).toBeGreaterThanOrEqual(3);
    for (const request of unsafeRequests) expect(request, request.url).toMatchObject({ csrf: '1' });
    expect(pageErrors).toEqual([]);
  });
});
