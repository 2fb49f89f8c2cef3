import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateArea } from '../../src/domain/alerts/area.ts';
import { prepareArea, tripMatches } from '../../src/domain/alerts/targeting/area.ts';
import { OPEN_END } from '../../src/domain/alerts/targeting/columns.ts';
import {
  type PersonChange,
  TargetingIndexBuilder,
  type TripInput,
} from '../../src/domain/alerts/targeting/index.ts';
import { channelFlags } from '../../src/domain/alerts/targeting/persons.ts';
import { area, COUNTRIES, geoRef, type RandomTrip, trips } from '../support/targeting-arbitraries.ts';

const FIRST = 20_000;
const LAST = FIRST + 1;
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const input = (t: RandomTrip): TripInput => ({
  precision: t.precision,
  country: t.country,
  region: t.region,
  lat: t.lat,
  lon: t.lon,
  from: FIRST + t.from,
  to: t.to === null ? OPEN_END : FIRST + t.to,
});

describe('the targeting index answers what a brute-force scan answers', () => {
  it('on random areas (polygons across the antimeridian, circles, regions, countries) and trips', () => {
    const world = area.chain((a) =>
      fc.record({
        a: fc.constant(a),
        trips: trips(validateArea(a, geoRef), 150),
        people: fc.integer({ min: 1, max: 300 }),
        later: trips(validateArea(a, geoRef), 20),
        removed: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }),
        include: fc.boolean(),
        touched: fc.subarray(COUNTRIES),
        compact: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(world, (w) => {
        const valid = validateArea(w.a, geoRef);
        const prepared = prepareArea(valid, {
          coveredCountries: [],
          touchedCountries: w.touched,
          includeUnknownLocation: w.include,
        });
        // People 0..n-1 share the first trips; later trips go to new people and to person 0;
        // `removed` people lose everything (erased or unverified).
        const state = new Map<string, RandomTrip[]>();
        const builder = new TargetingIndexBuilder();
        const slots = new Map<string, number>();
        w.trips.forEach((t, i) => {
          const id = uuid(i % w.people);
          if (!slots.has(id)) slots.set(id, builder.addPerson(id, channelFlags(1, 0, 0)));
          builder.addTrip(slots.get(id) as number, input(t));
          state.set(id, [...(state.get(id) ?? []), t]);
        });
        const index = builder.build();
        const changes: PersonChange[] = [];
        const laterByPerson = new Map<string, RandomTrip[]>();
        w.later.forEach((t, i) => {
          const id = i % 3 === 0 ? uuid(0) : i % 3 === 1 ? uuid(1000 + i) : `not-a-uuid-${i}`;
          laterByPerson.set(id, [...(laterByPerson.get(id) ?? []), t]);
        });
        for (const [id, ts] of laterByPerson) {
          const all = [...(state.get(id) ?? []), ...ts];
          state.set(id, all);
          changes.push({ id, flags: channelFlags(0, 1, 1), trips: all.map(input) });
        }
        for (const r of w.removed) {
          state.delete(uuid(r));
          changes.push({ id: uuid(r), flags: null, trips: [] });
        }
        index.apply(changes);
        if (w.compact) index.compact();

        const expected = new Map<string, number>();
        for (const [id, ts] of state) {
          for (const t of ts) {
            const from = FIRST + t.from;
            const to = t.to === null ? OPEN_END : FIRST + t.to;
            if (from > LAST || to < FIRST || !tripMatches(prepared, t)) continue;
            const had = expected.get(id);
            if (had === undefined || t.precision < had) expected.set(id, t.precision);
          }
        }
        const got = index.recipients(prepared, FIRST, LAST);
        const gotMap = new Map(got.ids.map((id, k) => [id, got.precision[k] as number]));
        expect(gotMap).toEqual(expected);
        expect(got.ids).toEqual([...got.ids].sort());
        const reach = index.reach(prepared, FIRST, LAST);
        expect(reach.exact + reach.approximate + reach.countryOnly).toBe(expected.size);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the targeting index on fixed cases', () => {
  const build = (points: Array<[number, number]>) => {
    const b = new TargetingIndexBuilder();
    points.forEach(([lat, lon], i) => {
      b.addTrip(b.addPerson(uuid(i), channelFlags(1, 0, 0)), {
        precision: 0,
        country: 'AA',
        region: null,
        lat,
        lon,
        from: FIRST,
        to: OPEN_END,
      });
    });
    return b.build();
  };
  const prepared = (polygon: number[][]) =>
    prepareArea(
      validateArea(
        { countries: [], regions: [], polygons: [{ type: 'Polygon', coordinates: [polygon] }], circles: [] },
        geoRef,
      ),
      { coveredCountries: [], touchedCountries: [], includeUnknownLocation: false },
    );

  it('leaves out the notch of a U and takes both arms', () => {
    const u = [
      [0, 0],
      [3, 0],
      [3, 3],
      [2, 3],
      [2, 1],
      [1, 1],
      [1, 3],
      [0, 3],
      [0, 0],
    ];
    const index = build([
      [2, 0.5],
      [2, 1.5],
      [2, 2.5],
      [0.5, 1.5],
    ]);
    expect(index.recipients(prepared(u), FIRST, LAST).ids).toEqual([uuid(0), uuid(2), uuid(3)]);
  });

  it('takes points on both sides of the antimeridian for a polygon drawn across it', () => {
    const across = [
      [179, -1],
      [181, -1],
      [181, 1],
      [179, 1],
      [179, -1],
    ];
    const index = build([
      [0, 179.5],
      [0, -179.5],
      [0, 178.5],
      [0, -178.5],
    ]);
    expect(index.recipients(prepared(across), FIRST, LAST).ids).toEqual([uuid(0), uuid(1)]);
  });
});
