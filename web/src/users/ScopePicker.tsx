import { useEffect, useState } from 'react';
import { type CountryInfo, loadCountries } from '../geo/reference.ts';
import { fetchPosts, type Post } from '../posts/client.ts';
import { Field } from '../ui/Field.tsx';

/** Countries and posts to choose from, and a scope entry in words ("Basrah Consulate (Iraq)"). */
export function useScopeNames() {
  const [countries, setCountries] = useState<CountryInfo[]>([]);
  const [posts, setPosts] = useState<Post[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    loadCountries().then(setCountries, () => undefined);
    fetchPosts(controller.signal).then(setPosts, () => undefined);
    return () => controller.abort();
  }, []);
  const countryName = new Map(countries.map((c) => [c.code, c.name]));
  const postName = new Map(
    posts.map((p) => [p.id, `${p.name} (${countryName.get(p.country) ?? p.country})`]),
  );
  const label = (entry: string) =>
    entry.startsWith('post:')
      ? (postName.get(entry.slice(5)) ?? entry)
      : `${countryName.get(entry.slice(8)) ?? entry.slice(8)} (whole country)`;
  return { countries, posts, postName, label };
}

/**
 * Where a user may act: posts and countries chosen from lists (never typed as "post:<id>"), shown
 * as named chips. The value is the API's scope entries.
 */
export function ScopePicker({
  value,
  onChange,
  required,
  idPrefix,
}: {
  value: string[];
  onChange: (scope: string[]) => void;
  required: boolean;
  idPrefix: string;
}) {
  const { countries, posts, postName, label } = useScopeNames();
  const add = (entry: string) => {
    if (entry && !value.includes(entry)) onChange([...value, entry]);
  };
  return (
    <Field
      id={`${idPrefix}-scope`}
      label="Scope"
      hint={
        required
          ? 'An officer acts only here: choose at least one post or country.'
          : 'Optional for this role.'
      }
      error={required && value.length === 0 ? 'Required for an officer.' : undefined}
    >
      {(control) => (
        <div className="scope-picker" data-testid={`${idPrefix}-scope`}>
          <ul className="chips" aria-label="Chosen scope">
            {value.map((entry) => (
              <li key={entry} className="chip">
                {label(entry)}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove ${label(entry)}`}
                  onClick={() => onChange(value.filter((e) => e !== entry))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <div className="scope-picker-selects">
            <select
              {...control}
              value=""
              onChange={(e) => add(e.target.value)}
              aria-label="Add a post"
              data-testid={`${idPrefix}-scope-post`}
            >
              <option value="">Add a post…</option>
              {[...posts]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((p) => (
                  <option key={p.id} value={`post:${p.id}`}>
                    {postName.get(p.id)}
                  </option>
                ))}
            </select>
            <select
              value=""
              onChange={(e) => add(e.target.value)}
              aria-label="Add a country"
              data-testid={`${idPrefix}-scope-country`}
            >
              <option value="">Add a whole country…</option>
              {countries.map((c) => (
                <option key={c.code} value={`country:${c.code}`}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
    </Field>
  );
}
