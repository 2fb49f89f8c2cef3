import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/audit/audit.ts';
import { signRosterCheckin } from '../../src/services/rosters/drawdown.ts';
import { importRoster } from '../../src/services/rosters/roster.ts';
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

// The drawdown board in the console: a post enters authorized departure, an officer accounts for
// staff on the board, a staff member answers their own roster check-in link on the public page,
// and a roster file with a bad row is refused row by row.

const ROSTER = [
  'reference,name,kind,role,essential,email,phone,household',
  'E-1,Dana Whitfield,staff,Consul General,yes,dana@example.org,,',
  'E-1-S,Sam Whitfield,family,Spouse,no,,,E-1',
  'E-2,Karim Haddad,staff,RSO,yes,karim@example.org,,',
].join('\n');

describe('drawdown board', { timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let officer: Account;
  let postId = '';
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    officer = await addUser(server, 'officer.basrah@example.org', 'officer', ['country:IQ']);
    const admin = await apiAs(server, server.admin);
    const { post } = await admin<{ post: { id: string } }>('POST', '/api/posts', {
      kind: 'consulate_general',
      name: 'Consulate General Basrah',
      city: 'Basrah',
      country: 'IQ',
      location: { lat: 30.51, lon: 47.81 },
      district: { regions: ['IQ-BA'] },
    });
    postId = post.id;
    await importRoster(server.ctx, cliActor, postId, ROSTER);
    await admin('POST', `/api/posts/${postId}/posture`, {
      state: 'authorized_departure',
      departure: { staff: 'authorized', family: 'authorized' },
      services: { citizenServices: true, visas: false, walkIn: false },
      reason: 'Rocket fire near the consulate.',
      reviewBy: '2099-01-01',
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('staff and members account for everyone; counts follow', async () => {
    const { context, page } = await signIn(browser, server, officer, errors);
    await page.goto(consoleUrl(server, `/posts/${postId}`));
    await page.getByTestId('drawdown-link').click();
    await page.getByTestId('board-open').waitFor();
    expect(await page.getByTestId('count-total').textContent()).toBe('3');
    expect(await page.getByTestId('count-unaccounted').textContent()).toBe('3');

    // Relocated needs a place: refused without one, saved with one.
    await page.getByTestId('status-E-1-S').selectOption('relocated');
    await page.getByTestId('save-E-1-S').click();
    await page.getByText('Say where the member relocated to.').waitFor();
    await page.getByLabel('Where Sam Whitfield went').fill('Embassy Baghdad');
    await page.getByTestId('save-E-1-S').click();
    await expect.poll(() => page.getByTestId('count-relocated').textContent()).toBe('1');
    expect(await page.getByTestId('count-unaccounted').textContent()).toBe('2');

    await page.getByTestId('roster-filter').selectOption('unaccounted');
    expect(await page.locator('[data-testid^="member-"]').count()).toBe(2);

    // Karim answers his own link on the public page (no account).
    const board = (
      await server.ctx.store.db.selectFrom('drawdown_boards').select('id').executeTakeFirstOrThrow()
    ).id;
    const karim = (
      await server.ctx.store.db
        .selectFrom('roster_members')
        .select('id')
        .where('reference', '=', 'E-2')
        .executeTakeFirstOrThrow()
    ).id;
    const publicContext = await browser.newContext();
    const pub = await publicContext.newPage();
    pub.on('pageerror', (err) => errors.push(`public: ${err.message}`));
    await pub.goto(`${server.url}/roster-checkin#token=${signRosterCheckin(server.ctx, karim, board)}`);
    await pub.getByText('Where are you? — Consulate General Basrah').waitFor();
    expect(pub.url()).not.toContain('token=');
    await pub.getByLabel('I am staying at post').check();
    await pub.getByTestId('roster-checkin-submit').click();
    await pub.getByTestId('roster-checkin-done').waitFor();
    await publicContext.close();

    await page.reload();
    await page.getByTestId('board-open').waitFor();
    expect(await page.getByTestId('count-remaining').textContent()).toBe('1');
    expect(await page.getByTestId('count-unaccounted').textContent()).toBe('1');
    await pageShot(page, 'drawdown-board.png');

    // A roster file with a bad row: nothing imported, the problem shown with its line.
    await page.getByTestId('roster-file').setInputFiles({
      name: 'roster.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${ROSTER}\nE-3,Lee Park,staff,Driver,maybe,,,`),
    });
    await page.getByTestId('roster-import-errors').waitFor();
    expect(await page.getByTestId('roster-import-errors').textContent()).toContain(
      'essential must be yes or no.',
    );
    expect(await page.getByTestId('count-total').textContent()).toBe('3');
    await context.close();
    expect(errors).toEqual([]);
  });
});
