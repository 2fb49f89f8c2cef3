import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cliActor } from '../../src/services/audit/audit.ts';
import { createUser } from '../../src/services/auth/users.ts';
import type { startTestServer } from '../support/server.ts';

const execFileAsync = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export type Server = Awaited<ReturnType<typeof startTestServer>>;

/** The server serves web/dist, so the console must have been built at least once. */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(join(repoRoot, 'web/dist/index.html')) && !process.env.WARDEN_REBUILD_WEB) return;
  await execFileAsync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], { cwd: repoRoot });
}

export function screenshotPath(name: string): string {
  const dir = join(repoRoot, 'test-results');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/**
 * The address of a console page on the test server ('/users', '/audit?action=x'). Tests build
 * console URLs here only, so moving the console under another prefix changes one line.
 */
export function consoleUrl(server: { url: string }, path = '/'): string {
  return `${server.url}/console${path === '/' ? '' : path}`;
}

export interface Account {
  email: string;
  password: string;
  id: string;
}

/** A staff account on the test server's database, with a password the test knows. */
export async function addUser(
  server: Server,
  email: string,
  role: 'admin' | 'crisis_manager' | 'officer' | 'viewer',
  scope: string[] = [],
): Promise<Account> {
  const password = `browser-test-${role}-password`;
  const { user } = await createUser(server.ctx, cliActor, { email, role, scope, password });
  return { email, password, id: user.id };
}

/** A cookie-authenticated API caller, for fixtures the test does not need to click through. */
export async function apiAs(server: Server, account: { email: string; password: string }) {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-warden-csrf': '1' },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? ''])
    .map((c) => c.split(';')[0])
    .join('; ');
  return async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        cookie,
        'x-warden-csrf': '1',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path} -> ${r.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
}

/** A browser context signed in through the login page; page errors are collected. */
export async function signIn(
  browser: Browser,
  server: Server,
  account: { email: string; password: string },
  errors: string[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => errors.push(`${account.email}: ${err.message}`));
  await page.goto(consoleUrl(server, '/login'));
  await page.getByTestId('login-email').fill(account.email);
  await page.getByTestId('login-password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  return { context, page };
}

/** Viewport coordinates of a lng/lat on the main map. */
export async function pixelOf(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((target) => {
    const map = window.__wardenMap;
    if (!map) throw new Error('window.__wardenMap is not set');
    const point = map.project(target);
    const rect = map.getCanvas().getBoundingClientRect();
    return { x: rect.left + point.x, y: rect.top + point.y };
  }, lngLat);
}

/** RGB of screenshot pixels (decoded in the page: Node has no PNG decoder here). */
export async function screenshotPixels(page: Page, points: { x: number; y: number }[]): Promise<number[][]> {
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

/**
 * Screenshot of a whole console page: content pages scroll inside the shell, so the viewport is
 * stretched to the page's height for the picture and restored afterwards.
 */
export async function pageShot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1360, height: 900 };
  const height = await page.evaluate(() => {
    const scroller = document.querySelector('.page');
    const header = document.querySelector('.topbar');
    return (scroller?.scrollHeight ?? 0) + (header?.getBoundingClientRect().height ?? 0);
  });
  if (height > size.height)
    await page.setViewportSize({ width: size.width, height: Math.min(height + 8, 6000) });
  await page.waitForTimeout(150);
  await page.screenshot({ path: screenshotPath(name) });
  if (height > size.height) await page.setViewportSize(size);
}
