import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertArea } from '../../src/domain/alerts/types.ts';
import { alertReach, alertRecipients, type TargetQuery } from '../../src/services/alerts/targeting.ts';
import { backends, createTestContext } from '../support/context.ts';
import { addPerson, addTrip } from './targeting-fixtures.ts';

// Basrah's central business district, drawn as [lon, lat] (GeoJSON order).
const CBD: AlertArea['polygons'][number] = {
  type: 'Polygon',
  coordinates: [
    [
      [47.8, 30.5],
      [47.83, 30.5],
      [47.83, 30.53],
      [47.8, 30.53],
      [47.8, 30.5],
    ],
  ],
};
const none: AlertArea = { countries: [], regions: [], polygons: [], circles: [] };
const query = (area: Partial<AlertArea>, o: Partial<TargetQuery> = {}): TargetQuery => ({
  area: { ...none, ...area },
  effective: '2026-12-08T06:00:00Z',
  expires: '2026-12-09T06:00:00Z',
  includeUnknownLocation: false,
  ...o,
});

describe.each(backends())('alert targeting on %s', (backend) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext(backend);
    const db = ctx.store.db;
    const trip = { country: 'IQ', region: 'IQ-BA', arrival: '2026-12-01', departure: '2026-12-20' };
    ids.inCbd = await addPerson(db, { emails: 2, phones: 1, webhook: true });
    await addTrip(db, ids.inCbd, { ...trip, lat: 30.515, lon: 47.815 });
    // lat/lon swapped would put this point in the Indian Ocean: it must not match.
    ids.outside = await addPerson(db);
    await addTrip(db, ids.outside, { ...trip, lat: 30.6, lon: 47.7 });
    ids.place = await addPerson(db, { emails: 0, phones: 1 });
    await addTrip(db, ids.place, { ...trip, lat: 30.56, lon: 47.86, placeId: 99441 });
    ids.country = await addPerson(db);
    await addTrip(db, ids.country, { country: 'IQ', arrival: '2026-01-01', departure: null });
    ids.unverified = await addPerson(db, { emails: 0, unverified: 1 });
    await addTrip(db, ids.unverified, { ...trip, lat: 30.515, lon: 47.815 });
    ids.later = await addPerson(db);
    await addTrip(db, ids.later, { ...trip, lat: 30.515, lon: 47.815, arrival: '2026-12-10' });
    ids.resident = await addPerson(db);
    await addTrip(db, ids.resident, {
      ...trip,
      lat: 30.52,
      lon: 47.82,
      departure: null,
      arrival: '2020-01-01',
    });
  });
  afterAll(async () => ctx.dispose());

  it('matches points exactly, places approximately, and country-only travellers only when asked', async () => {
    const list = await alertRecipients(ctx, query({ polygons: [CBD] }));
    expect(list).toEqual(
      [
        { enrollmentId: ids.inCbd, precision: 'exact' },
        { enrollmentId: ids.place, precision: 'approximate' },
        { enrollmentId: ids.resident, precision: 'exact' },
      ].sort((a, b) => (a.enrollmentId! < b.enrollmentId! ? -1 : 1)),
    );
    const withUnknown = await alertRecipients(
      ctx,
      query({ polygons: [CBD] }, { includeUnknownLocation: true }),
    );
    expect(withUnknown.find((r) => r.enrollmentId === ids.country)?.precision).toBe('country');
  });

  it('counts people by precision and contacts per channel', async () => {
    const reach = await alertReach(ctx, query({ polygons: [CBD] }, { includeUnknownLocation: true }));
    expect(reach.people).toEqual({ total: 4, exact: 2, approximate: 1, countryOnly: 1 });
    expect(reach.channels).toEqual({
      email: { people: 3, contacts: 4 },
      sms: { people: 2, contacts: 2 },
      webhook: { people: 1, contacts: 1 },
    });
  });

  it('takes a whole country, a region and a circle', async () => {
    expect((await alertReach(ctx, query({ countries: ['IQ'] }))).people.total).toBe(5);
    const region = await alertReach(ctx, query({ regions: ['IQ-BA'] }));
    expect(region.people).toEqual({ total: 4, exact: 3, approximate: 1, countryOnly: 0 });
    const circle = await alertReach(ctx, query({ circles: [{ lat: 30.515, lon: 47.815, radiusKm: 1 }] }));
    expect(circle.people.exact).toBe(2);
  });

  it('includes a trip committed just before the send', async () => {
    const id = await addPerson(ctx.store.db);
    await addTrip(ctx.store.db, id, {
      country: 'IQ',
      region: 'IQ-BA',
      lat: 30.51,
      lon: 47.81,
      arrival: '2026-12-08',
    });
    const list = await alertRecipients(ctx, query({ polygons: [CBD] }));
    expect(list.map((r) => r.enrollmentId)).toContain(id);
  });

  it('leaves out people who chose "stop all messages", as the send does, and counts them again when they resume', async () => {
    const db = ctx.store.db;
    const q = query({ polygons: [CBD] });
    const before = await alertReach(ctx, q);
    expect((await alertRecipients(ctx, q)).map((r) => r.enrollmentId)).toContain(ids.resident);
    const stop = (at: string | null) =>
      db.updateTable('enrollments').set({ unsubscribed_at: at }).where('id', '=', ids.resident!).execute();
    await stop('2026-12-08T05:00:00.000Z');
    expect((await alertRecipients(ctx, q)).map((r) => r.enrollmentId)).not.toContain(ids.resident);
    const stopped = await alertReach(ctx, q);
    expect(stopped.people.total).toBe(before.people.total - 1);
    expect(stopped.channels.email.people).toBe(before.channels.email.people - 1);
    await stop(null);
    expect(await alertReach(ctx, q)).toEqual(before);
  });

  it('refuses a bad area or window', async () => {
    await expect(alertReach(ctx, query({}))).rejects.toMatchObject({ code: 'invalid_area' });
    await expect(
      alertReach(ctx, query({ polygons: [CBD] }, { expires: '2026-12-07T00:00:00Z' })),
    ).rejects.toMatchObject({ code: 'invalid_dates' });
  });
});
