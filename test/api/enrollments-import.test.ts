import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importEnrollmentsCsv } from '../../src/imports/enrollments/import.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import {
  createOrganisation,
  createOrganisationToken,
} from '../../src/services/organisations/organisations.ts';
import { startImportRow } from '../../src/store/organisations/organisations.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Issue = {
  row: number;
  line: number;
  field: string | null;
  code: string;
  reason: string;
  externalId?: string;
};
type Report = {
  rows: number;
  persons: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  failedPersons: number;
  errorCount: number;
  errors: Issue[];
};

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const HEADER =
  'external_id,name,email,phone,language,emergency_name,emergency_phone,country,place_id,place,lat,lon,arrival,departure';
const A = day(3);
const D = day(30);

/** A small file: Basrah by point, Baghdad by GeoNames id, Erbil by name, Kuwait as a whole country. */
const GOOD = [
  HEADER,
  `E1,Ahmed Ali,ahmed@tigris.example,+9647701111111,ar,Sara Ali,+9647802222222,IQ,,,30.508,47.8,${A},${D}`,
  `E1,Ahmed Ali,,,,,,KW,,,,,${day(31)},`,
  `E2,Emma Jones,emma@tigris.example,,en,,,IQ,98182,,,,${A},${D}`,
  `E3,Karwan Aziz,,07501234567,ku,,,IQ,,Erbil,,,${A},`,
].join('\n');

