import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDraft } from '../../src/services/advisories/editions.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { BASRAH_CBD, createPostViaApi, postBody } from '../support/factories.ts';

type Json = Record<string, unknown>;

const CBD = BASRAH_CBD;

describe.each(backends())('staff restrictions and tasks on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let officer: Caller;
  const ids = { basrah: '', amman: '' };

  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    officer = await h.signIn('officer', ['country:IQ']);
    ids.basrah = await createPostViaApi(h, admin, postBody('basrah', { district: { regions: ['IQ-BA'] } }));
    ids.amman = await createPostViaApi(h, admin, postBody('amman', { district: { regions: ['JO-AM'] } }));
  });
  afterAll(() => h.dispose());

  const call = (method: 'GET' | 'POST', url: string, who: Caller, payload?: unknown) =>
    h.app.inject({
      method,
      url,
      headers: who.headers,
      ...(payload !== undefined && { payload: payload as Json }),
    });
  const restrict = (postId: string, body: Json, who: Caller = officer) =>
    call('POST', `/api/posts/${postId}/restrictions`, who, body);

  let noticeId = '';

  it('a staff movement restriction opens a public_notice task, in one audited write', async () => {
    const reason =
      'Government employees must avoid any area where demonstrations could occur, including the Basrah central business district.';
    const res = await restrict(ids.basrah, { geometry: CBD, reason });
    expect(res.statusCode).toBe(201);
    const { restriction, task } = res.json();
    expect(restriction).toMatchObject({
      postId: ids.basrah,
      country: 'IQ',
      regions: [],
      geometry: CBD,
      reason,
      validUntil: null,
      taskId: task.id,
      active: true,
      createdBy: `user:${officer.userId}`,
    });
    expect(task).toMatchObject({
      kind: 'public_notice',
      status: 'open',
      country: 'IQ',
      postId: ids.basrah,
      subject: `restriction:${restriction.id}`,
    });
    expect(task.title).toContain('Consulate General Basrah');
    noticeId = task.id;
    const listed = (await call('GET', `/api/posts/${ids.basrah}/restrictions`, officer)).json().restrictions;
    expect(listed.map((r: Json) => r.id)).toEqual([restriction.id]);
    const audit = (await call('GET', '/api/audit?action=restriction.create&limit=1', admin)).json()
      .entries[0];
    expect(audit).toMatchObject({
      target: `restriction:${restriction.id}`,
      summary: { postId: ids.basrah, after: { polygon: true, taskId: task.id } },
    });
  });

  it('validates restrictions like districts', async () => {
    expect(errorCode(await restrict(ids.basrah, { reason: 'Nothing drawn.' }))).toBe('validation_failed');
    expect(errorCode(await restrict(ids.basrah, { regions: ['JO-AM'], reason: 'Wrong country.' }))).toBe(
      'unknown_region',
    );
    const bad = await restrict(ids.basrah, {
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [47.78, 30.5],
            [47.83, 30.5],
            [47.83, 30.53],
            [47.78, 30.53],
          ],
        ],
      },
      reason: 'Open ring.',
    });
    expect(bad.json().error).toMatchObject({
      code: 'invalid_geometry',
      details: { reason: 'unclosed_ring', at: '/geometry/coordinates/0' },
    });
    expect(
      errorCode(
        await restrict(ids.basrah, {
          regions: ['IQ-BA'],
          reason: 'x',
          validFrom: '2026-01-02T00:00:00Z',
          validUntil: '2026-01-01T00:00:00Z',
        }),
      ),
    ).toBe('validation_failed');
    const later = await restrict(ids.basrah, {
      regions: ['IQ-BA'],
      reason: 'Elections next year.',
      validFrom: '2099-01-01T00:00:00Z',
      validUntil: '2099-01-10T00:00:00Z',
    });
    expect(later.json().restriction.active).toBe(false);
    expect(
      (
        await restrict(
          ids.basrah,
          { regions: ['IQ-BA'], reason: 'x' },
          await h.signIn('officer', ['country:JO']),
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (await restrict(ids.basrah, { regions: ['IQ-BA'], reason: 'x' }, await h.signIn('viewer'))).statusCode,
    ).toBe(403);
  });

  it('lists tasks the caller may see, with filters', async () => {
    await restrict(
      ids.amman,
      { regions: ['JO-AM'], reason: 'Avoid the Fourth Circle area during protests.' },
      admin,
    );
    const all = (await call('GET', '/api/tasks?status=open&kind=public_notice', admin)).json().tasks;
    expect(all.map((t: Json) => t.country).sort()).toEqual(['IQ', 'IQ', 'JO']);
    const iq = (await call('GET', '/api/tasks?status=open&kind=public_notice&country=iq', admin)).json()
      .tasks;
    expect(iq.every((t: Json) => t.country === 'IQ')).toBe(true);
    expect(iq).toHaveLength(2);
    // The officer of Iraq sees Iraq's tasks only; an unscoped viewer reads all; FR sees none.
    const mine = (await call('GET', '/api/tasks?status=open', officer)).json().tasks;
    expect(mine.map((t: Json) => t.country)).toEqual(['IQ', 'IQ']);
    expect((await call('GET', '/api/tasks?status=open', await h.signIn('viewer'))).json().tasks).toHaveLength(
      3,
    );
    expect((await call('GET', '/api/tasks', await h.signIn('officer', ['country:FR']))).json().tasks).toEqual(
      [],
    );
    expect((await call('GET', `/api/tasks?postId=${ids.amman}`, admin)).json().tasks).toHaveLength(1);
    expect(errorCode(await call('GET', '/api/tasks?kind=chores', admin))).toBe('validation_failed');
    expect((await h.app.inject({ method: 'GET', url: '/api/tasks' })).statusCode).toBe(401);
  });

  it('resolves a task by linking an edition of its country or recording a reason, once', async () => {
    const outsider = await h.signIn('officer', ['country:FR']);
    expect((await call('POST', `/api/tasks/${noticeId}/resolve`, outsider, { reason: 'x' })).statusCode).toBe(
      403,
    );
    expect(errorCode(await call('POST', `/api/tasks/${noticeId}/resolve`, officer, {}))).toBe(
      'validation_failed',
    );
    expect(
      errorCode(
        await call('POST', `/api/tasks/${noticeId}/resolve`, officer, { link: { kind: 'tweet', id: 'x' } }),
      ),
    ).toBe('validation_failed');
    // Links must name something that exists, in scope and of the task's country (issue 11).
    const alert = await call('POST', `/api/tasks/${noticeId}/resolve`, officer, {
      link: { kind: 'alert', id: 'alert-2018-09-08' },
    });
    expect(alert.statusCode).toBe(422);
    expect(errorCode(alert)).toBe('invalid_link');
    const draft = (country: string) =>
      createDraft(h.ctx, cliActor, country, { level: 4, summary: 'Do not travel.', changeNote: 'Test.' });
    const [iq, jordan] = [await draft('IQ'), await draft('JO')];
    for (const id of ['00000000-0000-4000-8000-000000000000', jordan.id]) {
      const bad = await call('POST', `/api/tasks/${noticeId}/resolve`, officer, {
        link: { kind: 'advisory_edition', id },
      });
      expect(errorCode(bad), id).toBe('invalid_link');
    }
    const res = await call('POST', `/api/tasks/${noticeId}/resolve`, officer, {
      link: { kind: 'advisory_edition', id: iq.id },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().task).toMatchObject({
      status: 'resolved',
      resolvedBy: `user:${officer.userId}`,
      resolution: { link: { kind: 'advisory_edition', id: iq.id } },
    });
    expect(errorCode(await call('POST', `/api/tasks/${noticeId}/resolve`, admin, { reason: 'again' }))).toBe(
      'conflict',
    );
    expect(
      (await call('POST', '/api/tasks/00000000-0000-4000-8000-000000000000/resolve', admin, { reason: 'x' }))
        .statusCode,
    ).toBe(404);

    const jo = (await call('GET', '/api/tasks?status=open&country=JO', admin)).json().tasks[0];
    expect((await call('POST', `/api/tasks/${jo.id}/resolve`, officer, { reason: 'x' })).statusCode).toBe(
      403,
    );
    const byReason = await call('POST', `/api/tasks/${jo.id}/resolve`, admin, {
      reason: 'Covered by the standing demonstration alert.',
    });
    expect(byReason.json().task.resolution).toEqual({
      reason: 'Covered by the standing demonstration alert.',
    });
    const resolved = (await call('GET', '/api/tasks?status=resolved', admin))
      .json()
      .tasks.map((t: Json) => t.id);
    expect(resolved.sort()).toEqual([noticeId, jo.id].sort());
  });
});
