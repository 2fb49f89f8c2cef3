import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import { addUser, ensureWebBuilt, pageShot, type Server, signIn } from './helpers.ts';

// Staff set up an organisation: create it, issue an API token (shown once), import its people
// from a CSV with a per-row error report, import again (nothing changes), revoke the token and
// disable the organisation. A viewer does not see the pages.

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const CSV = [
  'External ID,name,email,phone,language,emergency_name,country,place_id,arrival,departure',
  `emp-1,Amal Saleh,amal@relief.example,,en,Hadi Saleh,IQ,99532,${day(2)},${day(30)}`,
  `emp-1,Amal Saleh,amal@relief.example,,en,Hadi Saleh,KW,,${day(31)},`,
  `emp-2,Bad Address,not-an-email,,en,Someone,IQ,99532,${day(2)},${day(9)}`,
  `emp-3,Chris Young,,+44 7911 123457,en,Pat Young,IQ,,${day(1)},`,
].join('\n');

describe('organisations in the console', { timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let orgId = '';
  let secret = '';
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

  const asOrg = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status);

  it('creates an organisation and issues a token shown once', async () => {
    await page.getByTestId('nav-organisations').click();
    await page.getByTestId('organisations-page').waitFor();
    await page.getByTestId('new-organisation-button').click();
    await page.getByTestId('organisation-name').fill('Relief Partners');
    await page.getByLabel('Notes').fill('Duty of care desk: +44 20 7946 0000');
    await page.getByTestId('organisation-create').click();
    await page.getByTestId('organisation-page').waitFor();
    orgId = new URL(page.url()).pathname.split('/').pop() ?? '';
    expect(orgId).not.toBe('');
    expect(await page.locator('h1').textContent()).toBe('Relief Partners');

    await page.getByTestId('token-label').fill('HR system');
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-secret').waitFor();
    secret = await page.getByTestId('token-secret-value').inputValue();
    expect(secret).toMatch(/^wor_/);
    await page.getByTestId('token-copy').click();
    expect(await page.getByTestId('tokens-table').locator('tbody tr').count()).toBe(1);
    await pageShot(page, 'organisation-token.png');
    // Once dismissed, the secret is gone from the page for good.
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    await page.reload();
    await page.getByTestId('organisation-tokens').waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('imports people from a CSV and reports the rows it refused', async () => {
    const section = page.getByTestId('organisation-import');
    // A file of the wrong kind is refused before it is sent.
    await section.getByTestId('import-file').setInputFiles({
      name: 'acled.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('event_id_cnty,event_date\nIRQ1,2018-09-07\n'),
    });
    await section.getByTestId('import-submit').click();
    await section.getByTestId('import-problem').waitFor();
    expect(await section.getByTestId('import-problem').textContent()).toContain(
      'does not look like an enrollment',
    );

    await section.getByTestId('import-file').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    });
    expect(await section.getByTestId('import-problem').count()).toBe(0);
    await section.getByTestId('import-submit').click();
    await section.getByTestId('import-report').waitFor();
    const value = (key: string) => section.getByTestId(`import-${key}`).getAttribute('data-value');
    expect(await value('rows')).toBe('4');
    expect(await value('persons')).toBe('3');
    expect(await value('created')).toBe('2');
    expect(await value('failed-persons')).toBe('1');
    const bad = section.getByTestId('import-errors').locator('tbody tr');
    expect(await bad.count()).toBe(1);
    expect(await bad.first().getAttribute('data-field')).toBe('email');
    expect(await bad.first().textContent()).toContain('emp-2');
    await expect.poll(() => page.getByTestId('organisation-persons').textContent()).toBe('2');
    await pageShot(page, 'organisation-import.png');

    // The same file again changes nothing.
    await section.getByTestId('import-submit').click();
    await expect.poll(() => value('unchanged')).toBe('2');
    expect(await value('created')).toBe('0');
    await expect.poll(() => page.getByTestId('imports-table').locator('tbody tr').count()).toBe(2);

    // The organisation's own token reads its people.
    expect(await asOrg('/api/org/enrollments/emp-1')).toBe(200);
  });

  it('revokes the token and disables the organisation', async () => {
    await page.getByTestId('token-revoke').click();
    await page.getByTestId('token-revoke-confirm').click();
    await expect
      .poll(() => page.getByTestId('tokens-table').locator('tbody tr').first().getAttribute('data-revoked'))
      .toBe('true');
    expect(await asOrg('/api/org/enrollments/emp-1')).toBe(401);

    await page.getByTestId('organisation-toggle').click();
    await expect.poll(() => page.getByTestId('organisation-toggle').textContent()).toBe('Enable');
    expect(await page.getByTestId('organisation-import').getByTestId('import-submit').isDisabled()).toBe(
      true,
    );
    await page.getByRole('link', { name: '← Organisations' }).click();
    await page.getByTestId(`organisation-row-${orgId}`).waitFor();
    expect(await page.getByTestId(`organisation-row-${orgId}`).textContent()).toContain('Disabled');
    await pageShot(page, 'organisations.png');
  });

  it('keeps the pages from other roles', async () => {
    const viewer = await addUser(server, 'viewer@example.org', 'viewer');
    const v = await signIn(browser, server, viewer, errors);
    expect(await v.page.getByTestId('nav-organisations').count()).toBe(0);
    await v.page.goto(`${server.url}/console/organisations`);
    await v.page.getByText('Organisations are managed by administrators').waitFor();
    await v.context.close();
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