describe.each(backends())('enrollment CSV import on %s', (backend) => {
  let h: ApiHarness;
  let crisis: Caller;
  let orgId: string;
  let orgToken: string;

  beforeAll(async () => {
    h = await createApiHarness(backend, { WARDEN_IMPORT_BODY_LIMIT: '4096' });
    crisis = await h.signIn('crisis_manager');
    orgId = (await createOrganisation(h.ctx, cliActor, { name: 'Tigris Engineering' })).id;
    orgToken = (await createOrganisationToken(h.ctx, cliActor, orgId, 'test')).secret;
  });
  afterAll(() => h.dispose());

  const upload = (body: string | Buffer | Readable, headers: Record<string, string> = crisis.headers) =>
    h.app.inject({
      method: 'POST',
      url: `/api/organisations/${orgId}/imports`,
      headers: { ...headers, 'content-type': 'text/csv' },
      payload: body,
    });
  const report = async (body: string | Buffer): Promise<Report> => {
    const res = await upload(body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().report;
  };
  const read = (externalId: string) =>
    h.app.inject({
      method: 'GET',
      url: `/api/org/enrollments/${encodeURIComponent(externalId)}`,
      headers: { authorization: `Bearer ${orgToken}` },
    });
  const count = async (table: 'enrollments' | 'enrollment_trips' | 'enrollment_contacts') =>
    Number(
      (
        await h.ctx.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('imports people and itineraries, one row per trip', async () => {
    const r = await report(GOOD);
    expect(r).toMatchObject({
      rows: 4,
      persons: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      failed: 0,
      errors: [],
    });
    const ahmed = (await read('E1')).json().enrollment;
    expect(ahmed).toMatchObject({
      name: 'Ahmed Ali',
      language: 'ar',
      emergencyContact: { name: 'Sara Ali', phone: '+9647802222222' },
      contacts: [
        { kind: 'email', value: 'ahmed@tigris.example', verified: true },
        { kind: 'phone', value: '+9647701111111', verified: true },
      ],
    });
    expect(ahmed.trips.map((t: { country: string; region: string | null }) => [t.country, t.region])).toEqual(
      [
        ['IQ', 'IQ-BA'],
        ['KW', null],
      ],
    );
    expect((await read('E2')).json().enrollment.trips[0]).toMatchObject({ placeId: 98182, region: 'IQ-BG' });
    // A national number is read in the country of the person's first trip; a place by its name.
    const karwan = (await read('E3')).json().enrollment;
    expect(karwan.contacts).toEqual([{ kind: 'phone', value: '+9647501234567', verified: true }]);
    expect(karwan.trips[0]).toMatchObject({ placeId: 95446, region: 'IQ-AR', departure: null });
    const stats = await h.app.inject({
      method: 'GET',
      url: '/api/enrollments/stats?country=IQ',
      headers: crisis.headers,
    });
    expect(stats.json().countries[0]).toMatchObject({ country: 'IQ', persons: 3 });
  });

  it('re-imports the same file as unchanged, writing nothing', async () => {
    const before = await Promise.all([
      count('enrollments'),
      count('enrollment_trips'),
      count('enrollment_contacts'),
    ]);
    const audits = await h.ctx.store.db.selectFrom('audit_log').select('seq').execute();
    const r = await report(GOOD);
    expect(r).toMatchObject({ rows: 4, persons: 3, created: 0, updated: 0, unchanged: 3, failed: 0 });
    expect([
      await count('enrollments'),
      await count('enrollment_trips'),
      await count('enrollment_contacts'),
    ]).toEqual(before);
    // Only the import's own summary entry was added.
    const added = await h.ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'summary'])
      .where('seq', '>', audits.length)
      .execute();
    expect(added.map((a) => a.action)).toEqual(['organisation.import']);
    expect(JSON.parse(added[0]!.summary)).toMatchObject({ rows: 4, unchanged: 3, created: 0 });
  });

  it('rewrites a changed person whole: trips replaced, contacts kept', async () => {
    const contacts = await h.ctx.store.db
      .selectFrom('enrollment_contacts')
      .select('id')
      .orderBy('id')
      .execute();
    const changed = GOOD.replace(
      `E1,Ahmed Ali,,,,,,KW,,,,,${day(31)},`,
      `E1,Ahmed Ali,,,,,,JO,,,,,${day(32)},`,
    );
    const r = await report(changed);
    expect(r).toMatchObject({ created: 0, updated: 1, unchanged: 2, failed: 0 });
    const trips = (await read('E1')).json().enrollment.trips;
    expect(trips.map((t: { country: string }) => t.country)).toEqual(['IQ', 'JO']);
    expect(
      await h.ctx.store.db.selectFrom('enrollment_contacts').select('id').orderBy('id').execute(),
    ).toEqual(contacts);
  });

  it('lists every bad row with its row, field and reason, keeping the good ones', async () => {
    const rows = [
      HEADER,
      `B1,Bad Email,not-an-email,,en,,,IQ,,,,,${A},`,
      `B2,Bad Phone,,12345,en,,,IQ,,,,,${A},`,
      `B3,Backwards,b3@tigris.example,,en,,,IQ,,,,,${day(10)},${day(5)}`,
      `B4,Long Ago,b4@tigris.example,,en,,,IQ,,,,,1999-01-01,`,
      `B5,Far Ahead,b5@tigris.example,,en,,,IQ,,,,,2199-01-01,`,
      `B6,Nowhere,b6@tigris.example,,en,,,XX,,,,,${A},`,
      `B7,Unknown Place,b7@tigris.example,,en,,,IQ,,Atlantis,,,${A},`,
      `B8,Wrong Country,b8@tigris.example,,en,,,IQ,,,48.85,2.35,${A},`,
      `B9,Not A Date,b9@tigris.example,,en,,,IQ,,,,,31/12/2026,`,
      `OK1,Good Person,ok1@tigris.example,,en,,,IQ,,,,,${A},`,
      `B10,No Contact,,,en,,,IQ,,,,,${A},`,
      `B11,Unknown Place Id,b11@tigris.example,,en,,,IQ,999999999,,,,${A},`,
    ].join('\n');
    const r = await report(rows);
    expect(r).toMatchObject({ rows: 12, persons: 12, created: 1, failedPersons: 11, failed: 11 });
    const by = (id: string) =>
      r.errors.filter((e) => e.externalId === id).map((e) => [e.row, e.field, e.code]);
    expect(by('B1')).toEqual([[2, 'email', 'invalid_email']]);
    expect(by('B2')).toEqual([[3, 'phone', 'invalid_phone']]);
    expect(by('B3')).toEqual([[4, 'departure', 'invalid_dates']]);
    expect(by('B4')).toEqual([[5, 'arrival', 'date_out_of_range']]);
    expect(by('B5')).toEqual([[6, 'arrival', 'date_out_of_range']]);
    expect(by('B6')).toEqual([[7, 'country', 'unknown_country']]);
    expect(by('B7')).toEqual([[8, 'place', 'unknown_place']]);
    expect(by('B8')).toEqual([[9, 'lat', 'point_outside_country']]);
    expect(by('B9')).toEqual([[10, 'arrival', 'invalid_date']]);
    expect(by('B10')).toEqual([[12, 'email', 'contact_required']]);
    expect(by('B11')).toEqual([[13, 'place_id', 'unknown_place']]);
    for (const e of r.errors) expect(e.reason.length).toBeGreaterThan(5);
    expect((await read('OK1')).statusCode).toBe(200);
    expect((await read('B1')).statusCode).toBe(404);
  });

  it('refuses a person whole when one of their rows is bad', async () => {
    const r = await report(
      [
        HEADER,
        `P1,Part Good,p1@tigris.example,,en,,,IQ,,,,,${A},${D}`,
        `P1,Part Good,,,,,,IQ,,,,,${day(40)},${day(35)}`,
      ].join('\n'),
    );
    expect(r).toMatchObject({ persons: 1, created: 0, failedPersons: 1, failed: 2 });
    expect(r.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [2, null, 'person_refused'],
      [3, 'departure', 'invalid_dates'],
    ]);
    expect((await read('P1')).statusCode).toBe(404);
  });

  it('reports person columns that disagree between rows, repeated rows and scattered people', async () => {
    const r = await report(
      [
        HEADER,
        `C1,Same Person,c1@tigris.example,,en,,,IQ,,,,,${A},`,
        `C1,Other Name,,,,,,IQ,,,,,${day(4)},`,
        `D1,Twice,d1@tigris.example,,en,,,IQ,,,,,${A},`,
        `D1,Twice,d1@tigris.example,,en,,,IQ,,,,,${A},`,
        `S1,Scattered,s1@tigris.example,,en,,,IQ,,,,,${A},`,
        `OK2,Between,ok2@tigris.example,,en,,,IQ,,,,,${A},`,
        `S1,Scattered,,,,,,JO,,,,,${A},`,
      ].join('\n'),
    );
    const codes = r.errors.map((e) => [e.externalId, e.row, e.field, e.code]);
    expect(codes).toContainEqual(['C1', 3, 'name', 'conflicting_value']);
    expect(codes).toContainEqual(['D1', 5, null, 'duplicate_row']);
    expect(codes).toContainEqual(['S1', 8, 'external_id', 'not_consecutive']);
    // The duplicate is harmless: the person is imported once, with one trip.
    expect((await read('D1')).json().enrollment.trips).toHaveLength(1);
    expect((await read('C1')).statusCode).toBe(404);
    expect((await read('S1')).json().enrollment.trips.map((t: { country: string }) => t.country)).toEqual([
      'IQ',
    ]);
  });

  it('reads quoted fields with commas and newlines, a byte-order mark, CRLF and any column order', async () => {
    const text =
      '\uFEFFarrival,name,external_id,email,country\r\n' +
      `${A},"Ali, ""the engineer""\r\nHassan",Q1,q1@tigris.example,IQ\r\n` +
      `${A},Next Row,Q2,q2@tigris.example,IQ\r\n`;
    const r = await report(text);
    expect(r).toMatchObject({ rows: 2, created: 2, failed: 0 });
    expect((await read('Q1')).json().enrollment.name).toBe('Ali, "the engineer" Hassan');
    const bad = await report(`external_id,name,email,country,arrival\nQ3,"a\nb",not-email,IQ,${A}\n`);
    expect(bad.errors[0]).toMatchObject({ row: 2, line: 2, field: 'email' });
  });

  it('names the field whose bytes are not UTF-8, and refuses a UTF-16 file whole', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(`external_id,name,email,country,arrival\nL1,Jos`),
      Buffer.from([0xe9]), // é in Latin-1
      Buffer.from(`,l1@tigris.example,IQ,${A}\nL2,Jose,l2@tigris.example,IQ,${A}\n`),
    ]);
    const r = await report(latin1);
    expect(r.errors).toEqual([
      expect.objectContaining({ row: 2, field: 'name', code: 'invalid_encoding', externalId: 'L1' }),
    ]);
    expect(r.created).toBe(1);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('external_id,name\n', 'utf16le')]);
    const res = await upload(utf16);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_csv', details: { encoding: 'utf-16' } });
  });

  it('refuses a file with wrong columns up front, listing them', async () => {
    const res = await upload(`id,full_name,email,country,arrival,colour\nx,y,z@tigris.example,IQ,${A},red\n`);
    expect(res.statusCode).toBe(400);
    const e = res.json().error;
    expect(e.code).toBe('invalid_csv');
    expect(e.details).toMatchObject({
      missing: ['external_id', 'name'],
      unknown: ['id', 'full_name', 'colour'],
    });
    expect(errorCode(await upload(''))).toBe('invalid_csv');
    expect((await read('x')).statusCode).toBe(404);
  });

  it('refuses a contact that belongs to another enrollment, and a private webhook host', async () => {
    const r = await report(
      [
        'external_id,name,email,webhook_url,country,arrival',
        `T1,Taken,ahmed@tigris.example,,IQ,${A}`,
        `T2,Hook,t2@tigris.example,https://192.168.1.10/hook,IQ,${A}`,
      ].join('\n'),
    );
    expect(r.errors.map((e) => [e.externalId, e.field, e.code])).toEqual([
      ['T1', 'email', 'contact_taken'],
      ['T2', 'webhook_url', 'webhook_not_allowed'],
    ]);
  });

  it('answers 413 with the error shape for a body over the limit, declared or streamed', async () => {
    const big = `${HEADER}\n${`Z1,Big,z@tigris.example,,en,,,IQ,,,,,${A},\n`.repeat(200)}`;
    const declared = await upload(big);
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toEqual({
      error: { code: 'body_too_large', message: expect.any(String), details: { limit: 4096 } },
    });
    expect((await read('Z1')).statusCode).toBe(404);
    // Sent without a length (chunked), the body is counted as it streams in.
    await expect(
      importEnrollmentsCsv(h.ctx, cliActor, orgId, Readable.from([Buffer.from(big)]), {
        via: 'staff',
        maxBytes: 4096,
      }),
    ).rejects.toMatchObject({ code: 'body_too_large', details: { limit: 4096 } });
    expect(
      errorCode(
        await h.app.inject({
          method: 'POST',
          url: `/api/organisations/${orgId}/imports`,
          headers: crisis.headers,
          payload: { rows: [] },
        }),
      ),
    ).toBe('unsupported_media_type');
  });

  it('takes the same CSV from the organisation itself, and keeps the import history', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/org/enrollments/import',
      headers: { authorization: `Bearer ${orgToken}`, 'content-type': 'text/csv' },
      payload: `external_id,name,email,country,arrival\nO1,Own Import,o1@tigris.example,IQ,${A}\n`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report).toMatchObject({ created: 1 });
    const staffOnOrgRoute = await h.app.inject({
      method: 'POST',
      url: '/api/org/enrollments/import',
      headers: { ...crisis.headers, 'content-type': 'text/csv' },
      payload: 'external_id\n',
    });
    expect(staffOnOrgRoute.statusCode).toBe(403);
    const history = (
      await h.app.inject({
        method: 'GET',
        url: `/api/organisations/${orgId}/imports`,
        headers: crisis.headers,
      })
    ).json().imports;
    expect(history[0]).toMatchObject({ via: 'organisation', status: 'done', rows: 1, created: 1 });
    expect(history.map((i: { startedAt: string }) => i.startedAt)).toEqual(
      history
        .map((i: { startedAt: string }) => i.startedAt)
        .sort()
        .reverse(),
    );
    expect(
      history.some((i: { status: string; error: string | null }) => i.status === 'failed' && i.error),
    ).toBe(true);
  });

  it('runs one import per organisation at a time, taking over one whose process died', async () => {
    const now = new Date();
    const running = {
      organisation_id: orgId,
      actor: 'cli',
      via: 'cli',
      status: 'running',
      finished_at: null,
      error: null,
      bytes: 0,
      rows: 0,
      persons: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      error_count: 0,
    };
    const stale = new Date(now.getTime() - 3_600_000).toISOString();
    expect(
      await startImportRow(
        h.ctx.store.db,
        { ...running, id: 'live', started_at: now.toISOString(), heartbeat_at: now.toISOString() },
        stale,
      ),
    ).toBe(true);
    const busy = await upload(GOOD);
    expect(busy.statusCode).toBe(409);
    await h.ctx.store.db
      .updateTable('organisation_imports')
      .set({ heartbeat_at: new Date(now.getTime() - 2 * 3_600_000).toISOString() })
      .where('id', '=', 'live')
      .execute();
    expect((await upload(GOOD)).statusCode).toBe(200);
    const dead = await h.ctx.store.db
      .selectFrom('organisation_imports')
      .selectAll()
      .where('id', '=', 'live')
      .executeTakeFirstOrThrow();
    expect(dead.status).toBe('failed');
  });

  it('gives the same result when worker threads check and seal the rows', async () => {
    const other = await createOrganisation(h.ctx, cliActor, { name: 'Threaded' });
    const lines = [HEADER];
    for (let i = 0; i < 40; i++) {
      lines.push(`W${i},Worker ${i},w${i}@tigris.example,,en,,,IQ,${i % 2 ? '98182' : ''},,,,${A},`);
      if (i % 3 === 0) lines.push(`W${i},Worker ${i},,,,,,JO,,Amman,,,${day(20)},`);
    }
    lines.push(`W99,Broken,not-an-email,,en,,,IQ,,,,,${A},`);
    const r = await importEnrollmentsCsv(h.ctx, cliActor, other.id, [lines.join('\n')], {
      via: 'cli',
      workers: 2,
      workerThreshold: 1,
      batchSize: 5,
      awaitWorkers: true,
    });
    expect(r).toMatchObject({ persons: 41, created: 40, failedPersons: 1 });
    expect(r.workers).toBeGreaterThan(0);
    expect(r.errors.map((e) => [e.externalId, e.field, e.code])).toEqual([['W99', 'email', 'invalid_email']]);
    const trips = await h.ctx.store.db
      .selectFrom('enrollment_trips as t')
      .innerJoin('enrollments as e', 'e.id', 't.person_id')
      .select(['t.country', 't.place_id'])
      .where('e.organisation_id', '=', other.id)
      .execute();
    expect(trips).toHaveLength(54);
    expect(trips.filter((t) => t.country === 'JO').every((t) => t.place_id === 250441)).toBe(true);
  });

  it('shares a write transaction between batches, and counts only what was committed when reading fails', async () => {
    const other = await createOrganisation(h.ctx, cliActor, { name: 'Interrupted' });
    const line = (i: number) => `I${i},Person ${i},i${i}@interrupted.example,,en,,,IQ,98182,,,,${A},`;
    // 60 people, then the input breaks (a client that went away): batches of 5, committed by 20.
    async function* broken() {
      yield `${HEADER}\n`;
      for (let i = 0; i < 60; i++) yield `${line(i)}\n`;
      throw new Error('connection reset');
    }
    await expect(
      importEnrollmentsCsv(h.ctx, cliActor, other.id, broken(), {
        via: 'cli',
        batchSize: 5,
        commitEvery: 20,
        workers: 0,
      }),
    ).rejects.toThrow('connection reset');
    const row = await h.ctx.store.db
      .selectFrom('organisation_imports')
      .selectAll()
      .where('organisation_id', '=', other.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    const people = await h.ctx.store.db
      .selectFrom('enrollments')
      .select('id')
      .where('organisation_id', '=', other.id)
      .execute();
    // What the history says was written is what is there: whole people, each with its trip.
    expect(Number(row.created)).toBe(people.length);
    expect(people.length % 5).toBe(0);
    const trips = await h.ctx.store.db
      .selectFrom('enrollment_trips as t')
      .innerJoin('enrollments as e', 'e.id', 't.person_id')
      .select('t.id')
      .where('e.organisation_id', '=', other.id)
      .execute();
    expect(trips).toHaveLength(people.length);

    // The same file whole: what was committed is unchanged, the rest is created, in a few transactions.
    const lines = [HEADER, ...Array.from({ length: 60 }, (_, i) => line(i))];
    const r = await importEnrollmentsCsv(h.ctx, cliActor, other.id, [lines.join('\n')], {
      via: 'cli',
      batchSize: 5,
      commitEvery: 20,
      workers: 0,
    });
    expect(r).toMatchObject({ persons: 60, unchanged: people.length, created: 60 - people.length });
    const audits = await h.ctx.store.db
      .selectFrom('audit_log')
      .select('summary')
      .where('action', '=', 'enrollment.import')
      .where('target', '=', `organisation:${other.id}`)
      .execute();
    expect(audits.length).toBeGreaterThan(1);
  });
});
