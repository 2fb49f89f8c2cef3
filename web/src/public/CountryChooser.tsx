import { useId } from 'react';
import type { CountryInfo } from '../geo/reference.ts';
import { describedBy, FieldError } from '../ui/Field.tsx';

interface Props {
  /** Element id of the "add a country" select (the error summary points at it). */
  id: string;
  countries: CountryInfo[];
  value: string[];
  onChange: (codes: string[]) => void;
  error?: string;
  max?: number;
}

/** Several countries: add from a list, remove with a button each. Works with a keyboard and a thumb. */
export function CountryChooser({ id, countries, value, onChange, error, max = 60 }: Props) {
  const listId = useId();
  const name = (code: string) => countries.find((c) => c.code === code)?.name ?? code;
  const left = countries.filter((c) => !value.includes(c.code));
  return (
    <div className="field country-chooser" data-testid="country-chooser">
      <label htmlFor={id}>Countries</label>
      <p className="field-hint" id={`${id}-hint`}>
        Choose each country whose travel advice you want to follow.
      </p>
      {value.length > 0 ? (
        <ul className="chosen-list" id={listId} aria-label="Chosen countries">
          {value.map((code) => (
            <li key={code} className="chosen" data-code={code}>
              <span>{name(code)}</span>
              <button
                type="button"
                className="chosen-remove"
                onClick={() => onChange(value.filter((c) => c !== code))}
                aria-label={`Remove ${name(code)}`}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <select
        id={id}
        value=""
        disabled={value.length >= max}
        onChange={(e) => {
          if (e.target.value) onChange([...value, e.target.value]);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, true)}
        data-testid="country-add"
      >
        <option value="">{countries.length ? 'Add a country…' : 'Loading countries…'}</option>
        {left.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
      <FieldError id={id} error={error} />
    </div>
  );
}
