import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorld } from '../../src/demo/index.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { loadEnrollmentView } from '../../src/services/enrollments/self.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer } from '../support/server.ts';
import { consoleUrl, ensureWebBuilt, pageShot, type Server, signIn } from './helpers.ts';

// Issue 16: an admin creates an officer scoped to Basrah, who must change the one-time password
// at first sign-in and then finds only travellers within that scope; the audit page shows the
// creation, and the officer's read of a demo traveller with the reason typed.

describe('users, my account, audit and find a traveller', { timeout: 180_000 }, () => {
  let server: Server;
  let browser: Browser;
  let admin: Page;
  let officer: Page;
  let oneTime = '';
  const officerEmail = 'officer.basrah@example.org';
  const errors: string[] = [];

  /** A demo traveller's email, with trips only in `country`. */
  async function demoTraveller(country: string): Promise<{ name: string; email: string }> {
    const db = server.ctx.store.db;
    const rows = await db
      .selectFrom('enrollment_contacts as c')
      .innerJoin('enrollment_trips as t', 't.person_id', 'c.person_id')
      .select(['c.person_id', 't.country'])
      .where('c.kind', '=', 'email')
      .limit(2000)
      .execute();
    const byPerson = new Map<string, Set<string>>();
    for (const r of rows) byPerson.set(r.person_id, (byPerson.get(r.person_id) ?? new Set()).add(r.country));
    const id = [...byPerson].find(([, cs]) => cs.size === 1 && cs.has(country))?.[0];
    if (!id) throw new Error(`no demo traveller only in ${country}`);
    const view = await loadEnrollmentView(server.ctx, db, id);
    return { name: view.name, email: view.contacts.find((c) => c.kind === 'email')!.value };
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    await loadDemoWorld(server.ctx, cliActor);
    browser = await launchBrowser();
    ({ page: admin } = await signIn(browser, server, server.admin, errors));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an admin creates an officer scoped to Basrah from pickers; the password is shown once', async () => {
    await admin.getByTestId('user-more').click();
    await admin.getByTestId('nav-users').click();
    await admin.getByTestId('users-page').waitFor();
    await admin.getByTestId('new-user-email').fill(officerEmail);
    await admin.getByTestId('new-user-role').selectOption('officer');
    // The post picker lists posts by name, not "post:<id>".
    const option = admin.getByTestId('user-scope-post').locator('option', { hasText: 'Basrah' });
    await admin.getByTestId('user-scope-post').selectOption((await option.getAttribute('value')) ?? '');
    await expect
      .poll(() => admin.getByTestId('user-scope').locator('.chip').textContent())
      .toContain('Basrah');
    await admin.getByTestId('user-create').click();
    oneTime = (await admin.getByTestId('one-time-password-value').textContent()) ?? '';
    expect(oneTime).toHaveLength(24);
    const row = admin.getByTestId('users-table').locator('tr', { hasText: officerEmail });
    await expect.poll(() => row.textContent()).toContain('Must set password');
    expect(await row.textContent()).toContain('Basrah');
    await pageShot(admin, 'users-page.png');
  });

  it('the officer must choose a password at first sign-in, then lands on the page asked for', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    officer = await context.newPage();
    officer.on('pageerror', (err) => errors.push(`officer: ${err.message}`));
    // Asked for a page while signed out: the sign-in leads back there.
    await officer.goto(consoleUrl(server, '/travellers'));
    await officer.getByTestId('login-email').fill(officerEmail);
    await officer.getByTestId('login-password').fill(oneTime);
    await officer.getByTestId('login-submit').click();
    await officer.getByTestId('forced-password-change').waitFor();
    await pageShot(officer, 'forced-password-change.png');
    await officer.getByTestId('password-current').fill(oneTime);
    await officer.getByTestId('password-new').fill('basrah officer own password');
    await officer.getByTestId('password-again').fill('basrah officer own password');
    await officer.getByTestId('password-submit').click();
    await officer.getByTestId('travellers-page').waitFor();
    expect(new URL(officer.url()).pathname).toMatch(/\/travellers$/);
  });

  it('finds a demo traveller in scope by email, opens them with a reason, and nobody outside scope', async () => {
    const iraq = await demoTraveller('IQ');
    const kuwait = await demoTraveller('KW');
    await officer.getByTestId('traveller-query').fill(kuwait.email);
    await officer.getByTestId('traveller-reason').fill('Welfare check after the rocket fire');
    await officer.getByTestId('traveller-submit').click();
    await officer.getByTestId('traveller-none').waitFor();

    await officer.getByTestId('traveller-query').fill(iraq.email.toUpperCase());
    await officer.getByTestId('traveller-submit').click();
    await officer.getByTestId('traveller-result').waitFor();
    expect(await officer.getByTestId('traveller-result').textContent()).toBe(iraq.name);
    await officer.getByTestId('traveller-result').click();
    await officer.getByTestId('traveller-contacts').waitFor();
    expect(await officer.getByTestId('traveller-contacts').textContent()).toContain(iraq.email);
    await officer.getByTestId('traveller-trips').waitFor();
    await pageShot(officer, 'traveller-page.png');

    // The people behind the map's Iraq bubble (the map panel links here), with the same reason.
    await officer.goto(consoleUrl(server, '/travellers?country=IQ'));
    expect(await officer.getByTestId('traveller-reason').inputValue()).toBe('');
    await officer.getByTestId('traveller-reason').fill('Accounting for everyone in Iraq');
    await officer.getByTestId('traveller-submit').click();
    await officer.getByTestId('traveller-results').waitFor();
    expect(await officer.getByTestId('traveller-result').count()).toBeGreaterThan(10);
  });

  it('the audit page shows the creation and the read with its reason, and the chain verifies', async () => {
    await admin.goto(consoleUrl(server, '/audit?action=user.create'));
    await admin.getByTestId('audit-table').waitFor();
    const created = admin.locator('[data-action="user.create"]', { hasText: officerEmail });
    await created.waitFor();
    expect(await created.textContent()).toContain('officer');

    await admin.goto(consoleUrl(server, '/audit?action=enrollment.'));
    const read = admin.locator('[data-action="enrollment.read"]').first();
    await read.waitFor();
    expect(await read.textContent()).toContain('Welfare check after the rocket fire');
    expect(await read.textContent()).toContain(officerEmail);
    const list = admin.locator('[data-action="enrollment.list"]').first();
    expect(await list.textContent()).toContain('Accounting for everyone in Iraq');
    expect(await admin.getByTestId('audit-verify').textContent()).toContain('Intact');
    await pageShot(admin, 'audit-page.png');
  });

  it('my account: sessions listed, sign out everywhere ends them', async () => {
    await officer.getByTestId('user-more').click();
    await officer.getByTestId('nav-account').click();
    await officer.getByTestId('account-page').waitFor();
    await officer.getByTestId('session-table').waitFor();
    expect(await officer.getByTestId('session-table').textContent()).toContain('This browser');
    await pageShot(officer, 'account-page.png');
    await officer.getByTestId('sign-out-everywhere').click();
    await officer.getByTestId('login-email').waitFor();
    expect(errors).toEqual([]);
  });
});
