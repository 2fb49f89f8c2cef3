import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

const post = (
  name: string,
  city: string,
  lat: number,
  lon: number,
  regions: string[],
  kind = 'consulate_general',
) => ({
  kind,
  name,
  city,
  country: 'IQ',
  location: { lat, lon },
  district: { regions },
});

const ordered = (over: Json = {}) => ({
  state: 'ordered_departure',
  departure: { staff: 'ordered', family: 'ordered' },
  services: { citizenServices: false, visas: false, walkIn: false },
  reason: 'Repeated indirect fire at the consulate.',
  reviewBy: '2099-01-01',
  statement: {
    text: 'The Department of State has placed the Consulate General in Basrah on ordered departure.',
    by: 'Secretary of State',
  },
  ...over,
});

describe.each(backends())('posture, two-person rule and coverage on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let crisis: Caller;
  let officer: Caller;
  const ids = { baghdad: '', basrah: '', erbil: '' };

  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    crisis = await h.signIn('crisis_manager');
    officer = await h.signIn('officer', ['country:IQ']);
    const make = async (body: Json) =>
      (
        await h.app.inject({ method: 'POST', url: '/api/posts', headers: admin.headers, payload: body })
      ).json().post.id as string;
    ids.baghdad = await make(
      post('Embassy Baghdad', 'Baghdad', 33.3, 44.39, ['IQ-BG', 'IQ-AN', 'IQ-WA'], 'embassy'),
    );
    ids.basrah = await make(post('Consulate General Basrah', 'Basrah', 30.51, 47.81, ['IQ-BA', 'IQ-MA']));
    ids.erbil = await make(post('Consulate General Erbil', 'Erbil', 36.19, 44.01, ['IQ-AR', 'IQ-DA']));
  });
  afterAll(() => h.dispose());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, who: Caller, payload?: unknown) =>
    h.app.inject({
      method,
      url,
      headers: who.headers,
      ...(payload !== undefined && { payload: payload as Json }),
    });
  const change = (id: string, body: Json, who: Caller = crisis) =>
    call('POST', `/api/posts/${id}/posture`, who, body);
  const approve = (id: string, contentHash: string, who: Caller) =>
    call('POST', `/api/posture-requests/${id}/approve`, who, { contentHash });
  const coverage = async (lat: number, lon: number) =>
    (await h.app.inject({ method: 'GET', url: `/api/public/coverage?lat=${lat}&lon=${lon}` })).json();
  const openTasks = async () =>
    (await call('GET', '/api/tasks?status=open&kind=advisory_review&country=IQ', admin)).json()
      .tasks as Json[];

  it('authorized departure applies at once, is audited and opens an advisory review', async () => {
    const res = await change(ids.erbil, {
      state: 'authorized_departure',
      departure: { staff: 'authorized', family: 'authorized' },
      services: { citizenServices: true, visas: false, walkIn: true },
      reason: 'Protests near the consulate.',
      reviewBy: '2099-01-01',
    });
    expect(res.statusCode).toBe(201);
    const { change: c, request, tasks } = res.json();
    expect(request).toBeNull();
    expect(c).toMatchObject({
      state: 'authorized_departure',
      previousState: 'normal',
      createdBy: `user:${crisis.userId}`,
      approvedBy: null,
    });
    expect(tasks).toEqual([
      expect.objectContaining({
        kind: 'advisory_review',
        country: 'IQ',
        postId: ids.erbil,
        subject: `posture_change:${c.id}`,
      }),
    ]);
    const history = (await call('GET', `/api/posts/${ids.erbil}/posture`, officer)).json().history;
    expect(history.map((x: Json) => x.state)).toEqual(['authorized_departure', 'normal']);
    const audit = (await call('GET', '/api/audit?action=posture.change&limit=1', admin)).json().entries[0];
    expect(audit.summary).toMatchObject({
      before: { state: 'normal' },
      after: { state: 'authorized_departure' },
    });
  });

  it('refuses illegal transitions and posture that contradicts the departure scope', async () => {
    const again = await change(ids.erbil, {
      state: 'authorized_departure',
      departure: { staff: 'authorized', family: 'none' },
      services: { citizenServices: true, visas: true, walkIn: true },
      reason: 'Again.',
      reviewBy: '2099-01-01',
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().error).toMatchObject({
      code: 'invalid_transition',
      details: { from: 'authorized_departure', to: 'authorized_departure' },
    });
    // Authorized for staff and ordered for family is an ordered departure.
    const mixed = await change(
      ids.baghdad,
      ordered({ state: 'authorized_departure', departure: { staff: 'authorized', family: 'ordered' } }),
    );
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error).toMatchObject({
      code: 'validation_failed',
      details: { field: 'departure', expectedState: 'ordered_departure' },
    });
    expect(
      errorCode(
        await change(
          ids.baghdad,
          ordered({ state: 'suspended', departure: { staff: 'ordered', family: 'authorized' } }),
        ),
      ),
    ).toBe('validation_failed');
    expect(errorCode(await change(ids.baghdad, ordered({ reviewBy: null })))).toBe('validation_failed');
    expect(errorCode(await change(ids.baghdad, ordered({ effectiveAt: '2099-01-01T00:00:00Z' })))).toBe(
      'validation_failed',
    );
    expect(errorCode(await change(ids.baghdad, ordered({ services: { citizenServices: false } })))).toBe(
      'validation_failed',
    );
    expect(errorCode(await change(ids.baghdad, ordered({ state: 'evacuated' })))).toBe('validation_failed');
  });

  let requestId = '';
  let firstHash = '';

  it('ordered departure waits for a second person; the requester cannot approve it', async () => {
    const before = await openTasks();
    const res = await change(ids.basrah, ordered({ coverageDelegateId: ids.baghdad }));
    expect(res.statusCode).toBe(202);
    const { change: c, request } = res.json();
    expect(c).toBeNull();
    expect(request).toMatchObject({
      postId: ids.basrah,
      status: 'pending',
      requestedBy: `user:${crisis.userId}`,
      authors: [`user:${crisis.userId}`],
      content: { state: 'ordered_departure', fromState: 'normal', coverageDelegateId: ids.baghdad },
    });
    expect(request.contentHash).toMatch(/^[0-9a-f]{64}$/);
    requestId = request.id;
    firstHash = request.contentHash;
    // Nothing applied yet: still normal, no task, the post shows the pending request.
    const p = (await call('GET', `/api/posts/${ids.basrah}`, officer)).json().post;
    expect(p).toMatchObject({
      posture: { state: 'normal' },
      pendingRequestId: requestId,
      coverageDelegateId: null,
    });
    expect(await openTasks()).toHaveLength(before.length);
    expect(errorCode(await change(ids.basrah, ordered()))).toBe('conflict');

    const self = await approve(requestId, firstHash, crisis);
    expect(self.statusCode).toBe(422);
    expect(errorCode(self)).toBe('self_approval');
    const listed = (await call('GET', '/api/posture-requests?status=pending', officer)).json().requests;
    expect(listed.map((q: Json) => q.id)).toEqual([requestId]);
  });

  it('an edit changes the hash: an approval of the old content is stale, and the editor cannot approve', async () => {
    const edit = await call('PATCH', `/api/posture-requests/${requestId}`, officer, {
      reason: 'Repeated indirect fire at the consulate, one within the past 24 hours.',
    });
    expect(edit.statusCode).toBe(200);
    const edited = edit.json().request;
    expect(edited.contentHash).not.toBe(firstHash);
    expect(edited.authors).toEqual([`user:${crisis.userId}`, `user:${officer.userId}`]);
    expect(edited.content.coverageDelegateId).toBe(ids.baghdad);

    const stale = await approve(requestId, firstHash, admin);
    expect(stale.statusCode).toBe(422);
    expect(errorCode(stale)).toBe('approval_stale');
    expect(errorCode(await approve(requestId, edited.contentHash, officer))).toBe('self_approval');
    // An edit that breaks the rules is refused and changes nothing.
    expect(
      errorCode(await call('PATCH', `/api/posture-requests/${requestId}`, officer, { state: 'normal' })),
    ).toBe('invalid_transition');
    expect(
      errorCode(await call('PATCH', `/api/posture-requests/${requestId}`, officer, { reviewBy: null })),
    ).toBe('validation_failed');
    expect((await call('GET', `/api/posture-requests/${requestId}`, admin)).json().request.contentHash).toBe(
      edited.contentHash,
    );

    const ok = await approve(requestId, edited.contentHash, admin);
    expect(ok.statusCode).toBe(200);
    const { change: c, request, tasks } = ok.json();
    expect(c).toMatchObject({
      state: 'ordered_departure',
      previousState: 'normal',
      requestId,
      createdBy: `user:${crisis.userId}`,
      approvedBy: `user:${admin.userId}`,
      coverageDelegateId: ids.baghdad,
      reason: 'Repeated indirect fire at the consulate, one within the past 24 hours.',
    });
    expect(request).toMatchObject({ status: 'approved', decidedBy: `user:${admin.userId}`, changeId: c.id });
    expect(tasks).toEqual([
      expect.objectContaining({ kind: 'advisory_review', status: 'open', postId: ids.basrah }),
    ]);
    expect((await openTasks()).map((t) => t.id)).toContain(tasks[0].id);
    const p = (await call('GET', `/api/posts/${ids.basrah}`, officer)).json().post;
    expect(p).toMatchObject({
      posture: { id: c.id, state: 'ordered_departure' },
      coverageDelegateId: ids.baghdad,
      pendingRequestId: null,
    });
    expect(errorCode(await approve(requestId, edited.contentHash, crisis))).toBe('conflict');
    const audit = (await call('GET', '/api/audit?action=posture_request.approve&limit=1', admin)).json()
      .entries[0];
    expect(audit).toMatchObject({
      actor: `user:${admin.userId}`,
      summary: { changeId: c.id, before: { status: 'pending' }, after: { status: 'approved' } },
    });
  });

  it('coverage follows delegation, for any point on earth', async () => {
    const basrahCity = await coverage(30.51, 47.81);
    expect(basrahCity).toMatchObject({
      country: 'IQ',
      region: 'IQ-BA',
      match: 'region',
      serving: true,
      districtPost: { id: ids.basrah, name: 'Consulate General Basrah' },
      post: { id: ids.baghdad, name: 'Embassy Baghdad', state: 'normal' },
    });
    expect(basrahCity.path.map((s: Json) => [s.id, s.delegating])).toEqual([
      [ids.basrah, true],
      [ids.baghdad, false],
    ]);
    expect((await coverage(36.19, 44.01)).post.id).toBe(ids.erbil); // authorized departure still serves
    expect(await coverage(0, -30)).toMatchObject({ country: null, post: null, serving: false, path: [] }); // the Atlantic
    expect(await coverage(48.85, 2.35)).toMatchObject({ country: 'FR', post: null });
    // A gap in Iraq (Nineveh has no district): the embassy answers.
    expect(await coverage(36.34, 43.13)).toMatchObject({
      region: 'IQ-NI',
      match: 'country',
      post: { id: ids.baghdad },
    });
    const bad = await h.app.inject({ method: 'GET', url: '/api/public/coverage?lat=95&lon=10' });
    expect(bad.statusCode).toBe(400);
  });

  it('follows a chain of delegates and refuses a coverage loop', async () => {
    // Baghdad suspends (needs approval) and hands its district, and Basrah's, on to Erbil.
    const req = (
      await change(ids.baghdad, ordered({ state: 'suspended', coverageDelegateId: ids.erbil }))
    ).json().request;
    expect((await approve(req.id, req.contentHash, admin)).statusCode).toBe(200);
    const chain = await coverage(30.51, 47.81);
    expect(chain.post.id).toBe(ids.erbil);
    expect(chain.path.map((s: Json) => s.id)).toEqual([ids.basrah, ids.baghdad, ids.erbil]);

    const loop = await call('PUT', `/api/posts/${ids.erbil}/coverage`, officer, {
      coverageDelegateId: ids.basrah,
    });
    expect(loop.statusCode).toBe(422);
    expect(loop.json().error).toMatchObject({
      code: 'coverage_loop',
      details: { path: [ids.erbil, ids.basrah, ids.baghdad, ids.erbil] },
    });
    // The same loop through a posture change: refused, and nothing is written.
    const history = (await call('GET', `/api/posts/${ids.erbil}/posture`, admin)).json().history.length;
    const viaPosture = await change(ids.erbil, {
      state: 'normal',
      departure: { staff: 'none', family: 'none' },
      services: { citizenServices: true, visas: true, walkIn: true },
      reason: 'Calm.',
      coverageDelegateId: ids.baghdad,
    });
    expect(errorCode(viaPosture)).toBe('coverage_loop');
    expect((await call('GET', `/api/posts/${ids.erbil}/posture`, admin)).json().history).toHaveLength(
      history,
    );
    expect((await call('GET', `/api/posts/${ids.erbil}`, admin)).json().post.coverageDelegateId).toBeNull();
  });

  it('a request expires after its time and can no longer be approved', async () => {
    const req = (await change(ids.basrah, ordered({ state: 'suspended', statement: null }))).json().request;
    expect(req.expiresAt).toBe(new Date(Date.parse(req.requestedAt) + 72 * 3_600_000).toISOString());
    h.ctx.clock.advance(73 * 3_600_000);
    const approver = await h.signIn('crisis_manager'); // sessions expired with the clock
    const late = await approve(req.id, req.contentHash, approver);
    expect(late.statusCode).toBe(422);
    expect(errorCode(late)).toBe('request_expired');
    expect((await call('GET', `/api/posture-requests/${req.id}`, approver)).json().request.status).toBe(
      'expired',
    );
    expect(
      (await call('GET', '/api/posture-requests?status=expired', approver))
        .json()
        .requests.map((q: Json) => q.id),
    ).toEqual([req.id]);
    expect(errorCode(await call('PATCH', `/api/posture-requests/${req.id}`, approver, { reason: 'x' }))).toBe(
      'request_expired',
    );
    crisis = await h.signIn('crisis_manager');
    admin = await h.signIn('admin');
    officer = await h.signIn('officer', ['country:IQ']);
  });

  it('a rejected request, or one overtaken by another change, does not apply', async () => {
    const back = {
      state: 'normal',
      departure: { staff: 'none', family: 'none' },
      services: { citizenServices: true, visas: true, walkIn: true },
      reason: 'Threat has subsided.',
    };
    const req = (await change(ids.basrah, back)).json().request;
    expect(req.content.fromState).toBe('ordered_departure');
    expect(errorCode(await call('POST', `/api/posture-requests/${req.id}/reject`, admin, {}))).toBe(
      'validation_failed',
    );
    const rej = await call('POST', `/api/posture-requests/${req.id}/reject`, admin, { reason: 'Not yet.' });
    expect(rej.json().request).toMatchObject({
      status: 'rejected',
      decisionNote: 'Not yet.',
      decidedBy: `user:${admin.userId}`,
    });
    expect(errorCode(await approve(req.id, req.contentHash, officer))).toBe('conflict');

    const second = (await change(ids.basrah, back)).json().request;
    // Stepping down from ordered to authorized departure is a request too (the path ordered ->
    // authorized -> normal must not walk around the rule); one is already waiting here.
    const stepDown = {
      ...back,
      state: 'authorized_departure',
      departure: { staff: 'authorized', family: 'none' },
      reviewBy: '2099-01-01',
    };
    expect(errorCode(await change(ids.basrah, stepDown, officer))).toBe('conflict');
    expect(
      (await call('POST', `/api/posture-requests/${second.id}/reject`, crisis, { reason: 'Withdrawn.' }))
        .statusCode,
    ).toBe(200);
    expect((await change(ids.basrah, stepDown, officer)).statusCode).toBe(202);

    // Overtaken: Erbil (authorized departure) waits for ordered departure, and meanwhile an
    // officer takes it back to normal, which applies at once.
    const erbilUp = (await change(ids.erbil, ordered({ statement: null }))).json().request;
    const step = await change(ids.erbil, back, officer);
    expect(step.statusCode).toBe(201);
    const overtaken = await approve(erbilUp.id, erbilUp.contentHash, admin);
    expect(overtaken.statusCode).toBe(409);
    expect(overtaken.json().error.details.reason).toBe('posture_changed');
    expect((await call('GET', `/api/posts/${ids.erbil}`, admin)).json().post.posture.state).toBe('normal');
    await call('POST', `/api/posture-requests/${erbilUp.id}/reject`, crisis, { reason: 'Overtaken.' });
  });

  it('officers act only in scope; viewers read', async () => {
    const outsider = await h.signIn('officer', ['country:FR']);
    const viewer = await h.signIn('viewer');
    expect((await change(ids.erbil, ordered(), outsider)).statusCode).toBe(403);
    expect((await change(ids.erbil, ordered(), viewer)).statusCode).toBe(403);
    const req = (await change(ids.erbil, ordered({ statement: null }))).json().request;
    expect((await approve(req.id, req.contentHash, outsider)).statusCode).toBe(403);
    expect(
      (await call('POST', `/api/posture-requests/${req.id}/reject`, outsider, { reason: 'no' })).statusCode,
    ).toBe(403);
    expect((await call('GET', `/api/posture-requests/${req.id}`, viewer)).statusCode).toBe(200);
    expect((await call('GET', `/api/posts/${ids.erbil}/posture`, viewer)).statusCode).toBe(200);
    expect(
      (await call('GET', '/api/posture-requests/00000000-0000-4000-8000-000000000000', viewer)).statusCode,
    ).toBe(404);
    const verify = await call('GET', '/api/audit/verify', admin);
    expect(verify.json()).toMatchObject({ ok: true });
  });
});
