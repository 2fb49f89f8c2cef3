import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TripInput } from '../../src/domain/enrollments/trips.ts';
import { enroll } from '../../src/services/enrollments/enrollments.ts';
import { travellerActor } from '../../src/services/enrollments/verification.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe.each(backends())('staff views of enrollments on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let officerIQ: Caller;
  let officerKW: Caller;
  let officerFR: Caller;
  let viewer: Caller;
  const ids: Record<string, string> = {};

  async function traveller(key: string, trips: TripInput[]) {
    await enroll(
      h.ctx,
      travellerActor(null),
      {
        name: `Traveller ${key}`,
        email: `${key}.${process.pid}@example.org`,
        language: 'en',
        emergencyContact: { name: `Contact ${key}` },
        consent: true,
        trips,
      },
      `192.0.2.${Object.keys(ids).length + 1}`,
    );
    const row = await h.ctx.store.db
      .selectFrom('enrollments')
      .select('id')
      .where('id', 'not in', Object.values(ids).length ? Object.values(ids) : [''])
      .executeTakeFirstOrThrow();
    ids[key] = row.id;
  }

  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    officerIQ = await h.signIn('officer', ['country:IQ']);
    officerKW = await h.signIn('officer', ['country:KW']);
    officerFR = await h.signIn('officer', ['country:FR']);
    viewer = await h.signIn('viewer');
    await traveller('basrah', [
      { country: 'IQ', place: { placeId: 99532 }, arrival: day(1), departure: day(9) },
    ]);
    await traveller('both', [
      { country: 'IQ', point: { lat: 33.3, lon: 44.39 }, arrival: day(1), departure: day(5) },
      { country: 'KW', wholeCountry: true, arrival: day(5) },
      { country: 'IQ', place: { placeId: 99532 }, arrival: day(6), departure: day(8) },
    ]);
    await traveller('paris', [{ country: 'FR', place: { placeId: 2988507 }, arrival: day(-100) }]);
  });
  afterAll(() => h.dispose());

  const get = (url: string, who?: Caller) =>
    h.app.inject({ method: 'GET', url, ...(who && { headers: who.headers }) });

  it('counts people and trips by country and region, with no personal data', async () => {
    const res = await get('/api/enrollments/stats', admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      asOf: day(0),
      countries: [
        {
          country: 'FR',
          persons: 1,
          trips: 1,
          unconfirmed: 0,
          regions: [{ region: 'FR-75', persons: 1, trips: 1 }],
        },
        {
          country: 'IQ',
          persons: 2,
          trips: 3,
          unconfirmed: 0,
          regions: [
            { region: 'IQ-BA', persons: 2, trips: 2 },
            { region: 'IQ-BG', persons: 1, trips: 1 },
          ],
        },
        {
          country: 'KW',
          persons: 1,
          trips: 1,
          unconfirmed: 0,
          regions: [{ region: null, persons: 1, trips: 1 }],
        },
      ],
    });
    expect(res.body).not.toContain('Traveller');
    expect(res.body).not.toContain('example.org');
    const iq = await get('/api/enrollments/stats?country=iq', viewer);
    expect(iq.json().countries.map((c: { country: string }) => c.country)).toEqual(['IQ']);
  });

  it('scopes counts for officers: their countries only, and 403 outside them', async () => {
    const mine = await get('/api/enrollments/stats', officerIQ);
    expect(mine.json().countries.map((c: { country: string }) => c.country)).toEqual(['IQ']);
    const other = await get('/api/enrollments/stats?country=FR', officerIQ);
    expect(other.statusCode).toBe(403);
    expect(errorCode(other)).toBe('forbidden');
    expect((await get('/api/enrollments/stats')).statusCode).toBe(401);
  });

  it('shows one person decrypted to staff in scope, and audits every read', async () => {
    const res = await get(`/api/enrollments/${ids.basrah}`, admin);
    expect(res.statusCode).toBe(200);
    expect(res.json().enrollment).toMatchObject({
      id: ids.basrah,
      name: 'Traveller basrah',
      emergencyContact: { name: 'Contact basrah' },
      contacts: [{ kind: 'email', value: `basrah.${process.pid}@example.org`, verified: false }],
      trips: [{ country: 'IQ', region: 'IQ-BA', placeId: 99532, placeName: 'Basrah' }],
    });
    expect((await get(`/api/enrollments/${ids.basrah}`, officerIQ)).statusCode).toBe(200);
    // A person with trips in IQ and KW is in scope for either country's officer.
    expect((await get(`/api/enrollments/${ids.both}`, officerKW)).statusCode).toBe(200);
    expect((await get(`/api/enrollments/${ids.basrah}`, officerKW)).statusCode).toBe(403);
    expect((await get(`/api/enrollments/${ids.basrah}`, officerFR)).statusCode).toBe(403);
    expect((await get(`/api/enrollments/${ids.basrah}`, viewer)).statusCode).toBe(403);
    expect((await get('/api/enrollments/00000000-0000-0000-0000-000000000000', admin)).statusCode).toBe(404);

    const reads = await h.ctx.store.db
      .selectFrom('audit_log')
      .select(['actor', 'target', 'summary'])
      .where('action', '=', 'enrollment.read')
      .orderBy('seq')
      .execute();
    expect(reads.map((r) => [r.actor, r.target])).toEqual([
      [`user:${admin.userId}`, `enrollment:${ids.basrah}`],
      [`user:${officerIQ.userId}`, `enrollment:${ids.basrah}`],
      [`user:${officerKW.userId}`, `enrollment:${ids.both}`],
    ]);
    expect(reads.every((r) => r.summary === '{}')).toBe(true);
  });
});
