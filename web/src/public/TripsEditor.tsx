import { lazy, Suspense, useEffect, useState } from 'react';
import { type CountryInfo, loadCountries, useRegions } from '../geo/reference.ts';
import { FieldError, fieldId } from '../ui/Field.tsx';
import type { FieldErrors } from './fieldErrors.ts';
import { PlaceSearch } from './PlaceSearch.tsx';
import { type LocationMode, newTrip, type TripDraft } from './trips.ts';

// MapLibre is large: load the map only when someone chooses to pick a point on it.
const PointPicker = lazy(() => import('../map/PointPicker.tsx').then((m) => ({ default: m.PointPicker })));

const MODES: ReadonlyArray<[LocationMode, string, string]> = [
  ['place', 'A town or city', 'Search by name'],
  ['point', 'A point on the map', 'For somewhere without a town name'],
  ['country', 'Anywhere in the country', 'Travelling around, or not sure yet'],
];

/** All countries, sorted by name; an empty list until loaded (the select says so). */
export function useCountryList(): { countries: CountryInfo[]; error: unknown } {
  const [state, setState] = useState<{ countries: CountryInfo[]; error: unknown }>({
    countries: [],
    error: null,
  });
  useEffect(() => {
    let live = true;
    loadCountries().then(
      (countries) => live && setState({ countries, error: null }),
      (error: unknown) => live && setState({ countries: [], error }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

interface TripProps {
  trip: TripDraft;
  index: number;
  countries: CountryInfo[];
  errors: FieldErrors;
  onChange: (patch: Partial<TripDraft>) => void;
  onRemove?: () => void;
}

function TripFields({ trip, index, countries, errors, onChange, onRemove }: TripProps) {
  const { names: regionNames } = useRegions(trip.country || null);
  const key = (f: string) => `trips/${index}/${f}`;
  const err = (f: string) => errors[key(f)];
  const countryName = countries.find((c) => c.code === trip.country)?.name;
  const locationId = fieldId(key('location'));
  const bbox = countries.find((c) => c.code === trip.country)?.bbox;
  const centre = bbox ? { lat: (bbox[1] + bbox[3]) / 2, lon: (bbox[0] + bbox[2]) / 2 } : null;

  return (
    <fieldset className="trip" data-testid={`trip-${index}`}>
      <legend className="trip-legend">Trip {index + 1}</legend>
      {onRemove ? (
        <button type="button" className="button button-small button-quiet trip-remove" onClick={onRemove}>
          Remove trip {index + 1}
        </button>
      ) : null}

      <div className="field">
        <label htmlFor={fieldId(key('country'))}>Country</label>
        <select
          id={fieldId(key('country'))}
          value={trip.country}
          onChange={(e) => onChange({ country: e.target.value, place: null, point: null })}
          aria-invalid={err('country') ? true : undefined}
          aria-describedby={err('country') ? `${fieldId(key('country'))}-error` : undefined}
          data-testid="trip-country"
        >
          <option value="">{countries.length ? 'Choose a country…' : 'Loading countries…'}</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        <FieldError id={fieldId(key('country'))} error={err('country')} />
      </div>

      <fieldset
        className="fieldset-plain"
        aria-describedby={err('location') ? `${locationId}-error` : undefined}
      >
        <legend className="field-label">Where{countryName ? ` in ${countryName}` : ''}?</legend>
        <div className="mode-choices">
          {MODES.map(([mode, title, help], i) => (
            <label key={mode} className="choice mode-choice">
              <input
                type="radio"
                name={`${trip.key}-mode`}
                value={mode}
                checked={trip.mode === mode}
                onChange={() => onChange({ mode })}
                // The error summary focuses the first choice when no input of the mode exists.
                id={i === 0 && trip.mode !== 'place' ? locationId : undefined}
                data-testid={`trip-mode-${mode}`}
              />
              <span className="choice-text">
                <span className="choice-title">{title}</span>
                <span className="choice-help">{help}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {trip.mode === 'place' ? (
        <PlaceSearch
          id={locationId}
          label="Town or city"
          country={trip.country || null}
          value={trip.place}
          onChange={(place) => onChange({ place })}
          regionNames={regionNames}
          error={err('location')}
        />
      ) : null}
      {trip.mode === 'point' ? (
        trip.country ? (
          <Suspense fallback={<p className="muted">Loading the map…</p>}>
            <PointPicker
              value={trip.point}
              onChange={(point) => onChange({ point })}
              posts={[]}
              country={trip.country}
              initialCenter={centre}
              invalid={!!err('location')}
              hint="Click the map where you will be; drag the pin to adjust, or type the coordinates."
            />
          </Suspense>
        ) : (
          <p className="muted">Choose the country first.</p>
        )
      ) : null}
      {trip.mode === 'country' ? (
        <p className="muted small">Alerts for anywhere in {countryName ?? 'the country'} will reach you.</p>
      ) : null}
      <FieldError id={locationId} error={err('location')} />

      <div className="form-row trip-dates">
        <div className="field">
          <label htmlFor={fieldId(key('arrival'))}>Arrival</label>
          <input
            id={fieldId(key('arrival'))}
            type="date"
            value={trip.arrival}
            onChange={(e) => onChange({ arrival: e.target.value })}
            aria-invalid={err('arrival') ? true : undefined}
            aria-describedby={err('arrival') ? `${fieldId(key('arrival'))}-error` : undefined}
            data-testid="trip-arrival"
          />
          <FieldError id={fieldId(key('arrival'))} error={err('arrival')} />
        </div>
        <div className="field">
          <label htmlFor={fieldId(key('departure'))}>Departure</label>
          <input
            id={fieldId(key('departure'))}
            type="date"
            value={trip.openEnded ? '' : trip.departure}
            min={trip.arrival || undefined}
            disabled={trip.openEnded}
            onChange={(e) => onChange({ departure: e.target.value })}
            aria-invalid={err('departure') ? true : undefined}
            aria-describedby={err('departure') ? `${fieldId(key('departure'))}-error` : undefined}
            data-testid="trip-departure"
          />
          <FieldError id={fieldId(key('departure'))} error={err('departure')} />
        </div>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={trip.openEnded}
          onChange={(e) => onChange({ openEnded: e.target.checked })}
          data-testid="trip-open-ended"
        />
        One-way, or I live here (no departure date)
      </label>
    </fieldset>
  );
}

interface Props {
  trips: TripDraft[];
  onChange: (trips: TripDraft[]) => void;
  errors: FieldErrors;
  max?: number;
}

/** One or more trips, each with its own country, place and dates. */
export function TripsEditor({ trips, onChange, errors, max = 20 }: Props) {
  const { countries, error } = useCountryList();
  const update = (i: number, patch: Partial<TripDraft>) =>
    onChange(trips.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <div className="trips" data-testid="trips">
      {error ? (
        <p className="field-error" role="alert">
          Could not load the list of countries. Check your connection and reload the page.
        </p>
      ) : null}
      {errors.trips ? <p className="field-error">{errors.trips}</p> : null}
      {trips.map((trip, i) => (
        <TripFields
          key={trip.key}
          trip={trip}
          index={i}
          countries={countries}
          errors={errors}
          onChange={(patch) => update(i, patch)}
          onRemove={trips.length > 1 ? () => onChange(trips.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      {trips.length < max ? (
        <button
          type="button"
          className="button"
          onClick={() => onChange([...trips, newTrip(trips.at(-1)?.country ?? '')])}
          data-testid="add-trip"
        >
          Add another trip
        </button>
      ) : null}
    </div>
  );
}
