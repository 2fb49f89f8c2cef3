import { XMLParser } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { updatePost } from '../../src/services/posts/posts.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { testLogger } from '../support/log.ts';

type Json = Record<string, unknown>;

describe.each(backends())('public posts, coverage and feed on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let crisis: Caller;
  const ids = { baghdad: '', basrah: '' };

  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    crisis = await h.signIn('crisis_manager');
    const make = async (body: Json) =>
      (
        await h.app.inject({ method: 'POST', url: '/api/posts', headers: admin.headers, payload: body })
      ).json().post.id as string;
    ids.baghdad = await make({
      kind: 'embassy',
      name: 'Embassy Baghdad',
      city: 'Baghdad',
      country: 'IQ',
      location: { lat: 33.3, lon: 44.39 },
      contact: { phone: '+964 760 030 3000' },
      district: { regions: ['IQ-BG'] },
    });
    ids.basrah = await make({
      kind: 'consulate_general',
      name: 'Consulate General Basrah',
      city: 'Basrah',
      country: 'IQ',
      location: { lat: 30.51, lon: 47.81 },
      district: { regions: ['IQ-BA'] },
    });
  });
  afterAll(() => h.dispose());

  const pub = (url: string, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'GET', url, headers });

  async function orderBasrahDeparture(): Promise<void> {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/posts/${ids.basrah}/posture`,
      headers: crisis.headers,
      payload: {
        state: 'ordered_departure',
        departure: { staff: 'ordered', family: 'ordered' },
        services: { citizenServices: false, visas: false, walkIn: false },
        reason: 'INTERNAL: threat reporting from sources.',
        reviewBy: '2099-01-01',
        statement: {
          text: 'The Consulate General in Basrah is on ordered departure. Citizen services: Embassy Baghdad.',
          by: 'Secretary of State',
        },
        coverageDelegateId: ids.baghdad,
      },
    });
    const { request } = res.json();
    const ok = await h.app.inject({
      method: 'POST',
      url: `/api/posture-requests/${request.id}/approve`,
      headers: admin.headers,
      payload: { contentHash: request.contentHash },
    });
    expect(ok.statusCode).toBe(200);
  }

  it('lists posts for anyone, with no staff identities or internal reasons, and answers 304', async () => {
    const res = await pub('/api/public/posts');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"/);
    expect(res.headers['last-modified']).toBeTruthy();
    const { posts } = res.json();
    expect(posts.map((p: Json) => p.name)).toEqual(['Consulate General Basrah', 'Embassy Baghdad']);
    expect(posts[1]).toMatchObject({
      kind: 'embassy',
      contact: { phone: '+964 760 030 3000' },
      posture: { state: 'normal', services: { citizenServices: true } },
      coverageDelegate: null,
      servedBy: { id: ids.baghdad, serving: true, path: [ids.baghdad] },
    });
    expect((await pub('/api/public/posts', { 'if-none-match': etag })).statusCode).toBe(304);
    expect(
      (await pub('/api/public/posts', { 'if-modified-since': res.headers['last-modified'] as string }))
        .statusCode,
    ).toBe(304);
    expect((await pub('/api/public/posts?country=JO')).json().posts).toEqual([]);
    expect(errorCode(await pub('/api/public/posts?country=XX'))).toBe('unknown_country');
  });

  it('a posture change invalidates the list, the coverage answer and the feed at once', async () => {
    const list = await pub('/api/public/posts');
    const cov = await pub('/api/public/coverage?lat=30.51&lon=47.81');
    const feed = await pub('/feeds/posts.atom');
    expect(cov.json().post.id).toBe(ids.basrah);
    expect(
      (await pub('/api/public/coverage?lat=30.51&lon=47.81', { 'if-none-match': cov.headers.etag as string }))
        .statusCode,
    ).toBe(304);
    expect(
      (await pub('/feeds/posts.atom', { 'if-none-match': feed.headers.etag as string })).statusCode,
    ).toBe(304);

    await orderBasrahDeparture();

    const list2 = await pub('/api/public/posts', { 'if-none-match': list.headers.etag as string });
    expect(list2.statusCode).toBe(200);
    const basrah = list2.json().posts.find((p: Json) => p.id === ids.basrah);
    expect(basrah).toMatchObject({
      posture: {
        state: 'ordered_departure',
        statement: { by: 'Secretary of State' },
        services: { citizenServices: false },
      },
      coverageDelegate: { id: ids.baghdad, name: 'Embassy Baghdad' },
      servedBy: { id: ids.baghdad, serving: true, path: [ids.basrah, ids.baghdad] },
    });
    expect(list2.body).not.toContain('INTERNAL');
    expect(list2.body).not.toContain('user:');
    const cov2 = await pub('/api/public/coverage?lat=30.51&lon=47.81', {
      'if-none-match': cov.headers.etag as string,
    });
    expect(cov2.statusCode).toBe(200);
    expect(cov2.json()).toMatchObject({
      post: { id: ids.baghdad, contact: { phone: '+964 760 030 3000' } },
      districtPost: { id: ids.basrah },
    });
    expect(
      (await pub('/feeds/posts.atom', { 'if-none-match': feed.headers.etag as string })).statusCode,
    ).toBe(200);
  });

  it('the Atom feed is valid Atom 1.0, newest first, with the statement', async () => {
    // A second change, later: Baghdad on authorized departure.
    h.ctx.clock.advance(60_000);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/posts/${ids.baghdad}/posture`,
      headers: crisis.headers,
      payload: {
        state: 'authorized_departure',
        departure: { staff: 'authorized', family: 'authorized' },
        services: { citizenServices: true, visas: false, walkIn: true },
        reason: 'Precaution.',
        reviewBy: '2099-01-01',
      },
    });
    expect(res.statusCode).toBe(201);
    const feed = await pub('/feeds/posts.atom');
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/atom+xml');

    const parsed = await new Parser().parseString(feed.body);
    expect(parsed.title).toBe('Warden: post posture changes');
    expect(parsed.items.map((i) => i.title)).toEqual([
      'Embassy Baghdad (Iraq): authorized departure',
      'Consulate General Basrah (Iraq): ordered departure',
    ]);
    expect(parsed.items[1]?.content).toContain('ordered departure');

    const xml = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (name) => ['entry', 'link', 'category'].includes(name),
    }).parse(feed.body);
    const f = xml.feed;
    expect(f['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    for (const k of ['id', 'title', 'updated', 'author']) expect(f[k], k).toBeTruthy();
    expect(Number.isNaN(Date.parse(f.updated))).toBe(false);
    const self = f.link.find((l: Json) => l['@rel'] === 'self');
    expect(self['@href']).toMatch(/\/feeds\/posts\.atom$/);
    expect(f.entry).toHaveLength(2);
    for (const e of f.entry) {
      expect(e.id).toMatch(/^urn:warden:posture-change:[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(e.updated))).toBe(false);
      expect(e.title['#text']).toBeTruthy();
      expect(e.summary['#text']).toBeTruthy();
      expect(e.link[0]['@href']).toMatch(/^http/);
    }
    expect(Date.parse(f.entry[0].updated)).toBeGreaterThan(Date.parse(f.entry[1].updated));
    expect(f.entry[1].content['#text']).toContain('Citizen services: Embassy Baghdad');
    expect(f.entry[1].author.name).toBe('Secretary of State');
    // Entry ids are stable across rebuilds.
    await updatePost(h.ctx, cliActor, ids.baghdad, { contact: { hours: '24/7' } });
    const again = new XMLParser()
      .parse((await pub('/feeds/posts.atom')).body)
      .feed.entry.map((e: Json) => e.id);
    expect(again).toEqual(f.entry.map((e: Json) => e.id));
    expect(feed.body).not.toContain('Precaution');
  });

  it("another process's change shows within a second", async () => {
    const before = (await pub('/api/public/posts')).json().posts.find((p: Json) => p.id === ids.basrah);
    const cov = (await pub('/api/public/coverage?lat=30.51&lon=47.81')).json();
    expect(cov.post.id).toBe(ids.baghdad);
    // A second process on the same database: its change notices do not reach this app.
    const other = await createContext(h.ctx.config, { log: testLogger(), migrate: false });
    try {
      await updatePost(other, cliActor, ids.basrah, { name: 'Consulate General of Basrah' });
      const { setCoverageDelegate } = await import('../../src/services/posts/posts.ts');
      await setCoverageDelegate(other, cliActor, ids.basrah, null);
    } finally {
      await other.close();
    }
    await new Promise((r) => setTimeout(r, 1100));
    const after = (await pub('/api/public/posts')).json().posts.find((p: Json) => p.id === ids.basrah);
    expect(before.name).toBe('Consulate General Basrah');
    expect(after.name).toBe('Consulate General of Basrah');
    const cov2 = (await pub('/api/public/coverage?lat=30.51&lon=47.81')).json();
    expect(cov2).toMatchObject({ post: { id: ids.basrah }, serving: false });
  });
});
