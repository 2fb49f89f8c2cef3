import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACLED_COLUMNS } from '../../src/domain/incidents/acled.ts';
import { cellOf } from '../../src/domain/incidents/cells.ts';
import { importIncidentsCsv } from '../../src/imports/incidents/import.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import type { Db } from '../../src/store/db.ts';
import { importConstants, importTransaction, insertImportRows } from '../../src/store/incidents/bulk.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

const FIXTURE = readFileSync(new URL('../fixtures/acled/iraq-2018-sample.csv', import.meta.url), 'utf8');
const HEADER = ACLED_COLUMNS.join(',');

const BASE: Record<string, string> = {
  event_id_cnty: 'IRQ9001',
  event_date: '2018-09-10',
  year: '2018',
  time_precision: '1',
  disorder_type: 'Political violence',
  event_type: 'Explosions/Remote violence',
  sub_event_type: 'Remote explosive/landmine/IED',
  actor1: 'Islamic State (Iraq)',
  inter1: '2',
  actor2: 'Civilians (Iraq)',
  inter2: '7',
  iso: '368',
  region: 'Middle East',
  country: 'Iraq',
  admin1: 'Baghdad',
  location: 'Abu Ghraib',
  latitude: '33.2906',
  longitude: '44.0653',
  geo_precision: '1',
  source: 'Shafaq News',
  source_scale: 'National',
  notes: 'An IED exploded near a market.',
  fatalities: '1',
  timestamp: '1537440012',
};

const csv = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const line = (over: Record<string, string> = {}) =>
  ACLED_COLUMNS.map((c) => csv({ ...BASE, ...over }[c] ?? '')).join(',');

