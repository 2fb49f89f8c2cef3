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
  pixelOf,
  type Server,
  screenshotPath,
  signIn,
} from './helpers.ts';

// Incidents in the console: an officer logs indirect fire near the Basrah consulate by clicking the
// map, sees it on the map's incident layer (clustered when zoomed out, a point when zoomed in), and
// — with a run of rocket attacks seeded through the API, 10 in the last four weeks against 2 in the
// twelve before — the post page's trend chart states the rising threat and opens a review. Actors,
// the Threats dashboard and an ACLED import with a bad row are looked at along the way.

const DAY = 86_400_000;
const BASRAH: [number, number] = [47.81, 30.51];

interface PostBody {
  post: { id: string };
}
interface IncidentBody {
  incident: { id: string; posts: { postId: string; distanceKm: number }[] };
}

async function pickPixel(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((target) => {
    const map = window.__wardenPickMap;
    if (!map) throw new Error('window.__wardenPickMap is not set');
    const p = map.project(target);
    const rect = map.getCanvas().getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }, lngLat);
}

/** Incident ids drawn as single points on the main map right now. */
async function renderedIncidentIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const map = window.__wardenMap;
    if (!map?.getLayer('incidents-points')) return [];
    return map
      .queryRenderedFeatures({ layers: ['incidents-points'] })
      .map((f) => String(f.properties?.id ?? ''));
  });
}

/** Moves the main map. (Returning the Map from evaluate would make Playwright serialise all of it.) */
async function jumpTo(page: Page, center: [number, number], zoom: number): Promise<void> {
  await page.evaluate(
    ({ center, zoom }) => {
      window.__wardenMap?.jumpTo({ center, zoom });
    },
    { center, zoom },
  );
}

async function waitIdle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__wardenMap;
        if (!map) return resolve();
        if (map.loaded() && !map.isMoving()) {
          // One more frame so sources that just received data have drawn.
          map.once('idle', () => resolve());
          map.triggerRepaint();
        } else map.once('idle', () => resolve());
      }),
  );
}

