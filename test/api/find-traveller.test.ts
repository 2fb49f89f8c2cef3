import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/audit/audit.ts';
import { writeCheckpoint } from '../../src/services/audit/checkpoints.ts';
import { enroll } from '../../src/services/enrollments/enrollments.ts';
import { createPost } from '../../src/services/posts/posts.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

/** Issue 16: find a traveller (blind index, names opened only for results), reasoned reads, audit filters. */
describe.each(backends())('find a traveller on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let officerIQ: Caller;
  let officerKW: Caller;
  const ids: Record<string, string> = {};
  const today = new Date().toISOString().slice(0, 10);

  async function person(name: string, email: string, phone: string | null, country: string) {
    await enroll(
      h.ctx,
      cliActor,
      {
        name,
        email,
        ...(phone && { phone }),
        language: 'en',
        emergencyContact: { name: 'Next of kin' },
        consent: true,
        trips: [{ country, wholeCountry: true, arrival: today }],
      },
      '127.0.0.1',
    );
    const rows = await h.ctx.store.db.selectFrom('enrollments').select('id').execute();
    const known = new Set(Object.values(ids));
    return rows.map((r) => r.id).find((id) => !known.has(id))!;
  }

  beforeAll(async () => {
    h = await createApiHarness(backend);
    h.ctx.clock.set(new Date());
    admin = await h.signIn('admin');
    officerIQ = await h.signIn('officer', ['country:IQ']);
    officerKW = await h.signIn('officer', ['country:KW']);
    ids.amira = await person('Amira Haddad', 'amira@example.org', '+9647701234567', 'IQ');
    ids.amir = await person('Amir Khan', 'amir.khan@example.org', null, 'KW');
    ids.john = await person('John Smith', 'john@example.org', null, 'IQ');
  });
  afterAll(() => h.dispose());

  const search = (who: Caller, body: object) =>
    h.app.inject({ method: 'POST', url: '/api/enrollments/search', headers: who.headers, payload: body });
  const names = (res: { json(): { travellers: Array<{ name: string }> } }) =>
    res.json().travellers.map((t) => t.name);

  it('finds by email through the blind index, within the officer’s scope only', async () => {
    const res = await search(officerIQ, { query: ' Amira@Example.ORG ', reason: 'Family asked after her' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ by: 'email', truncated: false });
    expect(res.json().travellers).toEqual([{ id: ids.amira, name: 'Amira Haddad', countries: ['IQ'] }]);
    // Kuwait's officer does not learn that the address is enrolled.
    const outside = await search(officerKW, { query: 'amira@example.org', reason: 'curious' });
    expect(outside.json().travellers).toEqual([]);
  });

  it('finds by phone and by part of a name', async () => {
    expect(names(await search(admin, { query: '+964 770 123 4567', reason: 'Missed call' }))).toEqual([
      'Amira Haddad',
    ]);
    const byName = await search(admin, { query: 'amir', reason: 'Roll call' });
    expect(byName.json().by).toBe('name');
    expect(names(byName)).toEqual(['Amir Khan', 'Amira Haddad']);
    expect(names(await search(officerIQ, { query: 'amir', reason: 'Roll call' }))).toEqual(['Amira Haddad']);
    expect(names(await search(admin, { query: 'amir', reason: 'Roll call', country: 'KW' }))).toEqual([
      'Amir Khan',
    ]);
    expect((await search(officerIQ, { query: 'amir', reason: 'Roll call', country: 'KW' })).statusCode).toBe(
      403,
    );
  });

  it('refuses a search or a read without a reason, and viewers altogether', async () => {
    expect(errorCode(await search(admin, { query: 'amir', reason: '    ' }))).toBe('reason_required');
    expect(errorCode(await search(admin, { query: 'amir' }))).toBe('validation_failed');
    const viewer = await h.signIn('viewer');
    expect((await search(viewer, { query: 'amir', reason: 'why not' })).statusCode).toBe(403);
    const view = await h.app.inject({
      method: 'POST',
      url: `/api/enrollments/${ids.amira}/view`,
      headers: officerIQ.headers,
      payload: {},
    });
    expect(errorCode(view)).toBe('validation_failed');
  });

  it('a read shows trips, contacts and messages, and the audit entry carries the reason', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/enrollments/${ids.amira}/view`,
      headers: officerIQ.headers,
      payload: { reason: 'Consular case 2018/114' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.enrollment.name).toBe('Amira Haddad');
    expect(body.enrollment.contacts.map((c: { value: string }) => c.value)).toContain('amira@example.org');
    expect(body.enrollment.trips[0].country).toBe('IQ');
    // Enrolling queued a verification message: it is listed with its state.
    expect(body.messages.length).toBeGreaterThan(0);
    expect(body.messages[0]).toMatchObject({ channel: expect.any(String), status: expect.any(String) });
    const outside = await h.app.inject({
      method: 'POST',
      url: `/api/enrollments/${ids.amira}/view`,
      headers: officerKW.headers,
      payload: { reason: 'Consular case' },
    });
    expect(outside.statusCode).toBe(403);

    const audit = await h.app.inject({
      method: 'GET',
      url: `/api/audit?target=enrollment:${ids.amira}&action=enrollment.read`,
      headers: admin.headers,
    });
    expect(audit.json().entries).toHaveLength(1);
    expect(audit.json().entries[0]).toMatchObject({
      actor: `user:${officerIQ.userId}`,
      summary: { reason: 'Consular case 2018/114' },
    });
    const searches = await h.app.inject({
      method: 'GET',
      url: `/api/audit?action=enrollment.search&actor=user:${officerIQ.userId}`,
      headers: admin.headers,
    });
    const first = searches.json().entries.at(-1);
    expect(first.summary).toMatchObject({ reason: 'Family asked after her', by: 'email', results: 1 });
    // The address searched for is not written into the log.
    expect(JSON.stringify(searches.json())).not.toContain('amira@example.org');
  });

  it('an officer of a post reads the travellers of its country, and only those', async () => {
    const post = await createPost(h.ctx, cliActor, {
      kind: 'consulate_general',
      name: 'Consulate General Basrah',
      city: 'Basrah',
      country: 'IQ',
      location: { lat: 30.51, lon: 47.78 },
      district: { regions: ['IQ-BA'] },
    });
    const officerPost = await h.signIn('officer', [`post:${post.id}`]);
    const view = (id: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/enrollments/${id}/view`,
        headers: officerPost.headers,
        payload: { reason: 'Consular case' },
      });
    expect((await view(ids.amira!)).statusCode).toBe(200);
    expect((await view(ids.amir!)).statusCode).toBe(403);
    expect(names(await search(officerPost, { query: 'amir', reason: 'Roll call' }))).toEqual([
      'Amira Haddad',
    ]);
  });

  it('lists the people behind a bubble of the map, in scope, audited', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/enrollments/countries/IQ/people',
      headers: officerIQ.headers,
      payload: { reason: 'Accounting for everyone in Iraq' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(names(res)).toEqual(['Amira Haddad', 'John Smith']);
    const outside = await h.app.inject({
      method: 'POST',
      url: '/api/enrollments/countries/IQ/people',
      headers: officerKW.headers,
      payload: { reason: 'x-ray' },
    });
    expect(outside.statusCode).toBe(403);
  });

  it('filters the audit log by kind of target, action prefix and time, and verifies against the latest checkpoint', async () => {
    const users = await h.app.inject({
      method: 'GET',
      url: '/api/audit?target=user:&limit=500',
      headers: admin.headers,
    });
    const targets = users.json().entries.map((e: { target: string }) => e.target);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.every((t: string) => t.startsWith('user:'))).toBe(true);
    const enrollmentActions = await h.app.inject({
      method: 'GET',
      url: '/api/audit?action=enrollment.&limit=500',
      headers: admin.headers,
    });
    const actions = new Set(enrollmentActions.json().entries.map((e: { action: string }) => e.action));
    expect([...actions].every((a) => String(a).startsWith('enrollment.'))).toBe(true);
    expect(actions.has('enrollment.search')).toBe(true);
    const future = await h.app.inject({
      method: 'GET',
      url: `/api/audit?since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`,
      headers: admin.headers,
    });
    expect(future.json().entries).toEqual([]);
    const bad = await h.app.inject({
      method: 'GET',
      url: '/api/audit?since=yesterday',
      headers: admin.headers,
    });
    expect(bad.statusCode).toBe(400);

    const before = await h.app.inject({ method: 'GET', url: '/api/audit/verify', headers: admin.headers });
    expect(before.json()).toMatchObject({ ok: true, latestCheckpoint: null });
    const { checkpoint } = await writeCheckpoint(h.ctx);
    const after = await h.app.inject({ method: 'GET', url: '/api/audit/verify', headers: admin.headers });
    expect(after.json()).toMatchObject({
      ok: true,
      latestCheckpoint: { seq: checkpoint.seq, hash: checkpoint.hash },
    });
  });
});
