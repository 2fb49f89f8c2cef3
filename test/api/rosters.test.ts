import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRosterCheckin } from '../../src/services/rosters/drawdown.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

const ROSTER = [
  'reference,name,kind,role,essential,email,phone,household,language',
  'E-1,Dana Whitfield,staff,Consul General,yes,dana@example.org,+9647801234567,,en',
  'E-1-S,Sam Whitfield,family,Spouse,no,,+9647801234568,E-1,en',
  'E-1-C,Robin Whitfield,family,Child,no,,,E-1,en',
  'E-2,Karim Haddad,staff,RSO,yes,karim@example.org,07801234569,,ar',
  'E-3,Claire Martin,staff,Consular officer,no,claire@example.org,,,fr',
].join('\n');

const authorized = {
  state: 'authorized_departure',
  departure: { staff: 'authorized', family: 'authorized' },
  services: { citizenServices: true, visas: false, walkIn: false },
  reason: 'Militia rocket fire near the consulate.',
  reviewBy: '2099-01-01',
};
const normal = {
  state: 'normal',
  departure: { staff: 'none', family: 'none' },
  services: { citizenServices: true, visas: true, walkIn: true },
  reason: 'Threat subsided.',
  reviewBy: null,
};

describe.each(backends())('post rosters and the drawdown board on %s', (backend) => {
  let h: ApiHarness;
  let crisis: Caller;
  let officer: Caller;
  let outsider: Caller;
  let viewer: Caller;
  let postId = '';

  beforeAll(async () => {
    h = await createApiHarness(backend);
    crisis = await h.signIn('crisis_manager');
    officer = await h.signIn('officer', ['country:IQ']);
    outsider = await h.signIn('officer', ['country:FR']);
    viewer = await h.signIn('viewer');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: crisis.headers,
      payload: {
        kind: 'consulate_general',
        name: 'Consulate General Basrah',
        city: 'Basrah',
        country: 'IQ',
        location: { lat: 30.51, lon: 47.81 },
        district: { regions: ['IQ-BA'] },
      },
    });
    postId = res.json().post.id;
  });
  afterAll(() => h.dispose());

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    who: Caller | null,
    payload?: unknown,
  ) =>
    h.app.inject({
      method,
      url,
      headers: who?.headers ?? {},
      ...(payload !== undefined && { payload: payload as Json }),
    });
  const importCsv = (csv: string, who: Caller = officer) =>
    h.app.inject({
      method: 'POST',
      url: `/api/posts/${postId}/roster/import`,
      headers: { ...who.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
  const roster = async () =>
    (await call('GET', `/api/posts/${postId}/roster`, officer)).json().members as Json[];
  const board = async () => (await call('GET', `/api/posts/${postId}/drawdown`, viewer)).json();
  const byRef = async (ref: string) => (await roster()).find((m) => m.reference === ref) as Json;

  it('refuses a roster with bad rows, row by row, and imports nothing', async () => {
    const bad = [
      'reference,name,kind,role,essential,email,phone,household',
      'E-1,Dana,staff,Consul,yes,not-an-email,,',
      'E-1,Again,staff,Consul,maybe,,,',
      'E-9,,family,Child,no,,12,E-404',
      'E-10,Ok Person,staff,Clerk,no,,,',
      '"=HYPERLINK(""x"")",Eve\u0007,staff,Clerk,no,,,',
    ].join('\n');
    const res = await importCsv(bad);
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('invalid_csv');
    const errors = res.json().error.details.errors as Json[];
    expect(errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [1, 'email', 'invalid_email'],
      [2, 'reference', 'duplicate'],
      [2, 'essential', 'validation_failed'],
      [3, 'name', 'validation_failed'],
      [3, 'phone', 'invalid_phone'],
      [3, 'household', 'unknown_household'],
      [5, 'name', 'invalid_text'],
    ]);
    expect(await roster()).toEqual([]);

    const header = await importCsv('reference,name,colour\nE-1,Dana,blue');
    expect(header.json().error.details.errors[0].reason).toBe(
      'missing column(s) kind; unknown column(s) colour',
    );
    const json = await call('POST', `/api/posts/${postId}/roster/import`, officer, { csv: ROSTER });
    expect(json.statusCode).toBe(415);
  });

  it('imports, re-imports by reference, and seals names and contacts at rest', async () => {
    const res = await importCsv(ROSTER);
    expect(res.statusCode).toBe(200);
    expect(res.json().report).toEqual({ rows: 5, created: 5, updated: 0 });
    const again = await importCsv(ROSTER.replace('Consular officer', 'Vice consul'));
    expect(again.json().report).toEqual({ rows: 5, created: 0, updated: 5 });

    const dana = await byRef('E-1');
    expect(dana).toMatchObject({
      name: 'Dana Whitfield',
      kind: 'staff',
      essential: true,
      email: 'dana@example.org',
      phone: '+9647801234567',
      dependants: 2,
      status: 'at_post',
      accounted: false,
    });
    expect(await byRef('E-2')).toMatchObject({ phone: '+9647801234569', language: 'ar' });
    expect(await byRef('E-3')).toMatchObject({ role: 'Vice consul' });

    const rows = await h.ctx.store.db.selectFrom('roster_members').selectAll().execute();
    const raw = JSON.stringify(rows);
    for (const secret of ['Dana', 'Whitfield', 'dana@example.org', '9647801234567'])
      expect(raw).not.toContain(secret);

    const audit = await h.ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'target'])
      .where('action', 'in', ['roster.read', 'roster.import'])
      .execute();
    expect(audit.filter((a) => a.action === 'roster.read').length).toBeGreaterThan(0);
    expect(audit.filter((a) => a.action === 'roster.import')).toHaveLength(2);
  });

  it('keeps personal data to writers in scope; viewers see the board counts only', async () => {
    expect((await call('GET', `/api/posts/${postId}/roster`, outsider)).statusCode).toBe(403);
    expect((await call('GET', `/api/posts/${postId}/roster`, viewer)).statusCode).toBe(403);
    expect((await call('GET', `/api/posts/${postId}/drawdown`, outsider)).statusCode).toBe(403);
    expect((await call('GET', `/api/posts/${postId}/drawdown`, viewer)).statusCode).toBe(200);
    expect((await call('GET', `/api/posts/${postId}/roster`, null)).statusCode).toBe(401);
  });

  it('adds members one by one with the same rules', async () => {
    const add = (body: Json) => call('POST', `/api/posts/${postId}/roster`, officer, body);
    const base = { reference: 'E-4', kind: 'staff', name: 'Lee Park', role: 'Driver', essential: false };
    expect(errorCode(await add({ ...base, reference: 'E-1' }))).toBe('conflict');
    expect(errorCode(await add({ ...base, kind: 'family', household: 'E-404' }))).toBe('validation_failed');
    expect(errorCode(await add({ ...base, email: 'nope' }))).toBe('invalid_email');
    expect(errorCode(await add({ ...base, unknown: 1 }))).toBe('validation_failed');
    const ok = await add({ ...base, phone: '0780 123 4570' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().member).toMatchObject({ name: 'Lee Park', phone: '+9647801234570', status: 'at_post' });
  });

  it('opens a board when the post draws down; staff and members account for everyone', async () => {
    expect((await board()).board).toBeNull();
    const change = await call('POST', `/api/posts/${postId}/posture`, crisis, authorized);
    expect(change.statusCode).toBe(201);
    const opened = await board();
    expect(opened.board).toMatchObject({ state: 'authorized_departure', closedAt: null });
    expect(opened.counts).toEqual({
      total: 6,
      departed: 0,
      relocated: 0,
      remaining: 0,
      unaccounted: 6,
      essentialRemaining: 0,
    });

    const status = (ref: string, body: Json) =>
      byRef(ref).then((m) => call('PUT', `/api/posts/${postId}/roster/${m.id}/status`, officer, body));
    expect(errorCode(await status('E-1-S', { status: 'relocated' }))).toBe('validation_failed');
    expect(errorCode(await status('E-1', { status: 'remaining', location: 'Baghdad' }))).toBe(
      'validation_failed',
    );
    expect((await status('E-1-S', { status: 'departed', location: 'Amman' })).statusCode).toBe(200);
    expect((await status('E-1-C', { status: 'relocated', location: 'Embassy Baghdad' })).statusCode).toBe(
      200,
    );
    expect((await status('E-1', { status: 'remaining' })).statusCode).toBe(200);

    // Karim answers his roster check-in link himself.
    const karim = await byRef('E-2');
    const token = signRosterCheckin(h.ctx, karim.id as string, opened.board.id);
    const view = await call('POST', '/api/public/roster-checkin/view', null, { token });
    expect(view.json()).toEqual({ postName: 'Consulate General Basrah', status: 'at_post', location: null });
    const answer = await call('POST', '/api/public/roster-checkin', null, { token, status: 'remaining' });
    expect(answer.statusCode).toBe(200);
    const forged = `${token.slice(0, -3)}abc`;
    expect(
      errorCode(
        await call('POST', '/api/public/roster-checkin', null, { token: forged, status: 'departed' }),
      ),
    ).toBe('invalid_token');
    expect(
      errorCode(await call('POST', '/api/public/roster-checkin', null, { token, status: 'at_post' })),
    ).toBe('validation_failed');

    const live = await board();
    expect(live.counts).toEqual({
      total: 6,
      departed: 1,
      relocated: 1,
      remaining: 2,
      unaccounted: 2,
      essentialRemaining: 2,
    });
    expect(live.events.map((e: Json) => [e.status, e.source])).toEqual([
      ['remaining', 'checkin'],
      ['remaining', 'staff'],
      ['relocated', 'staff'],
      ['departed', 'staff'],
    ]);
    expect(await byRef('E-2')).toMatchObject({
      status: 'remaining',
      accounted: true,
      statusSource: 'checkin',
    });
    // Answering again: the last answer counts.
    await call('POST', '/api/public/roster-checkin', null, { token, status: 'departed', location: 'Dubai' });
    expect((await board()).counts).toMatchObject({ departed: 2, remaining: 1, essentialRemaining: 1 });
  });

  it('refuses to remove a staff member before their family; removal takes their history', async () => {
    const dana = await byRef('E-1');
    const res = await call('DELETE', `/api/posts/${postId}/roster/${dana.id}`, officer);
    expect(errorCode(res)).toBe('conflict');
    const lee = await byRef('E-4');
    expect((await call('DELETE', `/api/posts/${postId}/roster/${lee.id}`, officer)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/posts/${postId}/roster/${lee.id}`, officer)).statusCode).toBe(404);
    expect((await board()).counts.total).toBe(5);
  });

  it('closes the board with its final counts on return to normal; its links stop working', async () => {
    const before = await board();
    const karim = await byRef('E-2');
    const token = signRosterCheckin(h.ctx, karim.id as string, before.board.id);
    const res = await call('POST', `/api/posts/${postId}/posture`, crisis, normal);
    expect(res.statusCode).toBe(201);
    const after = await board();
    expect(after.board).toBeNull();
    expect(after.history).toHaveLength(1);
    expect(after.history[0]).toMatchObject({ id: before.board.id, finalCounts: before.counts });
    expect(after.history[0].closedAt).not.toBeNull();
    expect(
      errorCode(await call('POST', '/api/public/roster-checkin', null, { token, status: 'remaining' })),
    ).toBe('invalid_token');

    // A new drawdown opens a new board: statuses from the last one do not count.
    await call('POST', `/api/posts/${postId}/posture`, crisis, authorized);
    const next = await board();
    expect(next.board.id).not.toBe(before.board.id);
    expect(next.counts).toMatchObject({ total: 5, unaccounted: 5 });
    expect(next.history).toHaveLength(2);
  });
});
