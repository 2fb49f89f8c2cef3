import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSmsProvider, startFakeSmsProvider } from '../../src/channels/fakes/index.ts';
import type { AlertRecord } from '../../src/domain/alerts/record.ts';
import { channelOfContact } from '../../src/domain/deliveries/model.ts';
import { enqueueAlert } from '../../src/services/alerts/deliver.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { enroll } from '../../src/services/enrollments/enrollments.ts';
import { insertAlert, insertRecipients } from '../../src/store/alerts/alerts.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { startSmtpServer, type TestSmtpServer } from '../channels/smtp-server.ts';
import { DEMONSTRATION, sentAlert } from '../fixtures/alerts/basrah.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import {
  type Account,
  addUser,
  apiAs,
  consoleUrl,
  ensureWebBuilt,
  pageShot,
  type Server,
  signIn,
} from './helpers.ts';

// The browser test: a recipient clicks "I need help" in the alert mail taken from the test
// SMTP server; the accountability dashboard shows it within 2 seconds; staff mark it handled; an
// SMS reply through the fake provider's signed inbound webhook moves another person to safe.

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

const ALICE = { name: 'Alice Traveller', email: 'alice@example.org' };
const BOB = { name: 'Bob Traveller', phone: '+9647701000002' };

describe('check-ins in the browser', { timeout: 180_000 }, () => {
  let smtp: TestSmtpServer;
  let sms: FakeSmsProvider;
  let server: Server;
  let browser: Browser;
  let officer: Account;
  const alertId = 'a-browser-checkin';
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    smtp = await startSmtpServer();
    sms = await startFakeSmsProvider();
    const port = await freePort();
    server = await startTestServer({
      port,
      env: {
        WARDEN_SMTP_URL: smtp.url,
        WARDEN_PUBLIC_URL: `http://127.0.0.1:${port}`,
        WARDEN_SMS_PROVIDER_URL: sms.url,
        WARDEN_SMS_ACCOUNT_SID: sms.accountSid,
        WARDEN_SMS_AUTH_TOKEN: sms.authToken,
        WARDEN_SMS_FROM: '+15005550006',
      },
    });
    officer = await addUser(server, 'officer.iq@example.org', 'officer', ['country:IQ']);
    const admin = await apiAs(server, server.admin);
    const { post } = await admin<{ post: { id: string } }>('POST', '/api/posts', {
      kind: 'consulate_general',
      name: 'Consulate General Basrah',
      city: 'Basrah',
      country: 'IQ',
      location: { lat: 30.51, lon: 47.81 },
      district: { regions: ['IQ-BA'] },
    });
    const arrival = new Date().toISOString().slice(0, 10);
    for (const p of [ALICE, BOB]) {
      await enroll(
        server.ctx,
        cliActor,
        {
          ...p,
          language: 'en',
          emergencyContact: { name: 'Contact' },
          consent: true,
          trips: [{ country: 'IQ', wholeCountry: true, arrival }],
        },
        '127.0.0.1',
      );
    }
    const db = server.ctx.store.db;
    await db.updateTable('enrollment_contacts').set({ verified_at: new Date().toISOString() }).execute();
    // Enrollment sent verification mail; start counting mail after it.
    await drainDeliveries(server.ctx);
    await db.deleteFrom('deliveries').execute();
    smtp.messages.length = 0;
    smtp.envelopes.length = 0;
    const contacts = await db.selectFrom('enrollment_contacts').select(['id', 'person_id', 'kind']).execute();
    const now = new Date();
    const alert: AlertRecord = {
      ...sentAlert(
        { id: alertId, sentAt: now.toISOString() },
        {
          postId: post.id,
          checkIn: { requested: true, deadline: new Date(now.getTime() + 3_600_000).toISOString() },
          cap: {
            ...DEMONSTRATION.cap,
            effective: now.toISOString(),
            expires: new Date(now.getTime() + 86_400_000).toISOString(),
          },
        },
      ),
      source: null,
      rootId: alertId,
      country: 'IQ',
      countries: ['IQ'],
      recipientCount: 2,
    };
    await insertAlert(db, alert);
    await insertRecipients(
      db,
      alertId,
      [...new Set(contacts.map((c) => c.person_id))].map((personId) => ({
        personId,
        precision: 'country' as const,
      })),
    );
    await enqueueAlert(
      server.ctx,
      db,
      alert,
      contacts.map((c) => ({
        personId: c.person_id,
        contactId: c.id,
        channel: channelOfContact(c.kind),
      })),
    );
    await drainDeliveries(server.ctx);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sms?.close();
    await smtp?.close();
  });

  it('need help reaches the dashboard within 2 s, is handled, and an SMS reply counts as safe', async () => {
    // Alice's first mail confirmed her address; the alert's carries the check-in link.
    const mail = smtp.messages.find(
      (m, i) => smtp.envelopes[i]?.to.includes(ALICE.email) && (m.text ?? '').includes('/checkin#token='),
    );
    const link = /(https?:\/\/\S+\/checkin#token=[A-Za-z0-9_.-]+)/.exec(mail?.text ?? '')?.[1];
    expect(link, mail?.text).toBeTruthy();
    // The first SMS was Bob's enrollment code; the alert follows.
    const text = (await sms.waitFor(2)).find((m) => m.body.includes('SAFE'));
    const code = /SAFE (\d{4})/.exec(text?.body ?? '')?.[1];
    expect(code, text?.body).toBeTruthy();

    const { context, page } = await signIn(browser, server, officer, errors);
    await page.goto(consoleUrl(server, `/alerts/${alertId}/accountability`));
    await page.getByTestId('acc-targeted').waitFor();
    expect(await page.getByTestId('acc-targeted').textContent()).toBe('2');
    expect(await page.getByTestId('need-help-empty').isVisible()).toBe(true);

    const traveller = await browser.newContext({ viewport: { width: 400, height: 860 } });
    const pub = await traveller.newPage();
    pub.on('pageerror', (err) => errors.push(`traveller: ${err.message}`));
    await pub.goto(link as string);
    await pub.getByText('Demonstrations in Basrah').waitFor();
    await pub.getByLabel('I need help').check();
    await pub.getByTestId('checkin-note').fill('Stuck near the Corniche, phone battery low.');
    await pub.getByTestId('checkin-submit').click();
    await pub.getByTestId('checkin-done').waitFor();
    const answered = Date.now();
    await page.getByTestId('need-help-name').filter({ hasText: ALICE.name }).waitFor({ timeout: 2000 });
    expect(Date.now() - answered).toBeLessThan(2000);
    await traveller.close();
    await pageShot(page, 'accountability-need-help.png');

    await page.getByTestId('need-help-case').getByLabel('Note').fill('Called her; a driver is on the way.');
    await page.getByTestId('need-help-case').getByRole('button', { name: 'Mark handled' }).click();
    await page.getByTestId('need-help-empty').waitFor();
    await page.getByTestId('need-help-show').selectOption('handled');
    await page.getByText('Called her; a driver is on the way.').waitFor();

    expect(
      await sms.simulateInbound({
        from: BOB.phone,
        body: `safe ${code}`,
        url: `${server.url}/api/hooks/sms/inbound`,
      }),
    ).toBe(200);
    await expect.poll(() => page.getByTestId('acc-safe').textContent(), { timeout: 5000 }).toBe('1');
    expect(await page.getByTestId('acc-need_help').textContent()).toBe('1');
    await context.close();
    expect(errors).toEqual([]);
  });
});
