import { type FormEvent, useId, useMemo, useState } from 'react';
import type { CountryFeature } from '../geo/client.ts';

interface Props {
  countries: CountryFeature[];
  onSelect: (code: string) => void;
}

function findMatch(countries: CountryFeature[], query: string): CountryFeature | undefined {
  const q = query.trim().toLowerCase();
  if (!q) return undefined;
  return (
    countries.find((c) => c.properties.name.toLowerCase() === q) ??
    countries.find((c) => c.properties.code.toLowerCase() === q || c.properties.alpha3.toLowerCase() === q) ??
    countries.find((c) => c.properties.name.toLowerCase().startsWith(q))
  );
}

/** The keyboard (and screen reader) route to selecting a country, which the canvas cannot offer. */
export function CountrySearch({ countries, onSelect }: Props) {
  const [query, setQuery] = useState('');
  const [miss, setMiss] = useState<string | null>(null);
  const inputId = useId();
  const listId = useId();
  const errorId = useId();
  const names = useMemo(
    () => [...new Set(countries.map((c) => c.properties.name))].sort((a, b) => a.localeCompare(b)),
    [countries],
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const match = findMatch(countries, query);
    if (!match) {
      setMiss(query.trim() ? `No country matches “${query.trim()}”.` : 'Type a country name or ISO code.');
      return;
    }
    setMiss(null);
    setQuery(match.properties.name);
    onSelect(match.properties.code);
  };

  return (
    <search>
      <form className="country-search" onSubmit={submit} data-testid="country-search">
        <label htmlFor={inputId}>Find a country</label>
        <div className="country-search-row">
          <input
            id={inputId}
            list={listId}
            type="search"
            autoComplete="off"
            placeholder="Name or ISO code"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setMiss(null);
            }}
            aria-invalid={miss ? true : undefined}
            aria-describedby={miss ? errorId : undefined}
          />
          <button type="submit" className="button">
            Show
          </button>
        </div>
        <datalist id={listId}>
          {names.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        {miss ? (
          <p id={errorId} className="field-error" role="alert">
            {miss}
          </p>
        ) : null}
      </form>
    </search>
  );
}
