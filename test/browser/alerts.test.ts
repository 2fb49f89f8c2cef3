import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { startSmtpServer, type TestSmtpServer } from '../channels/smtp-server.ts';
import { CBD, enrollTraveller, IN_CBD } from '../support/alert-fixtures.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import { type Account, addUser, apiAs, ensureWebBuilt, pageShot, type Server, signIn } from './helpers.ts';

// The Basrah CBD demonstration alert in the console: officer A drafts it from the staff movement
// restriction (area prefilled, live reach while the form is filled, previews), submits it; crisis
// manager B, in a second browser, approves it; A sends it and the emails arrive in the test SMTP
// server. Then a false alert is cancelled from its page in one click, timed from opening the page
// to the cancel's emails having arrived.

describe('alerts in the console', { timeout: 240_000 }, () => {
  let server: Server;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let officer: Account;
  let crisis: Account;
  let a: Page;
  let b: Page;
  let basrah = '';
  const travellers: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    smtp = await startSmtpServer();
    server = await startTestServer({ env: { WARDEN_SMTP_URL: smtp.url } });
    officer = await addUser(server, 'officer.a@example.org', 'officer', ['country:IQ']);
    crisis = await addUser(server, 'crisis.b@example.org', 'crisis_manager');
    const admin = await apiAs(server, server.admin);
    basrah = (
      await admin<{ post: { id: string } }>('POST', '/api/posts', {
        kind: 'consulate_general',
        name: 'Consulate General Basrah',
        city: 'Basrah',
        country: 'IQ',
        location: { lat: 30.51, lon: 47.81 },
        contact: { phone: '+964 760 030 3000', email: 'BasrahACS@state.gov' },
        district: { regions: ['IQ-BA'] },
      })
    ).post.id;
    await admin<{ restriction: { id: string } }>('POST', `/api/posts/${basrah}/restrictions`, {
      geometry: CBD,
      reason: 'Protests in Basrah have turned violent: avoid the central business district.',
    });
    for (const lang of ['en', 'fr'])
      travellers.push((await enrollTraveller(server.ctx, IN_CBD, { language: lang })).email);
    await drainDeliveries(server.ctx); // their verification emails
    browser = await launchBrowser();
    a = (await signIn(browser, server, officer, errors)).page;
    b = (await signIn(browser, server, crisis, errors)).page;
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  const alertMails = (to: string) =>
    smtp.messages.filter((m, i) => smtp.envelopes[i]?.to.includes(to) && (m.text ?? '').includes('/alerts/'));
  async function waitForMails(to: string, n: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (alertMails(to).length < n && Date.now() < deadline) {
      await drainDeliveries(server.ctx);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(alertMails(to)).toHaveLength(n);
  }

  it('officer A drafts the alert from the restriction with the live reach, and submits it', async () => {
    await a.goto(`${server.url}/posts/${basrah}`);
    await a.getByTestId('restriction-draft-alert').click();
    await a.locator('select[name="start-kind"]').selectOption('demonstration');
    await a.getByTestId('alert-start').click();
    await a.getByTestId('alert-compose').waitFor();
    // The reach of the prefilled CBD polygon: both travellers, exactly located.
    await expect.poll(() => a.getByTestId('reach-total').textContent(), { timeout: 15_000 }).toBe('2');
    expect(await a.getByTestId('reach-exact').textContent()).toBe('2');
    await a
      .locator('input[name="headline"]')
      .fill('Demonstrations in Basrah: avoid the central business district');
    await a.locator('textarea[name="location"]').fill('Basrah, Iraq: the central business district');
    await a
      .locator('textarea[name="actionsToTake"]')
      .fill('Avoid demonstrations and large gatherings. Monitor local media.');
    await expect
      .poll(() => a.getByTestId('preview-subject').textContent(), { timeout: 15_000 })
      .toContain('Demonstrations in Basrah');
    expect(Number(await a.getByTestId('preview-sms-segments').textContent())).toBeGreaterThan(0);
    await pageShot(a, 'alert-compose.png');
    await a.getByTestId('alert-submit').click();
    await a.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
    await expect.poll(() => a.getByTestId('alert-state').getAttribute('data-state')).toBe('pending_approval');
    // Its author cannot approve it.
    expect(await a.getByTestId('alert-approve').count()).toBe(0);
  });

  it('crisis manager B approves it from the queue; A sends it; the emails arrive', async () => {
    const url = a.url();
    await b.goto(`${server.url}/alerts`);
    await b.getByTestId('alerts-tab-pending_approval').click();
    await b.getByTestId('alerts-table').getByRole('link').first().click();
    await b.getByTestId('alert-previews').waitFor();
    await b.getByTestId('alert-approve').click();
    await expect.poll(() => b.getByTestId('alert-state').getAttribute('data-state')).toBe('approved');
    await a.goto(url);
    await a.getByTestId('alert-send').click();
    await expect.poll(() => a.getByTestId('alert-state').getAttribute('data-state')).toBe('sent');
    for (const to of travellers) await waitForMails(to, 1);
    expect(alertMails(travellers[0]!)[0]?.subject).toContain('Demonstrations in Basrah');
    await a.getByTestId('alert-progress').waitFor();
    await pageShot(a, 'alert-sent.png');
  });

  it('a false alert is cancelled in one click; the cancel reaches the same people', async () => {
    const original = a.url();
    const t0 = Date.now();
    await a.goto(original);
    await a.getByTestId('alert-cancel').click();
    await expect.poll(() => a.url(), { timeout: 15_000 }).not.toBe(original);
    await expect.poll(() => a.getByTestId('alert-state').getAttribute('data-state')).toBe('sent');
    for (const to of travellers) await waitForMails(to, 2);
    const seconds = (Date.now() - t0) / 1000;
    console.log(
      `cancel of a false alert: ${seconds.toFixed(1)} s from opening its page to the cancel emails arriving`,
    );
    expect(seconds).toBeLessThan(120);
    expect(alertMails(travellers[0]!)[1]?.subject).toMatch(/cancel/i);
    expect(errors).toEqual([]);
  });
});
