import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import {
  type Account,
  addUser,
  apiAs,
  ensureWebBuilt,
  pageShot,
  type Server,
  screenshotPath,
  signIn,
} from './helpers.ts';

// The two-person rule in the console: officer A requests ordered departure for Basrah and cannot
// approve it; crisis manager B, in a second browser, reviews the exact content and approves it
// (after an edit by A made B's first approval stale). The post is then on ordered departure and an
// advisory review task is open.

interface PostBody {
  post: { id: string; name: string };
}

describe('posture change with a second approval', { timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let requester: Account;
  let approver: Account;
  let a: Page;
  let b: Page;
  let basrah: string;
  let requestId: string;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    requester = await addUser(server, 'officer.a@example.org', 'officer', ['country:IQ']);
    approver = await addUser(server, 'crisis.b@example.org', 'crisis_manager');
    const admin = await apiAs(server, server.admin);
    await admin<PostBody>('POST', '/api/posts', {
      kind: 'embassy',
      name: 'Embassy Baghdad',
      city: 'Baghdad',
      country: 'IQ',
      location: { lat: 33.3, lon: 44.39 },
      contact: { phone: '+964 760 030 3000' },
      district: {
        regions: [
          'IQ-BG',
          'IQ-AN',
          'IQ-BB',
          'IQ-DI',
          'IQ-KA',
          'IQ-KI',
          'IQ-NA',
          'IQ-NI',
          'IQ-QA',
          'IQ-SD',
          'IQ-WA',
        ],
      },
    });
    const created = await admin<PostBody>('POST', '/api/posts', {
      kind: 'consulate_general',
      name: 'Consulate General Basrah',
      city: 'Basrah',
      country: 'IQ',
      location: { lat: 30.51, lon: 47.81 },
      contact: { phone: '+964 760 030 3000', email: 'BasrahACS@example.org' },
      district: { regions: ['IQ-BA', 'IQ-MA', 'IQ-DQ', 'IQ-MU'] },
    });
    basrah = created.post.id;
    browser = await launchBrowser();
    ({ page: a } = await signIn(browser, server, requester, errors));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('A requests ordered departure from the post page', async () => {
    await a.goto(`${server.url}/console/posts/${basrah}`);
    expect(await a.getByTestId('post-posture').getAttribute('data-posture')).toBe('normal');
    await a.getByTestId('change-posture').click();
    const form = a.getByTestId('posture-form');
    await form.waitFor();
    await a.getByTestId('posture-option-ordered_departure').click();
    await a.getByTestId('two-person-notice').waitFor();
    expect(await a.getByTestId('staff-departure').inputValue()).toBe('ordered');
    await a.getByTestId('service-citizenServices').uncheck();
    await a.getByTestId('service-visas').uncheck();
    await a.getByTestId('service-walkIn').uncheck();
    await a.getByTestId('coverage-post').selectOption({ label: 'Embassy Baghdad' });
    await a
      .getByTestId('posture-reason')
      .fill('Repeated indirect fire at the consulate and the embassy, one within the past 24 hours.');
    await a
      .getByTestId('statement-text')
      .fill(
        'The Consulate General in Basrah is on ordered departure. Citizen services are provided by the Embassy in Baghdad.',
      );
    await a.getByTestId('statement-by').fill('Department spokesperson');
    await pageShot(a, 'posture-form.png');
    expect(await a.getByTestId('posture-submit').textContent()).toBe('Request approval');
    await a.getByTestId('posture-submit').click();

    await a.getByTestId('posture-requested').waitFor();
    // Nothing changed yet: the post keeps its posture until a second person approves.
    expect(await a.getByTestId('post-posture').getAttribute('data-posture')).toBe('normal');
    const href = await a.getByTestId('posture-request-link').getAttribute('href');
    requestId = href?.split('/').pop() ?? '';
    expect(requestId).not.toBe('');
  });

  it('A sees that they cannot approve their own request', async () => {
    await a.getByTestId('posture-request-link').click();
    const card = a.getByTestId(`request-${requestId}`);
    await card.waitFor();
    await card.getByTestId('own-request-notice').waitFor();
    expect(await card.getByTestId('approve').count()).toBe(0);
    expect(await card.getByTestId('request-requester').textContent()).toContain('you');
    expect(await card.getByTestId('request-posture').getAttribute('data-posture')).toBe('ordered_departure');
    await pageShot(a, 'posture-own-request.png');
  });

  it('B reviews the exact content; an edit by A in between makes the first approval stale', async () => {
    ({ page: b } = await signIn(browser, server, approver, errors));
    await b.getByTestId('nav-approvals-count').waitFor();
    expect(await b.getByTestId('nav-approvals-count').textContent()).toBe('1');
    // A is not nagged about a request only someone else can decide.
    expect(await a.getByTestId('nav-approvals-count').count()).toBe(0);
    await b.getByTestId('nav-approvals').click();
    const card = b.getByTestId(`request-${requestId}`);
    await card.waitFor();
    await expect.poll(() => card.getByTestId('hash-check').getAttribute('data-state')).toBe('match');
    const shownHash = (await card.getByTestId('request-hash').textContent()) ?? '';
    expect(shownHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await card.getByTestId('request-content').textContent()).toContain('"state": "ordered_departure"');
    expect(await card.getByTestId('own-request-notice').count()).toBe(0);

    // A edits the request (in the console) after B read it.
    const mine = a.getByTestId(`request-${requestId}`);
    await mine.getByTestId('edit-request').click();
    await mine.getByTestId('edit-request-notice').waitFor();
    await mine
      .getByTestId('posture-reason')
      .fill(
        'Repeated indirect fire at the consulate and the embassy; the latest attack was within 24 hours.',
      );
    await mine.getByTestId('posture-submit').click();
    await a.getByTestId('approvals-flash').waitFor();
    const newHash = await a.getByTestId(`request-${requestId}`).getByTestId('request-hash').textContent();
    expect(newHash).not.toBe(shownHash);

    await card.getByTestId('approve').click();
    const error = card.getByTestId('approve-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('approval_stale');
    expect(await error.textContent()).toContain('changed after you opened it');
    await card.scrollIntoViewIfNeeded();
    await pageShot(b, 'posture-approval-stale.png');
  });

  it('B re-reads the request and approves it', async () => {
    const card = b.getByTestId(`request-${requestId}`);
    await card.getByTestId('reload-requests').click();
    await expect.poll(() => card.getByTestId('request-content').textContent()).toContain('latest attack');
    await expect.poll(() => card.getByTestId('hash-check').getAttribute('data-state')).toBe('match');
    expect(await card.getByTestId('request-content').textContent()).toContain(
      'latest attack was within 24 hours',
    );
    await pageShot(b, 'posture-approve.png');
    await card.getByTestId('approve').click();
    const flash = b.getByTestId('approvals-flash');
    await flash.waitFor();
    expect(await flash.textContent()).toContain('Ordered departure');
    await b.getByTestId('no-requests').waitFor();
  });

  it('the post is on ordered departure, covered by Baghdad, and an advisory review task is open', async () => {
    await b.goto(`${server.url}/console/posts/${basrah}`);
    await b.getByTestId('posture-timeline').waitFor();
    expect(await b.getByTestId('post-posture').getAttribute('data-posture')).toBe('ordered_departure');
    expect(await b.getByTestId('current-posture').textContent()).toContain('Embassy Baghdad');
    const timeline = b.getByTestId('posture-timeline');
    expect(await timeline.locator('li').first().getAttribute('data-state')).toBe('ordered_departure');
    expect(await timeline.textContent()).toContain('approved by you');
    await pageShot(b, 'posture-applied.png');

    await b.getByTestId('nav-tasks').click();
    const task = b.locator('[data-kind="advisory_review"]');
    await task.first().waitFor();
    expect(await task.first().textContent()).toContain('Basrah');
    await b.getByTestId('nav-tasks-count').waitFor();
    await pageShot(b, 'posture-tasks.png');

    // The map shows the marker in the ordered-departure colour.
    await b.getByTestId('nav-map').click();
    await b.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 45_000 });
    const marker = b.getByTestId(`post-marker-${basrah}`);
    await marker.waitFor({ timeout: 45_000 });
    await expect.poll(() => marker.getAttribute('data-posture')).toBe('ordered_departure');
    await marker.click();
    await b.getByTestId('post-panel').waitFor();
    expect(await b.getByTestId('post-panel-coverage').textContent()).toContain('Embassy Baghdad');
    await b.screenshot({ path: screenshotPath('posture-map.png') });
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
