import { useEffect, useMemo, useState } from 'react';
import type { Static } from 'typebox';
import type { CountryOut } from '../../../src/server/routes/geo/schema.ts';
import { apiJson } from '../app/api.ts';
import { fetchRegions, type RegionCollection } from './client.ts';

// Reference geography never changes while the console runs: fetch each piece once per page load.

export type CountryInfo = Static<typeof CountryOut>;

let countries: Promise<CountryInfo[]> | null = null;
const regions = new Map<string, Promise<RegionCollection>>();

export function loadCountries(): Promise<CountryInfo[]> {
  countries ??= apiJson<{ countries: CountryInfo[] }>('/api/geo/countries').then(
    (body) => [...body.countries].sort((a, b) => a.name.localeCompare(b.name)),
    (err) => {
      countries = null;
      throw err;
    },
  );
  return countries;
}

export function loadRegions(country: string): Promise<RegionCollection> {
  const code = country.toUpperCase();
  let hit = regions.get(code);
  if (!hit) {
    hit = fetchRegions(code).catch((err) => {
      regions.delete(code);
      throw err;
    });
    regions.set(code, hit);
  }
  return hit;
}

/** Country code -> name, empty until loaded (callers fall back to the code). */
export function useCountryNames(): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    loadCountries().then(
      (list) => {
        if (live) setNames(new Map(list.map((c) => [c.code, c.name])));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return names;
}

/** The regions of one country: features sorted by name, plus a code -> name lookup. */
export function useRegions(country: string | null): {
  regions: RegionCollection | null;
  names: Map<string, string>;
  error: unknown;
} {
  const [state, setState] = useState<{
    key: string | null;
    regions: RegionCollection | null;
    error: unknown;
  }>({
    key: null,
    regions: null,
    error: null,
  });
  useEffect(() => {
    if (!country || !/^[A-Za-z]{2}$/.test(country)) {
      setState({ key: null, regions: null, error: null });
      return;
    }
    let live = true;
    loadRegions(country).then(
      (data) => {
        if (!live) return;
        const features = [...data.features].sort((a, b) =>
          a.properties.name.localeCompare(b.properties.name),
        );
        setState({ key: country, regions: { ...data, features }, error: null });
      },
      (error: unknown) => {
        if (live) setState({ key: country, regions: null, error });
      },
    );
    return () => {
      live = false;
    };
  }, [country]);
  const names = useMemo(
    () => new Map((state.regions?.features ?? []).map((f) => [f.properties.code, f.properties.name])),
    [state.regions],
  );
  return { regions: state.regions, names, error: state.error };
}
