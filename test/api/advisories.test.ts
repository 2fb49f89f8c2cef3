import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/audit/audit.ts';
import { openTask } from '../../src/services/tasks/tasks.ts';
import { listTasks } from '../../src/store/tasks/tasks.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { editionBody } from '../support/factories.ts';

const DAY = 86_400_000;

const draftBody = editionBody;

describe.each(backends())('advisory editions on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let officer: Caller;
  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    officer = await h.signIn('officer', ['country:IQ', 'country:JO']);
  });
  afterAll(() => h.dispose());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    who: Caller = admin,
    payload?: object,
  ) => h.app.inject({ method, url, headers: who.headers, ...(payload !== undefined && { payload }) });
  const createDraft = async (country: string, over: Record<string, unknown> = {}, who: Caller = admin) => {
    const res = await call('POST', `/api/advisories/${country}/editions`, who, draftBody(over));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().edition;
  };
  const publish = async (id: string, who: Caller = admin) => {
    const res = await call('POST', `/api/advisory-editions/${id}/publish`, who, {});
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  /** Moves the clock; sessions last hours, so everyone signs in again afterwards. */
  const travel = async (to: Date) => {
    h.ctx.clock.set(to);
    admin = await h.signIn('admin');
    officer = await h.signIn('officer', ['country:IQ', 'country:JO']);
  };
  const auditOf = async (action: string) =>
    (await call('GET', `/api/audit?action=${action}&limit=500`)).json().entries as Array<{
      target: string;
      summary: Record<string, unknown>;
    }>;

  it('draft -> publish -> archive: numbers 1, 2, 3 and one current edition per country', async () => {
    const d1 = await createDraft('jo', { level: 1, indicators: [] });
    expect(d1).toMatchObject({
      country: 'JO',
      countryName: 'Jordan',
      status: 'draft',
      number: null,
      level: 1,
      levelLabel: 'Exercise normal precautions',
    });
    const p1 = await publish(d1.id);
    expect(p1.edition).toMatchObject({ status: 'published', number: 1 });
    expect(p1.archived).toBeNull();

    const d2 = await createDraft('JO', {
      level: 2,
      indicators: ['T'],
      changeNote: 'Raised to Level 2 for terrorism.',
    });
    expect(d2.baseEditionId).toBe(d1.id);
    const p2 = await publish(d2.id);
    expect(p2.edition).toMatchObject({ status: 'published', number: 2 });
    expect(p2.archived).toMatchObject({ id: d1.id, status: 'archived', number: 1 });

    const d3 = await createDraft('JOR', {
      level: 2,
      indicators: ['T', 'U'],
      changeNote: 'Added civil unrest.',
    });
    await publish(d3.id);

    const view = (await call('GET', '/api/advisories/JO')).json();
    expect(view.current.edition).toMatchObject({
      id: d3.id,
      number: 3,
      status: 'published',
      indicators: ['T', 'U'],
    });
    expect(view.history.map((e: { number: number; status: string }) => [e.number, e.status])).toEqual([
      [3, 'published'],
      [2, 'archived'],
      [1, 'archived'],
    ]);
    expect(view.drafts).toEqual([]);
    const archived = (await call('GET', `/api/advisory-editions/${d1.id}`)).json().edition;
    expect(archived.archivedAt).toBeTruthy();

    const publishes = (await auditOf('advisory.publish')).filter(
      (e) => e.target === `advisory-edition:${d2.id}`,
    );
    expect(publishes).toHaveLength(1);
    expect(publishes[0]!.summary).toMatchObject({
      country: 'JO',
      before: { status: 'draft', level: 2 },
      after: { status: 'published', number: 2 },
      previous: { id: d1.id, number: 1 },
    });
    expect((await auditOf('advisory.archive')).some((e) => e.target === `advisory-edition:${d1.id}`)).toBe(
      true,
    );
    const verify = await call('GET', '/api/audit/verify');
    expect(verify.json()).toMatchObject({ ok: true });
  });

  it('published and archived editions are never edited, deleted or published again', async () => {
    const d = await createDraft('KW', { level: 1, indicators: [] });
    await publish(d.id);
    const patch = await call('PATCH', `/api/advisory-editions/${d.id}`, admin, {
      summary: 'Changed after the fact',
    });
    expect(patch.statusCode).toBe(409);
    expect(errorCode(patch)).toBe('edition_not_draft');
    const del = await call('DELETE', `/api/advisory-editions/${d.id}`);
    expect(del.statusCode).toBe(409);
    expect(errorCode(del)).toBe('edition_not_draft');
    const again = await call('POST', `/api/advisory-editions/${d.id}/publish`, admin, {});
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('edition_not_draft');
    const after = (await call('GET', `/api/advisory-editions/${d.id}`)).json().edition;
    expect(after.summary).toBe(d.summary);
    expect(after.number).toBe(1);
  });

  it('drafts can be changed and discarded; both are audited with before and after', async () => {
    const d = await createDraft('OM', { level: 1, indicators: [] });
    const res = await call('PATCH', `/api/advisory-editions/${d.id}`, admin, {
      level: 3,
      indicators: ['u', 't'],
      changeNote: 'Unrest.',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().edition).toMatchObject({
      level: 3,
      indicators: ['T', 'U'],
      changeNote: 'Unrest.',
      summary: d.summary,
    });
    const upd = (await auditOf('advisory.draft_update')).find((e) => e.target === `advisory-edition:${d.id}`);
    expect(upd?.summary).toMatchObject({
      before: { level: 1, indicators: [] },
      after: { level: 3, indicators: ['T', 'U'] },
    });

    const del = await call('DELETE', `/api/advisory-editions/${d.id}`);
    expect(del.statusCode).toBe(204);
    expect((await call('GET', `/api/advisory-editions/${d.id}`)).statusCode).toBe(404);
    expect(
      (await auditOf('advisory.draft_delete')).some((e) => e.target === `advisory-edition:${d.id}`),
    ).toBe(true);
  });

  it('a change note is required unless the edition is marked minor', async () => {
    const none = await call(
      'POST',
      '/api/advisories/QA/editions',
      admin,
      draftBody({ changeNote: undefined }),
    );
    expect(none.statusCode).toBe(400);
    expect(none.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'changeNote' } });
    const blank = await call('POST', '/api/advisories/QA/editions', admin, draftBody({ changeNote: '   ' }));
    expect(blank.json().error.details.field).toBe('changeNote');

    const minor = await createDraft('QA', { changeNote: null, minor: true });
    expect(minor).toMatchObject({ minor: true, changeNote: null });
    // Clearing the minor flag of a draft without a note is refused too, and changes nothing.
    const patch = await call('PATCH', `/api/advisory-editions/${minor.id}`, admin, { minor: false });
    expect(patch.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'changeNote' } });
    expect((await call('GET', `/api/advisory-editions/${minor.id}`)).json().edition.minor).toBe(true);
    const p = await publish(minor.id);
    expect(p.edition).toMatchObject({ minor: true, number: 1 });
  });

  it('review dates default to 12 months for levels 1-2 and 6 months for 3-4, and can be set', async () => {
    const now = h.ctx.clock.now();
    const months = (n: number) => {
      const d = new Date(now);
      d.setUTCMonth(d.getUTCMonth() + n);
      return d.getTime();
    };
    const low = (await publish((await createDraft('BH', { level: 2 })).id)).edition;
    expect(Math.abs(Date.parse(low.nextReviewDue) - months(12))).toBeLessThan(3 * DAY);
    const high = (await publish((await createDraft('YE', { level: 4, indicators: ['T', 'K', 'U'] })).id))
      .edition;
    expect(Math.abs(Date.parse(high.nextReviewDue) - months(6))).toBeLessThan(3 * DAY);
    const due = new Date(now.getTime() + 30 * DAY).toISOString();
    const set = (await publish((await createDraft('LB', { level: 3, nextReviewDue: due })).id)).edition;
    expect(set.nextReviewDue).toBe(due);
    const past = await call(
      'POST',
      '/api/advisories/LB/editions',
      admin,
      draftBody({ nextReviewDue: new Date(now.getTime() - DAY).toISOString() }),
    );
    expect(past.json().error).toMatchObject({
      code: 'validation_failed',
      details: { field: 'nextReviewDue' },
    });
  });

  it('a review confirms the current edition without a new one, and moves its review dates', async () => {
    const e = (await publish((await createDraft('EG', { level: 3, indicators: ['T'] })).id)).edition;
    await travel(new Date(h.ctx.clock.now().getTime() + 10 * DAY));
    const res = await call('POST', '/api/advisories/EG/review', admin, {
      note: 'Checked with post; no change.',
    });
    expect(res.statusCode, res.body).toBe(201);
    const { review, advisory } = res.json();
    expect(review).toMatchObject({ country: 'EG', editionId: e.id, note: 'Checked with post; no change.' });
    expect(advisory.reviewedAt).toBe(h.ctx.clock.now().toISOString());
    expect(Date.parse(advisory.nextReviewDue)).toBeGreaterThan(Date.parse(e.nextReviewDue));

    const view = (await call('GET', '/api/advisories/EG')).json();
    expect(view.history).toHaveLength(1);
    expect(view.current).toMatchObject({
      reviewedAt: advisory.reviewedAt,
      nextReviewDue: advisory.nextReviewDue,
      overdue: false,
    });
    expect(view.current.edition).toMatchObject({
      id: e.id,
      number: 1,
      updatedAt: e.updatedAt,
      nextReviewDue: e.nextReviewDue,
    });
    expect(view.reviews).toHaveLength(1);
    const audit = (await auditOf('advisory.review')).find((x) => x.target === `advisory-edition:${e.id}`);
    expect(audit?.summary).toMatchObject({
      before: { nextReviewDue: e.nextReviewDue },
      after: { nextReviewDue: advisory.nextReviewDue },
    });

    const nothing = await call('POST', '/api/advisories/NO/review', admin, { note: 'x' });
    expect(nothing.statusCode).toBe(409);
    expect(errorCode(nothing)).toBe('no_current_edition');
  });

  it('lists overdue reviews as the clock moves, and a review takes a country off the list', async () => {
    const e = (await publish((await createDraft('AF', { level: 4, indicators: ['T', 'K'] })).id)).edition;
    const overdue = async () =>
      (await call('GET', '/api/advisories/overdue')).json().overdue as Array<{
        country: string;
        daysOverdue: number;
      }>;
    expect((await overdue()).map((o) => o.country)).not.toContain('AF');
    await travel(new Date(Date.parse(e.nextReviewDue) + 2 * DAY + 1000));
    const list = await overdue();
    expect(list.find((o) => o.country === 'AF')).toMatchObject({ country: 'AF', daysOverdue: 2, level: 4 });
    // Earlier publications are more overdue and come first.
    const order = list.map((o) => o.daysOverdue);
    expect([...order].sort((a, b) => b - a)).toEqual(order);
    const listing = (await call('GET', '/api/advisories'))
      .json()
      .advisories.find((a: { country: string }) => a.country === 'AF');
    expect(listing.current.overdue).toBe(true);

    await call('POST', '/api/advisories/AF/review', admin, { note: 'Still valid.' });
    expect((await overdue()).map((o) => o.country)).not.toContain('AF');
  });

  it('publishing or confirming resolves the country’s open advisory_review tasks in the same transaction', async () => {
    const t1 = await openTask(h.ctx, h.ctx.store.db, cliActor, {
      kind: 'advisory_review',
      title: 'Review Iraq',
      country: 'IQ',
    });
    const other = await openTask(h.ctx, h.ctx.store.db, cliActor, {
      kind: 'advisory_review',
      title: 'Review Iran',
      country: 'IR',
    });
    const d = await createDraft('IQ', { level: 4, indicators: ['T', 'K', 'U'] }, officer);
    const p = await publish(d.id, officer);
    expect(p.resolvedTasks).toBe(1);
    const tasks = await listTasks(h.ctx.store.db, { kind: 'advisory_review' });
    expect(tasks.find((t) => t.id === t1.id)).toMatchObject({
      status: 'resolved',
      resolvedBy: `user:${officer.userId}`,
      resolution: { link: { kind: 'advisory_edition', id: d.id } },
    });
    expect(tasks.find((t) => t.id === other.id)?.status).toBe('open');

    const t2 = await openTask(h.ctx, h.ctx.store.db, cliActor, {
      kind: 'advisory_review',
      title: 'Review Iraq again',
      country: 'IQ',
    });
    const r = await call('POST', '/api/advisories/IQ/review', officer, { note: 'Confirmed.' });
    expect(r.json().resolvedTasks).toBe(1);
    expect(
      (await listTasks(h.ctx.store.db, { kind: 'advisory_review', status: 'open', country: 'IQ' })).map(
        (t) => t.id,
      ),
    ).not.toContain(t2.id);
  });

  it('a failed publish leaves the draft, the previous edition and the tasks as they were', async () => {
    const prev = (await publish((await createDraft('SA', { level: 2 })).id)).edition;
    const due = new Date(h.ctx.clock.now().getTime() + DAY).toISOString();
    const d = await createDraft('SA', { level: 3, nextReviewDue: due, changeNote: 'Raised.' });
    const task = await openTask(h.ctx, h.ctx.store.db, cliActor, {
      kind: 'advisory_review',
      title: 'Review SA',
      country: 'SA',
    });
    await travel(new Date(h.ctx.clock.now().getTime() + 2 * DAY)); // the draft's review date is now in the past
    const res = await call('POST', `/api/advisory-editions/${d.id}/publish`, admin, {});
    expect(res.json().error).toMatchObject({
      code: 'validation_failed',
      details: { field: 'nextReviewDue' },
    });
    expect((await call('GET', `/api/advisory-editions/${prev.id}`)).json().edition.status).toBe('published');
    expect((await call('GET', `/api/advisory-editions/${d.id}`)).json().edition.status).toBe('draft');
    expect(
      (await listTasks(h.ctx.store.db, { kind: 'advisory_review', country: 'SA' })).find(
        (t) => t.id === task.id,
      )?.status,
    ).toBe('open');
    expect((await auditOf('advisory.publish')).some((e) => e.target === `advisory-edition:${d.id}`)).toBe(
      false,
    );
  });

  it('diffs two editions: level, indicators, zones and a line diff of the texts', async () => {
    const zone = (name: string, level: number, indicators: string[], regions: string[]) => ({
      name,
      level,
      indicators,
      regions,
    });
    const a = await createDraft('TR', {
      level: 2,
      indicators: ['T'],
      summary: 'Exercise increased caution in Türkiye due to terrorism.',
      body: 'Line one.\nLine two.\nLine three.',
      zones: [zone('South-east', 4, ['T'], ['TR-73', 'TR-30']), zone('Istanbul', 2, ['T'], ['TR-34'])],
    });
    await publish(a.id);
    const b = await createDraft('TR', {
      level: 2,
      indicators: ['T', 'D'],
      summary: 'Exercise increased caution in Türkiye due to terrorism and arbitrary detentions.',
      body: 'Line one.\nLine two, changed.\nLine three.\nLine four.',
      zones: [
        zone('South-east', 4, ['T', 'K'], ['TR-73', 'TR-30']),
        zone('Syrian border', 4, ['T'], ['TR-79']),
      ],
      changeNote: 'Added wrongful detention.',
    });
    const res = await call('GET', `/api/advisories/diff?from=${a.id}&to=${b.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const { diff, from, to } = res.json();
    expect(from.id).toBe(a.id);
    expect(to.id).toBe(b.id);
    expect(diff.changed).toEqual(['indicators', 'zones', 'summary', 'body']);
    expect(diff.level).toBeNull();
    expect(diff.indicators).toEqual({ added: ['D'], removed: [] });
    expect(diff.zones.added).toEqual(['Syrian border']);
    expect(diff.zones.removed).toEqual(['Istanbul']);
    expect(diff.zones.changed).toEqual([
      expect.objectContaining({
        name: 'South-east',
        fields: ['indicators'],
        indicators: { added: ['K'], removed: [] },
      }),
    ]);
    const removed = diff.body
      .filter((p: { kind: string }) => p.kind === 'removed')
      .map((p: { text: string }) => p.text);
    const added = diff.body
      .filter((p: { kind: string }) => p.kind === 'added')
      .map((p: { text: string }) => p.text);
    expect(removed).toEqual(['Line two.\n']);
    expect(added).toEqual(['Line two, changed.\n', 'Line four.\n']);
    expect(diff.body.map((p: { kind: string }) => p.kind)).toEqual([
      'unchanged',
      'removed',
      'added',
      'unchanged',
      'added',
    ]);

    const other = await createDraft('KW', { level: 1, indicators: [] });
    const mixed = await call('GET', `/api/advisories/diff?from=${a.id}&to=${other.id}`);
    expect(mixed.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'to' } });
    const missing = await call('GET', `/api/advisories/diff?from=${a.id}&to=nope`);
    expect(missing.statusCode).toBe(404);
  });

  it('staff list shows the current edition and open drafts of each country', async () => {
    const draft = await createDraft('CY', { level: 1, indicators: [] });
    const res = await call('GET', '/api/advisories', officer);
    expect(res.statusCode).toBe(200);
    const cy = res.json().advisories.find((a: { country: string }) => a.country === 'CY');
    expect(cy).toMatchObject({
      country: 'CY',
      countryName: 'Cyprus',
      current: null,
      drafts: [{ id: draft.id, status: 'draft' }],
    });
    const jo = res.json().advisories.find((a: { country: string }) => a.country === 'JO');
    expect(jo.current.edition).toMatchObject({ country: 'JO', status: 'published', number: 3 });
  });

  it('officers act only in their countries; viewers read but never write', async () => {
    const out = await call('POST', '/api/advisories/SY/editions', officer, draftBody());
    expect(out.statusCode).toBe(403);
    expect(errorCode(out)).toBe('forbidden');
    const foreign = await createDraft('SY', { level: 4, indicators: ['T', 'K', 'U', 'D', 'O'] });
    for (const [method, url, payload] of [
      ['PATCH', `/api/advisory-editions/${foreign.id}`, { level: 3 }],
      ['DELETE', `/api/advisory-editions/${foreign.id}`, undefined],
      ['POST', `/api/advisory-editions/${foreign.id}/publish`, {}],
      ['POST', '/api/advisories/SY/review', { note: 'x' }],
      // Out-of-scope is refused before the body is even looked at.
      ['POST', '/api/advisories/SY/editions', { level: 9 }],
    ] as const) {
      const res = await call(method, url, officer, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await call('GET', `/api/advisory-editions/${foreign.id}`)).json().edition.status).toBe('draft');
    const viewer = await h.signIn('viewer');
    expect((await call('GET', `/api/advisory-editions/${foreign.id}`, viewer)).statusCode).toBe(200);
    expect((await call('POST', `/api/advisory-editions/${foreign.id}/publish`, viewer, {})).statusCode).toBe(
      403,
    );
    // An edition that does not exist is 404 for whoever may write, never a hint about scope.
    expect(
      (await call('PATCH', '/api/advisory-editions/does-not-exist', officer, { level: 2 })).statusCode,
    ).toBe(404);
    // An officer in scope may write there.
    const mine = await createDraft('IQ', { level: 4, indicators: ['T'] }, officer);
    expect(mine.createdBy).toBe(`user:${officer.userId}`);
  });
});
