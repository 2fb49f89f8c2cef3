import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateArea } from '../../src/domain/alerts/area.ts';
import { loadGeography } from '../../src/domain/geo/index.ts';
import {
  alertReach,
  alertReachByScan,
  alertRecipients,
  alertRecipientsByScan,
  type TargetQuery,
} from '../../src/services/alerts/targeting.ts';
import { backends, createTestContext } from '../support/context.ts';
import { areaWith, type CodeSet, type RandomTrip, trips } from '../support/targeting-arbitraries.ts';
import { addPerson, addTrip } from './targeting-fixtures.ts';

// Fiji spans the antimeridian; its regions and Iraq's and Kuwait's are real ISO 3166-2 codes.
const CODES: CodeSet = { countries: ['IQ', 'KW', 'FJ'], regions: ['IQ-BA', 'KW-AH', 'FJ-N', 'FJ-C'] };
const EFFECTIVE = '2026-12-08T06:00:00Z';
const day = (offset: number) =>
  new Date(Date.parse('2026-12-08T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(backends())('targeting through the index equals a scan of the store on %s', (backend) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    ctx = await createTestContext(backend);
  });
  afterAll(async () => ctx.dispose());

  it('on random areas and trips, before and after trips are added, people erased, contacts unverified and people stopping or resuming all messages', async () => {
    const geo = loadGeography();
    const world = areaWith(CODES).chain((a) =>
      fc.record({
        a: fc.constant(a),
        trips: trips(validateArea(a, geo), 40, CODES),
        later: trips(validateArea(a, geo), 8, CODES),
        people: fc.integer({ min: 1, max: 40 }),
        include: fc.boolean(),
        erase: fc.nat(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const db = ctx.store.db;
        await db.deleteFrom('enrollment_trips').execute();
        await db.deleteFrom('enrollment_contacts').execute();
        await db.deleteFrom('enrollments').execute();
        const ids: string[] = [];
        for (let i = 0; i < w.people; i++)
          ids.push(await addPerson(db, { phones: i % 3, webhook: i % 4 === 0, stopped: i % 5 === 2 }));
        const add = (t: RandomTrip, person: string) =>
          addTrip(db, person, {
            country: t.country,
            region: t.region,
            lat: Number.isNaN(t.lat) ? null : t.lat,
            lon: Number.isNaN(t.lon) ? null : t.lon,
            placeId: t.precision === 1 ? 1 : null,
            arrival: day(t.from),
            departure: t.to === null ? null : day(t.to),
          });
        for (const [i, t] of w.trips.entries()) await add(t, ids[i % ids.length] as string);
        const q: TargetQuery = {
          area: w.a,
          effective: EFFECTIVE,
          expires: '2026-12-09T06:00:00Z',
          includeUnknownLocation: w.include,
        };
        const same = async () => {
          expect(await alertRecipients(ctx, q)).toEqual(await alertRecipientsByScan(ctx, q));
          expect(await alertReach(ctx, q)).toEqual(await alertReachByScan(ctx, q));
        };
        await same();
        // Committed before the next call, so the next call must see them.
        for (const [i, t] of w.later.entries()) {
          await add(t, i % 2 === 0 ? (ids[0] as string) : await addPerson(db));
        }
        const gone = ids[w.erase % ids.length] as string;
        await db.deleteFrom('enrollment_trips').where('person_id', '=', gone).execute();
        await db.deleteFrom('enrollment_contacts').where('person_id', '=', gone).execute();
        await db.deleteFrom('enrollments').where('id', '=', gone).execute();
        const unverified = ids[(w.erase + 1) % ids.length] as string;
        await db
          .updateTable('enrollment_contacts')
          .set({ verified_at: null })
          .where('person_id', '=', unverified)
          .execute();
        // One more person stops all messages; one who had stopped resumes.
        const setStopped = (id: string, at: string | null) =>
          db.updateTable('enrollments').set({ unsubscribed_at: at }).where('id', '=', id).execute();
        await setStopped(ids[(w.erase + 3) % ids.length] as string, EFFECTIVE);
        if (ids.length > 2) await setStopped(ids[2] as string, null);
        await same();
        const stopped = new Set(
          (
            await db.selectFrom('enrollments').select('id').where('unsubscribed_at', 'is not', null).execute()
          ).map((r) => r.id),
        );
        const list = await alertRecipients(ctx, q);
        expect(list.some((r) => r.enrollmentId === gone)).toBe(false);
        // The send list (store/alerts/audience.ts) leaves stopped people out: so must reach.
        expect(list.filter((r) => stopped.has(r.enrollmentId))).toEqual([]);
      }),
      { numRuns: 15 },
    );
  }, 300_000);
});
