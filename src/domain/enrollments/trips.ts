import { WardenError } from '../errors.ts';
import { loadCities } from '../geo/gazetteer.ts';
import type { Geography } from '../geo/index.ts';

/** Where a traveller said they will be: one of a gazetteer place, a point, or the whole country. */
export interface TripInput {
  readonly country: string;
  readonly place?: { readonly placeId: number };
  readonly point?: { readonly lat: number; readonly lon: number };
  readonly wholeCountry?: boolean;
  /** YYYY-MM-DD. */
  readonly arrival: string;
  /** YYYY-MM-DD; absent = one-way or resident. */
  readonly departure?: string | null;
}

/** A trip resolved offline to plain targeting columns. */
export interface Trip {
  readonly country: string;
  readonly region: string | null;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly placeId: number | null;
  readonly arrival: string;
  readonly departure: string | null;
}

const DAY = 86_400_000;
const PAST_DAYS = 366;
const FUTURE_DAYS = 2 * 366;
/** Residents may give a departure far ahead, but not a meaningless one. */
const MAX_STAY_DAYS = 10 * 366;

export interface PlaceRef {
  readonly name: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
}

let placesById: Map<number, PlaceRef> | undefined;

/** A gazetteer place by its GeoNames id (loads the gazetteer, ~130 MB, on first use). */
export function placeById(id: number): PlaceRef | undefined {
  placesById ??= new Map(
    loadCities().map((c) => [
      c.cityId,
      { name: c.name, country: c.country, lon: c.loc.coordinates[0], lat: c.loc.coordinates[1] },
    ]),
  );
  return placesById.get(id);
}

/** The gazetteer name of a place a traveller chose, so views can show it without a lookup route. */
export function placeName(id: number | null): string | null {
  return id === null ? null : (placeById(id)?.name ?? null);
}

const dayOf = (d: Date): string => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number): string => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY));

function fail(
  code: ConstructorParameters<typeof WardenError>[0],
  message: string,
  field: string,
  extra = {},
) {
  return new WardenError(code, message, { field, ...extra });
}

// The bounds of one day, kept: a bulk import checks a million trips against the same day.
let bounds: { day: number; now: string; earliest: string; latest: string } | undefined;

// The latest departure for each arrival day, kept: working it out (Date.parse, a Date,
// toISOString) cost ~0.8 us a trip, and an import's arrivals span a few hundred days.
const lastDepartures = new Map<string, string>();

function lastDeparture(arrival: string): string {
  let last = lastDepartures.get(arrival);
  if (last === undefined) {
    last = addDays(arrival, MAX_STAY_DAYS);
    if (lastDepartures.size >= 10_000) lastDepartures.clear();
    lastDepartures.set(arrival, last);
  }
  return last;
}

/** Checks the dates of trip `i` against today (UTC): not long past, not far ahead, in order. */
export function checkDates(t: TripInput, i: number, today: Date): void {
  const day = Math.floor(today.getTime() / DAY);
  if (bounds?.day !== day) {
    const d = dayOf(today);
    bounds = { day, now: d, earliest: addDays(d, -PAST_DAYS), latest: addDays(d, FUTURE_DAYS) };
  }
  const { now, earliest, latest } = bounds;
  if (t.arrival < earliest || t.arrival > latest) {
    throw fail(
      'date_out_of_range',
      `The arrival must lie between ${earliest} and ${latest}.`,
      `trips/${i}/arrival`,
      {
        earliest,
        latest,
      },
    );
  }
  if (t.departure == null) return;
  if (t.departure < t.arrival) {
    throw fail('invalid_dates', 'The departure is before the arrival.', `trips/${i}/departure`);
  }
  const last = lastDeparture(t.arrival);
  if (t.departure < now || t.departure > last) {
    throw fail(
      'date_out_of_range',
      `The departure must lie between ${now} and ${last}; leave it out for a one-way trip or residence.`,
      `trips/${i}/departure`,
      { earliest: now, latest: last },
    );
  }
}

/**
 * Resolves trip `i` to its country, first-level region and point, or throws a precise code.
 * `places` looks places up (an import's worker threads get them from the main thread rather than
 * each loading the gazetteer).
 */
export function resolveTrip(
  geo: Geography,
  t: TripInput,
  i: number,
  today: Date,
  places: (id: number) => PlaceRef | undefined = placeById,
): Trip {
  const given = (t.place !== undefined ? 1 : 0) + (t.point !== undefined ? 1 : 0) + (t.wholeCountry ? 1 : 0);
  if (given > 1 || t.wholeCountry === false) {
    throw fail('invalid_trip_location', 'Give one of place, point or wholeCountry: true.', `trips/${i}`);
  }
  const country = geo.country(t.country);
  if (!country)
    throw fail('unknown_country', `Unknown country "${t.country}".`, `trips/${i}/country`, {
      country: t.country,
    });
  checkDates(t, i, today);
  // Literals, not `{ ...base, region, ... }`: on Node 20 that spread cost ~6 us a trip, most of
  // resolving one in a bulk import.
  const code = country.code;
  const departure = t.departure ?? null;

  if (t.place) {
    const place = places(t.place.placeId);
    if (!place)
      throw fail('unknown_place', 'Unknown place.', `trips/${i}/place/placeId`, { placeId: t.place.placeId });
    if (place.country !== code) {
      throw fail('place_outside_country', `The place is not in ${code}.`, `trips/${i}/place/placeId`);
    }
    const region = geo.regionAt(place.lat, place.lon);
    return trip(
      code,
      t.arrival,
      departure,
      region && region.country === code ? region.code : null,
      place.lat,
      place.lon,
      t.place.placeId,
    );
  }
  if (t.point) {
    const region = geo.regionAt(t.point.lat, t.point.lon);
    if (!region || region.country !== code) {
      throw fail('point_outside_country', `The point is not in ${code}.`, `trips/${i}/point`);
    }
    return trip(code, t.arrival, departure, region.code, t.point.lat, t.point.lon, null);
  }
  return trip(code, t.arrival, departure, null, null, null, null);
}

const trip = (
  country: string,
  arrival: string,
  departure: string | null,
  region: string | null,
  lat: number | null,
  lon: number | null,
  placeId: number | null,
): Trip => ({ country, arrival, departure, region, lat, lon, placeId });
