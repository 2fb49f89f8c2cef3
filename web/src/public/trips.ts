import type { Trip, TripInput } from '../enrollments/client.ts';
import type { Place } from '../geo/client.ts';
import type { FieldErrors } from './fieldErrors.ts';

// A trip as the form edits it, and its conversion to the API's TripInput: exactly one of a
// gazetteer place, a map point or the whole country; no departure for one-way trips and residents.

export type LocationMode = 'place' | 'point' | 'country';

export interface TripDraft {
  /** Stable React key; not sent. */
  key: string;
  country: string;
  mode: LocationMode;
  place: Place | null;
  point: { lat: number; lon: number } | null;
  arrival: string;
  /** One-way trip or residence: no departure date. */
  openEnded: boolean;
  departure: string;
}

let seq = 0;
const nextKey = () => `trip-${++seq}`;

export function newTrip(country = ''): TripDraft {
  return {
    key: nextKey(),
    country,
    mode: 'place',
    place: null,
    point: null,
    arrival: '',
    openEnded: false,
    departure: '',
  };
}

/** A stored trip back into the form. The API does not return a place's name, only where it is. */
export function tripFromSaved(t: Trip): TripDraft {
  const base = {
    ...newTrip(t.country),
    arrival: t.arrival,
    openEnded: !t.departure,
    departure: t.departure ?? '',
  };
  if (t.placeId !== null && t.point) {
    const place: Place = {
      id: t.placeId,
      name: t.placeName ?? '',
      country: t.country,
      region: t.region,
      lat: t.point.lat,
      lon: t.point.lon,
      population: 0,
    };
    return { ...base, mode: 'place', place };
  }
  if (t.point) return { ...base, mode: 'point', point: t.point };
  return { ...base, mode: 'country' };
}

/** What the browser can check before sending (the server checks all of it again, and more). */
export function tripProblems(trips: readonly TripDraft[]): FieldErrors {
  const out: FieldErrors = {};
  trips.forEach((t, i) => {
    if (!t.country) out[`trips/${i}/country`] = 'Choose a country.';
    else if (t.mode === 'place' && !t.place)
      out[`trips/${i}/location`] =
        'Choose a town or city from the list, or switch to the map or the whole country.';
    else if (t.mode === 'point' && !t.point) out[`trips/${i}/location`] = 'Click the map where you will be.';
    if (!t.arrival) out[`trips/${i}/arrival`] = 'Enter the date you arrive (or today, if you live there).';
    if (!t.openEnded) {
      if (!t.departure)
        out[`trips/${i}/departure`] = 'Enter the date you leave, or tick “no departure date”.';
      else if (t.arrival && t.departure < t.arrival)
        out[`trips/${i}/departure`] = 'The departure is before the arrival.';
    }
  });
  return out;
}

export function tripInput(t: TripDraft): TripInput {
  const where =
    t.mode === 'place' && t.place
      ? { place: { placeId: t.place.id } }
      : t.mode === 'point' && t.point
        ? { point: t.point }
        : { wholeCountry: true };
  return {
    country: t.country,
    ...where,
    arrival: t.arrival,
    ...(t.openEnded || !t.departure ? {} : { departure: t.departure }),
  };
}

/** Field keys of the trips in form order (for the error summary). */
export function tripKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    ['country', 'location', 'arrival', 'departure'].map((f) => `trips/${i}/${f}`),
  ).flat();
}

/** "Trip 2, arrival" for an error summary line. */
export function tripLabel(key: string): string | null {
  const m = /^trips\/(\d+)\/(\w+)$/.exec(key);
  if (!m) return key === 'trips' ? 'Trips' : null;
  const names: Record<string, string> = {
    country: 'country',
    location: 'where',
    arrival: 'arrival',
    departure: 'departure',
  };
  return `Trip ${Number(m[1]) + 1}, ${names[m[2] ?? ''] ?? m[2]}`;
}

/** The error keys of the trips that changed between two versions of the list. */
export function editedTrips(
  before: readonly TripDraft[],
  after: readonly TripDraft[],
): (key: string) => boolean {
  // Fewer trips: messages are indexed by position and would land on the wrong trip.
  if (after.length < before.length) return (key) => key.startsWith('trips/');
  const changed = new Set(after.flatMap((t, i) => (t !== before[i] ? [`trips/${i}/`] : [])));
  return (key) => [...changed].some((prefix) => key.startsWith(prefix));
}
