import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/audit/audit.ts';
import { enroll } from '../../src/services/enrollments/enrollments.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { startSmtpServer, type TestSmtpServer } from '../channels/smtp-server.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import { apiAs, ensureWebBuilt, type Server, screenshotPath, signIn } from './helpers.ts';

// A traveller enrolls on a phone, confirms through the link in the email the server really sent
// (over SMTP to an in-process server), asks for a manage link, changes a trip, downloads their
// data and deletes themselves. Then staff see enrollment counts on the map, and only counts.

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const EMAIL = 'layla.haddad@example.org';

/** A free port, so WARDEN_PUBLIC_URL (and so every emailed link) can name this server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The link in the newest mail to `to` after the first `seen` of them. */
async function linkIn(smtp: TestSmtpServer, to: string, seen: number): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = smtp.messages.filter((_m, i) => smtp.envelopes[i]?.to.includes(to));
    const mail = mails[seen];
    if (mail) {
      const m = /(https?:\/\/\S+#token=[A-Za-z0-9_.-]+)/.exec(mail.text ?? '');
      if (!m?.[1]) throw new Error(`no link in mail: ${mail.text}`);
      return m[1];
    }
    if (Date.now() > deadline) throw new Error(`no mail #${seen + 1} to ${to}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const mailCount = (smtp: TestSmtpServer, to: string) =>
  smtp.envelopes.filter((e) => e.to.includes(to)).length;

describe('traveller enrollment in the browser', { timeout: 120_000 }, () => {
  let smtp: TestSmtpServer;
  let server: Server;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    smtp = await startSmtpServer();
    const port = await freePort();
    server = await startTestServer({
      port,
      env: { WARDEN_SMTP_URL: smtp.url, WARDEN_PUBLIC_URL: `http://127.0.0.1:${port}` },
    });
    browser = await launchBrowser();
    // A phone-sized window: the public pages are used on the road.
    context = await browser.newContext({ viewport: { width: 400, height: 860 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it('enrolls with a place search and a map pick, and shows errors next to their fields', async () => {
    await page.goto(`${server.url}/enroll`);
    await page.getByTestId('enroll-form').waitFor();
    // Public: no staff bar, no sign-in page.
    expect(await page.locator('.topbar').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/enroll');

    // Nothing filled in: the browser lists every problem and marks the fields.
    await page.getByTestId('enroll-submit').click();
    await page.getByTestId('error-summary').waitFor();
    expect(await page.getByTestId('error-f-name').textContent()).toContain('Enter your name');
    expect(await page.getByTestId('error-f-consent').isVisible()).toBe(true);
    expect(await page.locator('#f-name').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Your name').fill('Layla Haddad');
    await page.getByLabel('Email', { exact: true }).fill(EMAIL);
    // Passes the browser's check, but no such country code: the server's answer lands on the field.
    await page.getByLabel('Mobile phone').fill('+999 123 4567');
    // The form says when messages would come in English rather than the chosen language.
    await page.getByTestId('language').selectOption('ku');
    expect(await page.getByTestId('language-hint').textContent()).toContain('in English for this language');
    await page.getByTestId('language').selectOption('ar');
    expect(await page.getByTestId('language-hint').textContent()).toBe(
      'Messages will be written in this language.',
    );
    await page.locator('#f-emergencyContact-name').fill('Omar Haddad');
    await page.locator('#f-emergencyContact-phone').fill('+44 7911 123456');

    // Trip 1: Basrah, found by typing.
    const trip1 = page.getByTestId('trip-0');
    await trip1.getByTestId('trip-country').selectOption('IQ');
    await trip1.getByTestId('place-input').fill('Basr');
    await trip1
      .getByTestId('place-option')
      .filter({ hasText: /^Basrah/ })
      .first()
      .click();
    await trip1.getByTestId('place-chosen').waitFor();
    expect(await trip1.getByTestId('place-chosen').textContent()).toContain('Basrah');
    await trip1.getByTestId('trip-arrival').fill(day(3));
    await trip1.getByTestId('trip-departure').fill(day(20));

    // Trip 2: Kuwait, a point picked on the map, and no departure (they live there).
    await page.getByTestId('add-trip').click();
    const trip2 = page.getByTestId('trip-1');
    await trip2.getByTestId('trip-country').selectOption('KW');
    await trip2.getByTestId('trip-mode-point').check();
    await trip2.locator('[data-testid="pick-map"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await trip2.getByTestId('pick-map').scrollIntoViewIfNeeded();
    await page.waitForTimeout(600);
    const at = await page.evaluate(() => {
      const map = window.__wardenPickMap;
      if (!map) throw new Error('no pick map');
      map.jumpTo({ center: [47.98, 29.37], zoom: 9 });
      const p = map.project([47.98, 29.37]);
      const rect = map.getCanvas().getBoundingClientRect();
      return { x: rect.left + p.x, y: rect.top + p.y };
    });
    await page.mouse.click(at.x, at.y);
    await trip2.getByTestId('pick-pin').waitFor();
    await trip2.screenshot({ path: screenshotPath('enroll-trip-map-phone.png') });
    await trip2.getByTestId('trip-arrival').fill(day(21));
    await trip2.getByTestId('trip-open-ended').check();
    expect(await trip2.getByTestId('trip-departure').isDisabled()).toBe(true);

    await page.getByTestId('consent').check();
    await page.screenshot({ path: screenshotPath('enroll-form-phone.png'), fullPage: true });
    await page.getByTestId('enroll-submit').click();
    await page.getByTestId('error-f-phone').waitFor();
    expect(await page.getByTestId('error-f-phone').textContent()).toMatch(/phone number is not valid/i);
    expect(await page.getByTestId('error-summary').textContent()).toContain('Mobile phone');
    await page.screenshot({ path: screenshotPath('enroll-server-error-phone.png'), fullPage: true });

    await page.getByLabel('Mobile phone').fill('');
    await page.getByTestId('enroll-submit').click();
    await page.getByTestId('enroll-sent').waitFor();
    expect(await page.getByTestId('enroll-sent').textContent()).toContain('Check your email');
    await page.screenshot({ path: screenshotPath('enroll-sent-phone.png'), fullPage: true });
  });

  it('confirms the email from the link in the message the server sent', async () => {
    const link = await linkIn(smtp, EMAIL, 0);
    expect(link.startsWith(`${server.url}/enroll/verify#token=`)).toBe(true);
    await page.goto(link);
    await page.getByTestId('verify-result').waitFor();
    expect(await page.getByTestId('verify-result').getAttribute('data-status')).toBe('verified');
    // The token is gone from the address bar (and from history).
    expect(new URL(page.url()).hash).toBe('');
    await page.screenshot({ path: screenshotPath('enroll-verified-phone.png'), fullPage: true });
  });

  it('opens the enrollment from a manage link and changes a trip', async () => {
    await page.getByTestId('verify-manage-link').click();
    await page.getByTestId('link-request-form').waitFor();
    await page.getByLabel('Email address you enrolled with').fill(EMAIL);
    await page.getByTestId('link-request-submit').click();
    await page.getByTestId('link-sent').waitFor();

    const link = await linkIn(smtp, EMAIL, 1);
    expect(link.startsWith(`${server.url}/enroll/manage#token=`)).toBe(true);
    await page.goto(link);
    await page.getByTestId('manage-enrollment').waitFor();
    expect(new URL(page.url()).hash).toBe('');
    // The traveller session is kept for this tab only.
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('warden.traveller-session'),
      local: localStorage.length,
    }));
    expect(stored.session).toContain('wtr_');
    expect(stored.local).toBe(0);
    expect(await page.getByTestId('contact-email').getAttribute('data-verified')).toBe('true');
    expect(await page.locator('[data-testid="trips"] > fieldset.trip').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('enroll-manage-phone.png'), fullPage: true });

    // Kuwait: not a point any more, but anywhere in the country, and leaving after all.
    const trip2 = page.getByTestId('trip-1');
    await trip2.getByTestId('trip-mode-country').check();
    await trip2.getByTestId('trip-open-ended').uncheck();
    await trip2.getByTestId('trip-departure').fill(day(40));
    await page.getByTestId('save-trips').click();
    await page.getByTestId('trips-saved').waitFor();

    // A reload keeps the session (sessionStorage) and shows the saved trip.
    await page.reload();
    await page.getByTestId('manage-enrollment').waitFor();
    expect(await page.getByTestId('trip-1').getByTestId('trip-mode-country').isChecked()).toBe(true);
    expect(await page.getByTestId('trip-1').getByTestId('trip-departure').inputValue()).toBe(day(40));
  });

  let personId = '';

  it('downloads everything stored, then deletes the enrollment', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    expect(download.suggestedFilename()).toBe('warden-enrollment.json');
    const file = await download.path();
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      enrollment: {
        id: string;
        name: string;
        language: string;
        trips: Array<{
          country: string;
          placeId: number | null;
          region: string | null;
          departure: string | null;
        }>;
      };
    };
    personId = data.enrollment.id;
    expect(data.enrollment.name).toBe('Layla Haddad');
    expect(data.enrollment.language).toBe('ar');
    expect(data.enrollment.trips).toEqual([
      expect.objectContaining({ country: 'IQ', placeId: 99532, region: 'IQ-BA', departure: day(20) }),
      expect.objectContaining({ country: 'KW', placeId: null, region: null, departure: day(40) }),
    ]);

    await page.getByTestId('erase').click();
    await page.getByTestId('erase-confirm').waitFor();
    await page.screenshot({ path: screenshotPath('enroll-erase-confirm-phone.png'), fullPage: true });
    await page.getByTestId('erase-yes').click();
    await page.getByTestId('manage-erased').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('warden.traveller-session'))).toBeNull();
  });

  it('leaves nothing behind: staff find no such person, and no link is sent any more', async () => {
    const staff = await apiAs(server, server.admin);
    await expect(staff('GET', `/api/enrollments/${personId}`)).rejects.toThrow(/-> 404/);
    const stats = await staff<{ countries: unknown[] }>('GET', '/api/enrollments/stats');
    expect(stats.countries).toEqual([]);

    const before = mailCount(smtp, EMAIL);
    await page.goto(`${server.url}/enroll/manage`);
    await page.getByLabel('Email address you enrolled with').fill(EMAIL);
    await page.getByTestId('link-request-submit').click();
    // The same answer as for an enrolled address…
    await page.getByTestId('link-sent').waitFor();
    await drainDeliveries(server.ctx);
    // …but nothing was sent.
    expect(mailCount(smtp, EMAIL)).toBe(before);
  });

  it('shows staff the enrolled people by country and region on the map, counts only', async () => {
    // Six more people, straight through the service: five around Basrah, one anywhere in Kuwait.
    for (let i = 0; i < 6; i++) {
      await enroll(
        server.ctx,
        cliActor,
        {
          name: `Traveller ${i}`,
          email: `traveller${i}@example.org`,
          language: 'en',
          emergencyContact: { name: 'Someone' },
          consent: true,
          trips:
            i < 5
              ? [{ country: 'IQ', place: { placeId: 99532 }, arrival: day(1), departure: day(10) }]
              : [{ country: 'KW', wholeCountry: true, arrival: day(1) }],
        },
        `10.0.0.${i + 1}`,
      );
    }
    const staff = await signIn(browser, server, server.admin, errors);
    const p = staff.page;
    await p.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 45_000 });
    expect(await p.getByTestId('enrollment-controls').getAttribute('data-status')).toBe('hidden');
    await p.getByTestId('enrollment-toggle').check();
    await expect.poll(() => p.getByTestId('enrollment-controls').getAttribute('data-status')).toBe('loaded');
    expect(await p.getByTestId('enrollment-controls').getAttribute('data-total')).toBe('6');
    await p.getByTestId('enrollment-legend').waitFor();

    const rendered = () =>
      p.evaluate(() => {
        const map = window.__wardenMap;
        if (!map) return [];
        return map
          .queryRenderedFeatures({ layers: ['enrollments-circles'] })
          .map((f) => `${f.properties.level}:${f.properties.code}:${f.properties.persons}`)
          .sort();
      });
    await expect.poll(rendered, { timeout: 10_000 }).toEqual(['country:IQ:5', 'country:KW:1']);
    await p.screenshot({ path: screenshotPath('enroll-staff-map.png') });

    // The Iraq circle sits inside Iraq: clicking it opens Iraq's panel with the counts.
    await p.getByTestId('enrollment-country-IQ').click();
    await p.getByTestId('panel-enrollment').waitFor();
    expect(await p.getByTestId('panel-enrollment').getAttribute('data-persons')).toBe('5');
    await expect.poll(() => p.getByTestId('panel-enrollment').textContent()).toContain('Basra');

    // Zoomed in: one circle per region.
    await p.evaluate(() => window.__wardenMap?.jumpTo({ center: [47.0, 30.5], zoom: 6 }));
    await expect.poll(rendered, { timeout: 10_000 }).toContain('region:IQ-BA:5');
    await p.screenshot({ path: screenshotPath('enroll-staff-map-regions.png') });

    // Names never reach the staff map: nothing on the page mentions any of these travellers.
    expect(await p.locator('body').textContent()).not.toContain('Traveller ');
    await staff.context.close();
  });

  it('subscribes to travel advice for some countries, changes them, and unsubscribes', async () => {
    const address = 'advice.reader@example.org';
    await page.goto(`${server.url}/subscribe`);
    await page.getByTestId('subscribe-form').waitFor();
    await page.getByTestId('subscribe-submit').click();
    await page.getByTestId('error-f-countries').waitFor();
    await page.getByLabel('Email', { exact: true }).fill(address);
    await page.getByTestId('country-add').selectOption('IQ');
    await page.getByTestId('country-add').selectOption('KW');
    await page.getByTestId('frequency-daily').check();
    expect(await page.getByTestId('error-f-countries').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('subscribe-form-phone.png'), fullPage: true });
    await page.getByTestId('subscribe-submit').click();
    await page.getByTestId('subscribe-sent').waitFor();

    const verify = await linkIn(smtp, address, 0);
    expect(verify.startsWith(`${server.url}/subscribe/verify#token=`)).toBe(true);
    await page.goto(verify);
    await page.getByTestId('subscribe-verify-result').waitFor();
    expect(await page.getByTestId('subscribe-verify-result').getAttribute('data-status')).toBe('verified');

    const seen = mailCount(smtp, address);
    await page.goto(`${server.url}/subscribe/manage`);
    await page.getByLabel('Email address you subscribed with').fill(address);
    await page.getByTestId('link-request-submit').click();
    await page.getByTestId('link-sent').waitFor();
    const manage = await linkIn(smtp, address, seen);
    expect(manage.startsWith(`${server.url}/subscribe/manage#token=`)).toBe(true);
    await page.goto(manage);
    await page.getByTestId('subscription-manage').waitFor();
    const chooser = page.getByTestId('country-chooser');
    expect(
      await chooser.locator('.chosen').evaluateAll((els) => els.map((e) => e.getAttribute('data-code'))),
    ).toEqual(['IQ', 'KW']);
    expect(await page.getByTestId('frequency-daily').isChecked()).toBe(true);
    await chooser.getByRole('button', { name: 'Remove Kuwait' }).click();
    await page.getByTestId('frequency-immediate').check();
    await page.getByTestId('subscription-save').click();
    await page.getByTestId('subscription-saved').waitFor();
    await page.screenshot({ path: screenshotPath('subscribe-manage-phone.png'), fullPage: true });

    await page.reload();
    await page.getByTestId('subscription-manage').waitFor();
    expect(await chooser.locator('.chosen').count()).toBe(1);
    expect(await page.getByTestId('frequency-immediate').isChecked()).toBe(true);

    await page.getByTestId('subscription-unsubscribe').click();
    await page.getByTestId('subscription-unsubscribe-yes').click();
    await page.getByTestId('subscription-gone').waitFor();
    // The link no longer opens anything.
    await page.goto(manage);
    await page.getByTestId('subscription-link-error').waitFor();
  });

  it('renders the public pages on a desktop too', async () => {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const d = await desk.newPage();
    d.on('pageerror', (err) => errors.push(err.message));
    await d.goto(`${server.url}/enroll`);
    await d.getByTestId('enroll-form').waitFor();
    await d.screenshot({ path: screenshotPath('enroll-form-desktop.png'), fullPage: true });
    await d.goto(`${server.url}/privacy`);
    await d.getByTestId('privacy-page').waitFor();
    await d.screenshot({ path: screenshotPath('privacy-desktop.png'), fullPage: true });
    await d.goto(`${server.url}/enroll/verify#token=not-a-real-token`);
    await d.getByTestId('verify-failed').waitFor();
    expect(await d.getByTestId('verify-error').getAttribute('data-code')).toBe('invalid_token');
    await d.screenshot({ path: screenshotPath('verify-failed-desktop.png'), fullPage: true });
    await d.goto(`${server.url}/enroll/confirm#token=not-a-real-token`);
    await d.getByTestId('presence-error').waitFor();
    await d.goto(`${server.url}/subscribe`);
    await d.getByTestId('subscribe-form').waitFor();
    await d.screenshot({ path: screenshotPath('subscribe-desktop.png'), fullPage: true });
    await desk.close();
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