describe('incidents, the map layer and threat trends', { timeout: 180_000 }, () => {
  let server: Server;
  let browser: Browser;
  let officer: Account;
  let page: Page;
  let basrah = '';
  let created = '';
  let militia = '';
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    officer = await addUser(server, 'officer.iq@example.org', 'officer', ['country:IQ']);
    const admin = await apiAs(server, server.admin);
    await admin<PostBody>('POST', '/api/posts', {
      kind: 'embassy',
      name: 'Embassy Baghdad',
      city: 'Baghdad',
      country: 'IQ',
      location: { lat: 33.3, lon: 44.39 },
      contact: {},
      district: { regions: ['IQ-BG'] },
    });
    basrah = (
      await admin<PostBody>('POST', '/api/posts', {
        kind: 'consulate_general',
        name: 'Consulate General Basrah',
        city: 'Basrah',
        country: 'IQ',
        location: { lat: BASRAH[1], lon: BASRAH[0] },
        contact: {},
        district: { regions: ['IQ-BA'] },
      })
    ).post.id;

    // Attribution as in September 2018: a militia, directed by a foreign state's forces.
    const quds = await admin<{ actor: { id: string } }>('POST', '/api/actors', {
      name: 'IRGC Quds Force',
      type: 'external_forces',
    });
    const kh = await admin<{ actor: { id: string } }>('POST', '/api/actors', {
      name: "Kata'ib Hezbollah",
      type: 'political_militia',
      notes: 'Iraqi Shia militia within the Popular Mobilization Forces.',
    });
    militia = kh.actor.id;
    await admin('POST', `/api/actors/${militia}/relations`, {
      relation: 'directed_by',
      toActorId: quds.actor.id,
      confidence: 'suspected',
      notes: 'Department statement, September 2018',
    });

    // The rising series near the consulate: 10 rocket or mortar attacks in the last 4 weeks,
    // 2 in the 12 weeks before, and some older unrest for context.
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY - 3_600_000).toISOString();
    const fire = (daysAgo: number, k: number) =>
      admin<IncidentBody>('POST', '/api/incidents', {
        occurredAt: at(daysAgo),
        location: {
          lat: BASRAH[1] + ((k % 5) - 2) * 0.012,
          lon: BASRAH[0] + ((k % 3) - 1) * 0.015,
          precision: 'exact',
          place: 'Basrah',
        },
        type: 'explosions_remote_violence',
        subType: 'shelling_artillery_missile_attack',
        target: { text: 'Consulate compound', postId: basrah },
        actors: [{ actorId: militia, role: 'perpetrator', confidence: 'suspected' }],
        fatalities: 0,
        sources: ['Post security officer report'],
      });
    const recent = [1, 3, 5, 8, 10, 13, 16, 19, 22, 26];
    for (const [k, d] of recent.entries()) await fire(d, k);
    await fire(45, 11);
    await fire(70, 12);
    for (const [k, d] of [120, 150, 151, 200, 260].entries()) {
      await admin('POST', '/api/incidents', {
        occurredAt: at(d),
        location: { lat: 30.5085 + k * 0.003, lon: 47.7804, precision: 'near', place: 'Basrah' },
        type: k % 2 ? 'riots' : 'protests',
        subType: k % 2 ? 'violent_demonstration' : 'peaceful_protest',
        actors: [
          { name: 'Protesters (Iraq)', type: 'protesters', role: 'perpetrator', confidence: 'confirmed' },
        ],
        fatalities: 0,
        sources: ['Shafaq News'],
      });
    }
    // A few in Baghdad, so the zoomed-out map has more than one cluster.
    for (const d of [2, 9, 30]) {
      await admin('POST', '/api/incidents', {
        occurredAt: at(d),
        location: { lat: 33.304, lon: 44.386, precision: 'exact', place: 'Baghdad - Green Zone' },
        type: 'explosions_remote_violence',
        subType: 'shelling_artillery_missile_attack',
        fatalities: 0,
      });
    }

    browser = await launchBrowser();
    ({ page } = await signIn(browser, server, officer, errors));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs indirect fire near Basrah with the location picked on the map', async () => {
    server.ctx.clock.set(new Date());
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('incidents-page').waitFor();
    await page.getByTestId('new-incident').click();
    await page.getByTestId('incident-form').waitFor();
    await page.locator('[data-testid="pick-map"][data-ready="true"]').waitFor({ timeout: 45_000 });

    // Type -> sub-type: the sub-types follow the type.
    await page.getByTestId('incident-type').selectOption('protests');
    expect(await page.getByTestId('incident-subtype').inputValue()).toBe('peaceful_protest');
    await page.getByTestId('incident-type').selectOption('explosions_remote_violence');
    await page.getByTestId('incident-subtype').selectOption('shelling_artillery_missile_attack');

    // Find Basrah in the gazetteer to move the map there, then click the spot itself.
    await page.getByTestId('place-search').fill('Basrah');
    await page.getByTestId('place-search').press('Enter');
    await page.getByTestId('place-results').getByRole('button').first().click();
    await page.waitForTimeout(900); // the picker eases to the place
    const spot: [number, number] = [47.795, 30.525];
    await page.getByTestId('pick-map').scrollIntoViewIfNeeded();
    const px = await pickPixel(page, spot);
    await page.mouse.click(px.x, px.y);
    await page.getByTestId('pick-pin').waitFor();
    await expect
      .poll(async () => Number(await page.getByTestId('incident-lat').inputValue()))
      .toBeCloseTo(spot[1], 2);
    expect(Number(await page.getByTestId('incident-lon').inputValue())).toBeCloseTo(spot[0], 2);
    expect(await page.getByTestId('incident-place').inputValue()).toBe('Basrah');
    await page.getByTestId('incident-geo-precision').selectOption('exact');

    // An existing actor by name, and a new one created with the incident.
    await page.getByTestId('add-actor').click();
    const first = page.getByTestId('actor-row-0');
    await first.getByTestId('actor-name').fill("Kata'ib Hezbollah");
    await expect.poll(() => first.getByTestId('actor-status').textContent()).toBe('Existing actor');
    await first.getByTestId('actor-confidence').selectOption('suspected');
    await page.getByTestId('add-actor').click();
    const second = page.getByTestId('actor-row-1');
    await second.getByTestId('actor-name').fill('US Consulate staff');
    await expect.poll(() => second.getByTestId('actor-status').textContent()).toContain('New actor');
    await second.getByTestId('actor-type').selectOption('civilians');
    await second.getByTestId('actor-role').selectOption('target');
    await second.getByTestId('actor-confidence').selectOption('confirmed');

    await page.getByTestId('incident-target-text').fill('Consulate compound, north wall');
    await page.getByTestId('incident-target-post').selectOption({ label: 'Consulate General Basrah' });
    await page.getByTestId('incident-fatalities').fill('0');
    await page.getByTestId('incident-injuries').fill('2');
    await page
      .getByTestId('incident-sources')
      .fill('Post security officer report\nhttps://example.org/report');
    await page
      .getByTestId('incident-notes')
      .fill('Three rockets landed near the compound; one within the perimeter. Two local guards injured.');
    await pageShot(page, 'incidents-form.png');

    await page.getByTestId('incident-submit').click();
    await page.getByTestId('incident-page').waitFor();
    created = page.url().split('/').pop() ?? '';
    expect(created).not.toBe('');
    expect(await page.getByTestId('incident-type-tag').getAttribute('data-sub-type')).toBe(
      'shelling_artillery_missile_attack',
    );
    expect(await page.getByTestId('incident-posts').textContent()).toContain('Consulate General Basrah');
    expect(await page.getByTestId('incident-casualties').textContent()).toBe('0 killed, 2 injured');
    const actors = page.getByTestId('incident-actors');
    expect(await actors.locator('li[data-role="perpetrator"]').textContent()).toContain("Kata'ib Hezbollah");
    expect(await actors.locator('li[data-role="target"]').textContent()).toContain('US Consulate staff');
    await pageShot(page, 'incidents-detail.png');
  });

  it('shows the incident on the map layer, clustered when zoomed out and as a point when zoomed in', async () => {
    await page.getByTestId('nav-map').click();
    await page.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 45_000 });
    await page.getByTestId('incident-controls').waitFor();
    // The consulate's marker carries the rising-threat ring.
    const marker = page.getByTestId(`post-marker-${basrah}`);
    await marker.waitFor({ timeout: 45_000 });
    await expect.poll(() => marker.getAttribute('data-threat'), { timeout: 20_000 }).toBe('rising');

    // Zoomed out over Iraq: clusters with counts (HTML markers, no glyphs needed).
    await jumpTo(page, [45.8, 32], 5.5);
    await expect
      .poll(async () => Number(await page.getByTestId('incident-count').getAttribute('data-count')), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(12);
    await page.getByTestId('incident-cluster').first().waitFor({ timeout: 20_000 });
    const clusterCounts = await page
      .getByTestId('incident-cluster')
      .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.count)));
    expect(Math.max(...clusterCounts)).toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: screenshotPath('incidents-map-clusters.png') });

    // The 30-day window leaves out the two baseline attacks and the older unrest; a year shows them.
    const in30 = Number(await page.getByTestId('incident-count').getAttribute('data-count'));
    await page.getByTestId('incident-window-365').click();
    await expect
      .poll(async () => Number(await page.getByTestId('incident-count').getAttribute('data-count')))
      .toBeGreaterThan(in30);

    // Zoomed in on the consulate: single points, ours among them.
    await jumpTo(page, [47.8, 30.52], 12.5);
    await expect.poll(() => renderedIncidentIds(page), { timeout: 20_000 }).toContain(created);
    await waitIdle(page);
    const point = await pixelOf(page, [47.795, 30.525]);
    await page.mouse.click(point.x, point.y);
    const panel = page.getByTestId('incident-panel');
    await panel.waitFor();
    expect(await panel.getAttribute('data-incident-id')).toBe(created);
    await expect.poll(() => panel.textContent()).toContain('Shelling/artillery/missile attack');
    expect(await panel.textContent()).toContain("Kata'ib Hezbollah");
    expect(await panel.textContent()).toContain('2 injured');
    await page.screenshot({ path: screenshotPath('incidents-map-point.png') });

    // The layer switches off.
    await page.getByTestId('incident-toggle').uncheck();
    await expect.poll(() => renderedIncidentIds(page)).toEqual([]);
    await page.getByTestId('incident-toggle').check();
    await expect.poll(() => renderedIncidentIds(page)).toContain(created);
  });

  it("states the post's rising threat under its trend chart and opens a review", async () => {
    server.ctx.clock.set(new Date());
    await page.goto(`${server.url}/console/posts/${basrah}`);
    const signal = page.getByTestId('trend-signal');
    await signal.waitFor({ timeout: 20_000 });
    expect(await signal.getAttribute('data-firing')).toBe('true');
    // 10 seeded + the one logged above, against the 2 seeded before.
    expect(Number(await signal.getAttribute('data-recent'))).toBe(11);
    expect(Number(await signal.getAttribute('data-baseline'))).toBe(2);
    const text = (await signal.textContent()) ?? '';
    expect(text).toMatch(
      /Rising threat: 11 incidents in the last 4 weeks vs 2 in the previous 12 \(rate ×16\.5, p [=<] [\d.]+\)/,
    );
    const chart = page.getByTestId('post-trend-chart');
    expect(Number(await chart.getAttribute('data-weeks'))).toBe(52);
    expect(Number(await chart.getAttribute('data-total'))).toBe(18);
    await page.getByTestId('post-threat').scrollIntoViewIfNeeded();
    await page.getByTestId('post-threat').screenshot({ path: screenshotPath('incidents-trend.png') });

    await page.getByTestId('open-review').click();
    const opened = page.getByTestId('review-opened');
    await opened.waitFor();
    expect(await opened.getAttribute('data-created')).toBe('true');
    expect(await opened.textContent()).toContain('Consulate General Basrah');
    await pageShot(page, 'incidents-post-page.png');
  });

  it('lists the firing signal on the Threats page and shows a region trend', async () => {
    await page.getByTestId('nav-threats').click();
    const card = page.getByTestId(`signal-post:${basrah}`);
    await card.waitFor();
    expect(await card.textContent()).toContain('Rising threat: 11 incidents');
    await page.getByTestId('region-select').selectOption('IQ-BA');
    await page.getByTestId('region-trend-chart').waitFor();
    expect(
      Number(await page.getByTestId('region-trend-chart').getAttribute('data-total')),
    ).toBeGreaterThanOrEqual(18);
    await pageShot(page, 'incidents-threats.png');
  });

  it("shows an actor's relations and the incidents naming it", async () => {
    await page.getByTestId('nav-actors').click();
    await page.getByTestId('actors-table').waitFor();
    await page.getByTestId('actor-search').fill('kata');
    await page.getByTestId(`actor-row-${militia}`).getByRole('link').click();
    await page.getByTestId('actor-page').waitFor();
    const relations = page.getByTestId('actor-relations');
    await relations.locator('[data-relation="directed_by"]').waitFor();
    expect(await relations.textContent()).toContain('directed by');
    expect(await relations.textContent()).toContain('IRGC Quds Force');
    await page.getByTestId('actor-incidents-table').waitFor();
    expect(await page.getByTestId(`incident-row-${created}`).count()).toBe(1);
    await pageShot(page, 'incidents-actor.png');
  });

  it('imports an ACLED CSV and reports the row it could not take', async () => {
    const header =
      'event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp';
    const rows = [
      'IRQ90001,2018-09-27,2018,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,Unidentified Armed Group (Iraq),,3,,,0,30,,368,Middle East,Iraq,Basrah,Basrah,,Basrah,30.5140,47.8170,1,Shafaq News,National,"Three Katyusha rockets fired at the area of the US consulate in Basrah.",0,,1538659261',
      'IRQ90002,2018-09-07,2018,1,Political violence,Riots,Violent demonstration,Rioters (Iraq),,5,,,0,50,,368,Middle East,Iraq,Basrah,Basrah,,Basrah,30.5085,47.7804,1,Reuters,International,"Rioters set fire to a consulate in Basrah.",0,,1537440012',
      'IRQ90003,2018-09-05,2018,1,Political violence,Riots,Violent demonstration,Rioters (Iraq),,5,,,0,50,,368,Middle East,Iraq,Basrah,Basrah,,Basrah,north,47.7804,1,Reuters,International,"A row with a broken latitude.",0,,1537440012',
    ];
    await page.goto(`${server.url}/console/incidents/import`);
    await page.getByTestId('import-page').waitFor();
    await page.getByTestId('import-file').setInputFiles({
      name: 'acled-basrah.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n${rows.join('\n')}\n`),
    });
    await page.getByTestId('import-submit').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-rows').getAttribute('data-value')).toBe('3');
    expect(await page.getByTestId('import-inserted').getAttribute('data-value')).toBe('2');
    expect(await page.getByTestId('import-failed').getAttribute('data-value')).toBe('1');
    const bad = page.getByTestId('import-errors').locator('tbody tr');
    expect(await bad.count()).toBeGreaterThanOrEqual(1);
    expect(await bad.first().getAttribute('data-row')).toBe('4');
    expect(await bad.first().getAttribute('data-field')).toBe('latitude');
    await pageShot(page, 'incidents-import.png');

    // The same file again changes nothing.
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-unchanged').getAttribute('data-value')).toBe('2');
    expect(await page.getByTestId('import-inserted').getAttribute('data-value')).toBe('0');

    // A file that is not an ACLED export is refused before it is sent.
    await page.getByTestId('import-file').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('name,email\nA,a@example.org\n'),
    });
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-problem').waitFor();
    expect(await page.getByTestId('import-problem').textContent()).toContain('does not look like an ACLED');

    // The imported events are from 2018: the post's trend "as of" then shows them.
    await page.goto(`${server.url}/console/posts/${basrah}`);
    await page.getByTestId('post-trend-chart').waitFor();
    await page.getByTestId('trend-as-of').fill('2018-09-28');
    await expect.poll(() => page.getByTestId('post-trend-chart').getAttribute('data-total')).toBe('2');
    expect(await page.getByTestId('open-review').count()).toBe(0);
  });

  it('lists the incidents near the post and edits one, keeping its history', async () => {
    await page.goto(`${server.url}/console/incidents?postId=${basrah}`);
    await page.getByTestId('incidents-table').waitFor();
    // 18 logged near the consulate plus the 2 imported from ACLED.
    expect(await page.getByTestId('incidents-table').locator('tbody tr').count()).toBe(20);
    await page.getByTestId('filter-type').selectOption('shelling_artillery_missile_attack');
    await expect.poll(() => page.getByTestId('incidents-table').locator('tbody tr').count()).toBe(14);
    await pageShot(page, 'incidents-list.png');

    await page.getByTestId(`incident-row-${created}`).getByRole('link').first().click();
    await page.getByTestId('edit-incident').click();
    await page.getByTestId('incident-form').waitFor();
    expect(await page.getByTestId('incident-injuries').inputValue()).toBe('2');
    await page.getByTestId('incident-fatalities').fill('1');
    await page.getByTestId('incident-submit').click();
    await expect.poll(() => page.getByTestId('incident-version').textContent()).toBe('2');
    expect(await page.getByTestId('incident-casualties').textContent()).toBe('1 killed, 2 injured');
    await expect.poll(() => page.getByTestId('incident-history').textContent()).toContain('fatalities 0 → 1');
  });

  it('retracts the logged incident with a reason', async () => {
    await page.goto(`${server.url}/console/incidents/${created}`);
    await page.getByTestId('retract-incident').click();
    await page
      .getByTestId('retract-reason')
      .fill('Duplicate of the post security report logged by the embassy.');
    await page.getByTestId('retract-submit').click();
    await page.getByTestId('retraction-notice').waitFor();
    expect(await page.getByTestId('edit-incident').count()).toBe(0);
    const api = await apiAs(server, officer);
    const list = await api<{ incidents: { id: string }[] }>(
      'GET',
      `/api/incidents?postId=${basrah}&limit=100`,
    );
    expect(list.incidents.map((i) => i.id)).not.toContain(created);
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