describe.each(backends())('ACLED import on %s', (backend) => {
  let h: ApiHarness;
  let officer: Caller;
  let admin: Caller;
  const posts = { basrah: '', baghdad: '' };

  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    officer = await h.signIn('officer', ['country:IQ']);
    for (const [key, city, lat, lon] of [
      ['basrah', 'Basrah', 30.51, 47.81],
      ['baghdad', 'Baghdad', 33.3, 44.39],
    ] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/posts',
        headers: admin.headers,
        payload: { kind: 'embassy', name: `Post ${city}`, city, country: 'IQ', location: { lat, lon } },
      });
      posts[key] = res.json().post.id;
    }
  });
  afterAll(() => h.dispose());

  const upload = (body: string, who: Caller = officer, query = '') =>
    h.app.inject({
      method: 'POST',
      url: `/api/incidents/import${query}`,
      headers: { ...who.headers, 'content-type': 'text/csv' },
      payload: body,
    });
  const report = async (body: string, who: Caller = officer, query = '') => {
    const res = await upload(body, who, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().report as Json & { errors: Json[]; warnings: Json[] };
  };
  const count = async () =>
    Number(
      (
        await h.ctx.store.db
          .selectFrom('incidents')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const byEvent = async (eventId: string) => {
    const r = await h.ctx.store.db
      .selectFrom('incidents')
      .select('id')
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (!r) return undefined;
    return (
      await h.app.inject({ method: 'GET', url: `/api/incidents/${r.id}`, headers: officer.headers })
    ).json().incident as Json;
  };

  it('imports an ACLED export: every row, its actors, precisions, source fields and links to nearby posts', async () => {
    const r = await report(FIXTURE);
    expect(r).toMatchObject({
      dryRun: false,
      rows: 20,
      inserted: 20,
      updated: 0,
      unchanged: 0,
      failed: 0,
      errorCount: 0,
      warningCount: 0,
      actorsCreated: 11,
      linked: 10,
      errors: [],
      warnings: [],
    });
    expect(await count()).toBe(20);
    const idf = await byEvent('IRQ34501');
    expect(idf).toMatchObject({
      eventId: 'IRQ34501',
      occurredAt: '2018-09-27T00:00:00.000Z',
      timePrecision: 'day',
      location: { lat: 30.514, lon: 47.817, precision: 'exact', place: 'Basrah' },
      country: 'IQ',
      region: 'IQ-BA',
      type: 'explosions_remote_violence',
      subType: 'shelling_artillery_missile_attack',
      actors: [
        {
          name: 'Unidentified Armed Group (Iraq)',
          type: 'political_militia',
          role: 'perpetrator',
          confidence: 'suspected',
        },
      ],
      fatalities: 0,
      injuries: null,
      sources: ['Shafaq News', 'Rudaw'],
      source: {
        disorder_type: 'Political violence',
        admin1: 'Basrah',
        iso: '368',
        source_scale: 'National',
        time_precision: '1',
        timestamp: '1538659261',
      },
      createdBy: `user:${officer.userId}`,
    });
    expect((idf!.posts as Json[])[0]).toMatchObject({ postId: posts.basrah });
    expect(await byEvent('IRQ34370')).toMatchObject({ timePrecision: 'week' });
    expect(await byEvent('IRQ34265')).toMatchObject({
      timePrecision: 'week',
      location: { precision: 'region' },
      posts: [],
    });
    expect(await byEvent('IRQ34320')).toMatchObject({
      location: { precision: 'near' },
      posts: [{ postId: posts.baghdad }],
    });
    expect(await byEvent('IRQ34480')).toMatchObject({
      notes: expect.stringContaining('chanting "Iran out"'),
    });
    // "IS claimed responsibility" in the notes: the perpetrator's attribution is `claimed`.
    expect((await byEvent('IRQ34305'))!.actors).toEqual([
      expect.objectContaining({ name: 'Islamic State (Iraq)', role: 'perpetrator', confidence: 'claimed' }),
      expect.objectContaining({
        name: 'Military Forces of Iraq (2014-)',
        role: 'target',
        type: 'state_forces',
      }),
    ]);
    expect((await byEvent('IRQ34455'))!.actors).toEqual([
      expect.objectContaining({ name: 'Protesters (Iraq)', role: 'other' }),
    ]);
    const actors = (
      await h.app.inject({ method: 'GET', url: '/api/actors?q=turkey', headers: officer.headers })
    ).json().actors;
    expect(actors).toMatchObject([{ name: 'Military Forces of Turkey (2016-)', type: 'external_forces' }]);
    const audit = (
      await h.app.inject({ method: 'GET', url: '/api/audit?action=incident.import', headers: admin.headers })
    ).json().entries;
    expect(audit[0]).toMatchObject({
      target: `import:${r.importId}`,
      summary: { inserted: 20, rows: [2, 21] },
    });
  });

  it('re-imports idempotently: unchanged rows write nothing, changed ones update (versioned), Warden-only fields survive', async () => {
    expect(await report(FIXTURE)).toMatchObject({
      rows: 20,
      inserted: 0,
      updated: 0,
      unchanged: 20,
      actorsCreated: 0,
    });
    // The same file with Windows line endings is the same content.
    expect(await report(FIXTURE.replace(/\n/g, '\r\n'))).toMatchObject({ unchanged: 20 });
    expect(await count()).toBe(20);

    const idf = (await byEvent('IRQ34501'))!;
    const pin = await h.app.inject({
      method: 'PATCH',
      url: `/api/incidents/${idf.id}`,
      headers: officer.headers,
      payload: { target: { postId: posts.basrah, text: 'US consulate' }, injuries: 2 },
    });
    expect(pin.statusCode, pin.body).toBe(200);
    const retracted = (await byEvent('IRQ34502'))!;
    await h.app.inject({
      method: 'POST',
      url: `/api/incidents/${retracted.id}/retract`,
      headers: officer.headers,
      payload: { reason: 'Not confirmed by the embassy.' },
    });

    const revised = FIXTURE.replace(/^(IRQ34501,.*),0,,1538659261$/m, '$1,2,,1538700000').replace(
      /^(IRQ34502,.*),0,,1538659261$/m,
      '$1,1,,1538700000',
    );
    expect(revised).not.toBe(FIXTURE);
    const r = await report(revised);
    expect(r).toMatchObject({
      inserted: 0,
      updated: 1,
      unchanged: 18,
      retracted: 1,
      failed: 0,
      errorCount: 0,
    });
    expect(r.warnings).toEqual([
      {
        row: 3,
        line: 3,
        field: 'event_id_cnty',
        reason: 'the incident was retracted in Warden; left retracted',
        eventId: 'IRQ34502',
      },
    ]);
    const after = (await byEvent('IRQ34501'))!;
    expect(after).toMatchObject({
      fatalities: 2,
      version: 3,
      injuries: 2,
      target: { postId: posts.basrah, text: 'US consulate' },
      source: { timestamp: '1538700000' },
    });
    const { versions } = (
      await h.app.inject({
        method: 'GET',
        url: `/api/incidents/${idf.id}/versions`,
        headers: officer.headers,
      })
    ).json();
    expect(versions.map((v: Json) => [v.version, (v.state as Json).fatalities])).toEqual([
      [2, 0],
      [1, 0],
    ]);
    expect((await byEvent('IRQ34502'))!).toMatchObject({
      fatalities: 0,
      retraction: { reason: 'Not confirmed by the embassy.' },
    });
    expect(await count()).toBe(20);
  });

  it('refuses a file without the required columns up front, listing them, and writes nothing', async () => {
    const before = await count();
    const renamed = FIXTURE.replace('latitude,longitude', 'lat,lon');
    const res = await upload(renamed);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'invalid_csv',
      details: { missing: ['latitude', 'longitude'], unknown: ['lat', 'lon'] },
    });
    const dup = await upload(FIXTURE.replace('notes,fatalities', 'notes,notes'));
    expect(dup.json().error).toMatchObject({
      code: 'invalid_csv',
      details: { missing: ['fatalities'], duplicates: ['notes'] },
    });
    expect(errorCode(await upload(''))).toBe('invalid_csv');
    expect(errorCode(await upload('just,some,words\n1,2,3\n'))).toBe('invalid_csv');
    expect(await count()).toBe(before);
  });

  it('reports each bad row precisely (row, line, field, reason) and loses none', async () => {
    const before = await count();
    const rows = [
      HEADER,
      /* row 2, lines 2-3 */ line({
        event_id_cnty: 'IRQ9001',
        notes: 'First line of the notes.\nSecond line, "quoted".',
      }),
      /* row 3, line 4 */ line({ event_id_cnty: 'IRQ9002', event_date: '2018-02-30' }),
      /* row 4, line 5 */ line({ event_id_cnty: 'IRQ9003', latitude: '130.5', longitude: '44.2' }),
      /* row 5, line 6 */ line({ event_id_cnty: 'IRQ9004', latitude: '44.0653', longitude: '33.2906' }),
      /* row 6, line 7 */ line({
        event_id_cnty: 'IRQ9005',
        event_type: 'Non-violent action',
        sub_event_type: 'Sit-in',
      }),
      /* row 7, line 8 */ line({ event_id_cnty: 'IRQ9001', fatalities: '3' }),
      /* row 8, line 9 */ line({ event_id_cnty: 'IRQ9007', notes: 'An IED, near a market' }).replace(
        '"An IED, near a market"',
        '"An IED" exploded, near a market',
      ),
      /* row 9, line 10 */ line({ event_id_cnty: 'IRQ9008' }).split(',').slice(0, 20).join(','),
      /* row 10, line 11 */ line({
        event_id_cnty: 'IRQ9009',
        fatalities: '-1',
        inter2: '9',
        event_date: 'yesterday',
      }),
      /* row 11, line 12 */ line({
        event_id_cnty: 'IRQ9010',
        location: 'Abu "Ghraib',
        notes: 'plain',
      }).replace('"Abu ""Ghraib"', 'Abu "Ghraib'),
      /* row 12, line 13 */ line({ event_id_cnty: 'IRQ9011', notes: 'x' }).replace(',x,', ',"never closed,'),
      /* row 13, line 14 */ line({ event_id_cnty: 'IRQ9012', notes: 'last' }),
    ];
    const r = await report(`${rows.join('\n')}\n`);
    expect(r.errors).toEqual([
      {
        row: 3,
        line: 4,
        field: 'event_date',
        reason: '"2018-02-30" is not a date (expected yyyy-mm-dd)',
        eventId: 'IRQ9002',
      },
      {
        row: 4,
        line: 5,
        field: 'latitude',
        reason: 'latitude 130.5 is outside -90..90; latitude and longitude look swapped',
        eventId: 'IRQ9003',
      },
      {
        row: 5,
        line: 6,
        field: 'latitude',
        reason:
          'the point (44.0653, 33.2906) is not in Iraq but (33.2906, 44.0653) is: latitude and longitude are swapped',
        eventId: 'IRQ9004',
      },
      {
        row: 7,
        line: 8,
        field: 'event_id_cnty',
        reason: 'duplicate of row 2; the first is kept',
        eventId: 'IRQ9001',
      },
      { row: 8, line: 9, field: null, reason: 'text follows the closing quote of a quoted field' },
      { row: 9, line: 10, field: null, reason: 'the row has 20 fields, the header 31' },
      {
        row: 10,
        line: 11,
        field: 'event_date',
        reason: '"yesterday" is not a date (expected yyyy-mm-dd)',
        eventId: 'IRQ9009',
      },
      {
        row: 10,
        line: 11,
        field: 'fatalities',
        reason: '"-1" is not a whole number of 0 or more',
        eventId: 'IRQ9009',
      },
      { row: 12, line: 13, field: null, reason: 'a quoted field opened on this line is never closed' },
    ]);
    expect(r.warnings).toEqual([
      {
        row: 6,
        line: 7,
        field: 'event_type',
        reason: 'unknown event type "Non-violent action"; kept as other (the labels are kept in source)',
        eventId: 'IRQ9005',
      },
      {
        row: 10,
        line: 11,
        field: 'inter2',
        reason: 'unknown inter code "9"; actor type unknown',
        eventId: 'IRQ9009',
      },
      {
        row: 11,
        line: 12,
        field: 'location',
        reason: 'a quote inside an unquoted field was kept as text',
        eventId: 'IRQ9010',
      },
    ]);
    expect(r).toMatchObject({ rows: 12, inserted: 4, failed: 8, errorCount: 9, warningCount: 3 });
    expect((r.inserted as number) + (r.failed as number)).toBe(r.rows);
    expect(await count()).toBe(before + 4);
    expect(await byEvent('IRQ9001')).toMatchObject({
      notes: 'First line of the notes.\nSecond line, "quoted".',
      fatalities: 1,
    });
    expect(await byEvent('IRQ9005')).toMatchObject({
      type: 'other',
      subType: 'other',
      source: { event_type: 'Non-violent action', sub_event_type: 'Sit-in' },
    });
    expect(await byEvent('IRQ9010')).toMatchObject({ location: { place: 'Abu "Ghraib' } });
    expect(await byEvent('IRQ9012')).toMatchObject({ notes: 'last' });
  });

  it('reads a large file on a worker thread with the same result as on this thread', async () => {
    const good = Array.from({ length: 240 }, (_, i) =>
      line({
        event_id_cnty: `IRQW${i}`,
        event_date: `2018-0${1 + (i % 9)}-1${i % 10}`,
        latitude: (30.5 + (i % 7) * 0.4).toFixed(4),
        longitude: (44 + (i % 5) * 0.7).toFixed(4),
        actor1: `Worker Test Group ${i % 13}`,
        assoc_actor_1: i % 4 ? '' : `Worker Test Ally ${i % 3}`,
        notes: `Row ${i}, "quoted" and, with a comma.`,
      }),
    );
    const body = [
      HEADER,
      ...good.slice(0, 100),
      line({ event_id_cnty: 'IRQW5' }), // a duplicate of row 7
      line({ event_id_cnty: 'IRQW-bad', event_date: 'someday' }),
      'IRQW-short,2018-01-01',
      ...good.slice(100),
    ].join('\n');
    // In uneven pieces, as a network delivers it.
    const pieces = (text: string) =>
      Array.from({ length: Math.ceil(text.length / 777) }, (_, i) => text.slice(i * 777, (i + 1) * 777));
    const seen: number[] = [];
    const inline = await importIncidentsCsv(h.ctx, cliActor, pieces(body), {
      dryRun: true,
      worker: 'never',
      batchSize: 60,
    });
    const viaWorker = await importIncidentsCsv(h.ctx, cliActor, pieces(body), {
      worker: 'always',
      batchSize: 60,
      onProgress: (p) => seen.push(p.rows),
    });
    const same = ({ importId: _i, durationMs: _d, dryRun: _r, ...rest }: Json) => rest;
    expect(same(viaWorker as unknown as Json)).toEqual(same(inline as unknown as Json));
    expect(viaWorker).toMatchObject({ rows: 243, inserted: 240, failed: 3, errorCount: 3 });
    expect(viaWorker.errors.map((e) => [e.row, e.field])).toEqual([
      [102, 'event_id_cnty'],
      [103, 'event_date'],
      [104, null],
    ]);
    expect(seen[seen.length - 1]).toBe(243);
    expect(await byEvent('IRQW200')).toMatchObject({
      notes: 'Row 200, "quoted" and, with a comma.',
      actors: [
        expect.objectContaining({ name: 'Worker Test Group 5', type: 'rebel_group', role: 'perpetrator' }),
        expect.objectContaining({ name: 'Worker Test Ally 2', type: 'unknown', role: 'perpetrator' }),
        expect.objectContaining({ name: 'Civilians (Iraq)', role: 'target' }),
      ],
    });
    // One transaction and audit entry per 60 rows.
    const audit = (
      await h.app.inject({
        method: 'GET',
        url: '/api/audit?action=incident.import&limit=10',
        headers: admin.headers,
      })
    ).json().entries as Json[];
    expect(audit.filter((e) => e.target === `import:${viaWorker.importId}`)).toHaveLength(4);
    // And back on this thread, nothing has changed.
    const again = await importIncidentsCsv(h.ctx, cliActor, [body], { worker: 'never' });
    expect(again).toMatchObject({ inserted: 0, unchanged: 240, failed: 3 });
  });

  it('refuses a batch naming an actor that does not exist, on both stores, and writes none of it', async () => {
    const before = await count();
    const id = '01900000-0000-7000-8000-000000000001';
    const write = async (trx: Db) => {
      await insertImportRows(
        trx,
        backend,
        'incidents',
        {
          flat: [
            id,
            'IRQ-FK-1',
            '2018-09-01T00:00:00.000Z',
            'day',
            30.5,
            47.8,
            cellOf(30.5, 47.8),
            'exact',
            null,
            'IQ',
            'IQ-BA',
            'protests',
            'peaceful_protest',
            0,
            '[]',
            null,
            '{}',
            'x',
          ],
        },
        importConstants('2018-09-01T00:00:00.000Z', 'test'),
        h.ctx.store.sqlite,
      );
      await insertImportRows(
        trx,
        backend,
        'incident_actors',
        { flat: [id, 'no-such-actor', 'other', 'suspected', 0] },
        [],
        h.ctx.store.sqlite,
      );
      return { actorIds: new Set(['no-such-actor']), postIds: new Set<string>() };
    };
    await expect(importTransaction(h.ctx.store.db, backend, h.ctx.store.sqlite, write)).rejects.toThrow(
      /foreign key/i,
    );
    expect(await count()).toBe(before);
    // The connection enforces foreign keys again afterwards.
    if (h.ctx.store.sqlite) expect(h.ctx.store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('checks without writing on a dry run; refuses other content types, other countries and oversized files', async () => {
    const before = await count();
    const dry = await report(`${HEADER}\n${line({ event_id_cnty: 'IRQ9100' })}\n`, officer, '?dryRun=true');
    expect(dry).toMatchObject({ dryRun: true, rows: 1, inserted: 1, failed: 0 });
    expect(await count()).toBe(before);

    const json = await h.app.inject({
      method: 'POST',
      url: '/api/incidents/import',
      headers: officer.headers,
      payload: { rows: [] },
    });
    expect(json.statusCode).toBe(415);
    expect(errorCode(json)).toBe('unsupported_media_type');

    const outsider = await h.signIn('officer', ['country:FR']);
    const out = await report(`${HEADER}\n${line({ event_id_cnty: 'IRQ9101' })}\n`, outsider);
    expect(out).toMatchObject({ inserted: 0, failed: 1 });
    expect(out.errors[0]).toMatchObject({
      row: 2,
      field: 'country',
      reason: 'incidents in IQ are outside your scope',
    });
    expect((await upload(FIXTURE, await h.signIn('viewer'))).statusCode).toBe(403);

    await expect(
      importIncidentsCsv(h.ctx, cliActor, [FIXTURE.slice(0, 1500), FIXTURE.slice(1500)], { maxBytes: 2000 }),
    ).rejects.toMatchObject({ code: 'body_too_large' });
    expect(await count()).toBe(before);
  });
});
