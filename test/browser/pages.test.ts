import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorld } from '../../src/demo/index.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import { ensureWebBuilt, pageShot, pixelOf, type Server, screenshotPath, signIn } from './helpers.ts';

// A tour of every console page over the demo world (Basrah, September 2018): each page renders
// its data without a page error, and a screenshot of each is kept for people to look at.

// West of Baghdad: the embassy marker sits at [44.39, 33.30] and would take the click.
const IRAQ: [number, number] = [43.5, 32.5];

describe('console pages over the demo world', { timeout: 90_000 }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let basrah: string;
  let viewer: { email: string; password: string };
  let crisis: { email: string; password: string };
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const accounts = await loadDemoWorld(server.ctx, cliActor, { forcedPasswordChange: false });
    const found = accounts.find((a) => a.role === 'crisis_manager');
    const foundViewer = accounts.find((a) => a.role === 'viewer');
    if (!found || !foundViewer) throw new Error('demo accounts missing');
    crisis = found;
    viewer = foundViewer;
    browser = await launchBrowser();
    ({ page } = await signIn(browser, server, crisis, errors));
    const posts = (await (await page.request.get(`${server.url}/api/posts`)).json()) as {
      posts: { id: string; name: string }[];
    };
    basrah = posts.posts.find((p) => p.name.includes('Basrah'))?.id ?? '';
    expect(basrah).not.toBe('');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('map: advisory colours, zones, post markers, panels', async () => {
    await page.goto(`${server.url}/console`);
    await page.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 45_000 });
    await expect.poll(() => page.getByTestId('map').getAttribute('data-advisory-count')).not.toBe('0');
    await page.getByTestId(`post-marker-${basrah}`).waitFor();
    expect(await page.getByTestId(`post-marker-${basrah}`).getAttribute('data-posture')).toBe(
      'ordered_departure',
    );
    await page.getByTestId('map-legend').waitFor();
    await page.screenshot({ path: screenshotPath('tour-map.png') });

    await page.getByTestId(`post-marker-${basrah}`).click();
    await page.getByTestId('post-panel').waitFor();
    expect(await page.getByTestId('post-panel-coverage').textContent()).toContain('Baghdad');
    await page.screenshot({ path: screenshotPath('tour-map-post.png') });

    await page.keyboard.press('Escape');
    const { x, y } = await pixelOf(page, IRAQ);
    await page.mouse.click(x, y);
    await page.getByTestId('panel-advisory').waitFor();
    await expect.poll(() => page.getByTestId('panel-advisory').getAttribute('data-level')).toBe('4');
    await page.screenshot({ path: screenshotPath('tour-map-country.png') });
  });

  it('posts list and the Basrah post page', async () => {
    await page.getByTestId('nav-posts').click();
    await page.getByTestId('posts-table').waitFor();
    await pageShot(page, 'tour-posts.png');
    await page.goto(`${server.url}/console/posts/${basrah}`);
    await page.getByTestId('posture-timeline').waitFor();
    expect(await page.getByTestId('post-posture').getAttribute('data-posture')).toBe('ordered_departure');
    await pageShot(page, 'tour-post.png');
    await page.getByTestId('change-posture').click();
    await page.getByTestId('posture-form').waitFor();
    // Ordered departure is current, so it cannot be chosen again; the return to normal needs approval.
    expect(await page.getByTestId('posture-option-ordered_departure').locator('input').isDisabled()).toBe(
      true,
    );
    await page.getByTestId('posture-option-normal').click();
    await page.getByTestId('two-person-notice').waitFor();
    // Resumption starts with every service open again.
    expect(await page.getByTestId('service-citizenServices').isChecked()).toBe(true);
    expect(await page.getByTestId('staff-departure').inputValue()).toBe('none');
    await pageShot(page, 'tour-post-form.png');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // A staff movement restriction is drawn on the same map tools.
    await page.getByRole('button', { name: 'Add restriction' }).click();
    await page
      .getByTestId('restriction-form')
      .locator('[data-testid="district-map"][data-ready="true"]')
      .waitFor();
    await page.getByTestId('restrictions').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshotPath('tour-restriction-form.png') });
  });

  it('post editor with the district map and validation', async () => {
    await page.goto(`${server.url}/console/posts/${basrah}/edit`);
    await page.locator('[data-testid="district-map"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('district-validation').waitFor();
    await page.waitForTimeout(500);
    await pageShot(page, 'tour-post-edit.png');
  });

  it('approvals, advisories, tasks', async () => {
    await page.goto(`${server.url}/console/approvals?status=all`);
    await page.locator('[data-testid^="request-"]').first().waitFor();
    await pageShot(page, 'tour-approvals.png');

    await page.getByTestId('nav-advisories').click();
    await page.getByTestId('advisories-table').waitFor();
    await pageShot(page, 'tour-advisories.png');

    await page.goto(`${server.url}/console/advisories/IQ`);
    await page.getByTestId('edition-view').waitFor();
    const rows = page.locator('[data-testid^="edition-row-"]');
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    const ids = await rows.evaluateAll((els) =>
      els.map((e) => (e.getAttribute('data-testid') ?? '').slice(12)),
    );
    await page.getByTestId(`diff-from-${ids[1]}`).check();
    await page.getByTestId(`diff-to-${ids[0]}`).check();
    await page.getByTestId('edition-diff').waitFor();
    await pageShot(page, 'tour-advisory.png');

    await page.getByTestId('nav-tasks').click();
    await page.getByTestId('tasks-page').waitFor();
    const task = page.locator('[data-kind="advisory_review"]').first();
    await task.waitFor();
    await pageShot(page, 'tour-tasks.png');

    // Resolving with a recorded reason clears the task and the badge.
    expect(await page.getByTestId('nav-tasks-count').textContent()).toBe('1');
    await task.getByTestId('task-resolve').click();
    await task.getByTestId('task-reason').fill('Reviewed: Iraq stays at Level 4; no new edition needed.');
    await task.getByTestId('task-resolve-confirm').click();
    await page.getByTestId('no-tasks').waitFor();
    await expect.poll(() => page.getByTestId('nav-tasks-count').count()).toBe(0);
  });

  it('gives a viewer read-only pages', async () => {
    const view = await signIn(browser, server, viewer, errors);
    const v = view.page;
    await v.getByText('Read-only', { exact: true }).waitFor();
    await v.getByTestId('nav-posts').click();
    await v.getByTestId('posts-table').waitFor();
    expect(await v.getByTestId('new-post').count()).toBe(0);
    await v.goto(`${server.url}/console/posts/${basrah}`);
    await v.getByTestId('posture-timeline').waitFor();
    expect(await v.getByTestId('change-posture').count()).toBe(0);
    expect(await v.getByTestId('edit-post').count()).toBe(0);
    await v.goto(`${server.url}/console/advisories/IQ`);
    await v.getByTestId('edition-view').waitFor();
    expect(await v.getByTestId('new-draft').count()).toBe(0);
    await pageShot(v, 'tour-viewer-post.png');
    await view.context.close();
  });

  it('highlights advisories overdue for review', async () => {
    // A year on, the six-month reviews of the Level 4 countries are late.
    server.ctx.clock.set(new Date(Date.now() + 365 * 86_400_000));
    const again = await signIn(browser, server, crisis, errors);
    await again.page.getByTestId('nav-advisories').click();
    await again.page.getByTestId('overdue-summary').waitFor();
    expect(await again.page.getByTestId('advisory-row-IQ').getAttribute('data-overdue')).toBe('true');
    await pageShot(again.page, 'tour-advisories-overdue.png');
    await again.context.close();
  });

  it('organisations and the traveller pages', async () => {
    // A fresh sign-in: the test before moved the clock a year on, past the first session's end.
    const staff = await signIn(browser, server, crisis, errors);
    await staff.page.goto(`${server.url}/console/organisations`);
    await staff.page.getByTestId('organisations-page').waitFor();
    await pageShot(staff.page, 'tour-organisations.png');
    await staff.context.close();
    // The public pages need no sign-in and show no staff bar.
    const visitor = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const v = await visitor.newPage();
    v.on('pageerror', (err) => errors.push(`visitor: ${err.message}`));
    for (const [path, testId] of [
      ['/enroll', 'enroll-form'],
      ['/enroll/manage', 'link-request-form'],
      ['/subscribe', 'subscribe-form'],
      ['/privacy', 'privacy-page'],
    ] as const) {
      await v.goto(`${server.url}${path}`);
      await v.getByTestId(testId).waitFor();
      expect(await v.locator('.topbar').count()).toBe(0);
      await v.screenshot({
        path: screenshotPath(`tour-public${path.replace(/\//g, '-')}.png`),
        fullPage: true,
      });
    }
    await visitor.close();
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
