import { type KeyboardEvent, useEffect, useId, useState } from 'react';
import { type Place, searchPlaces } from '../geo/client.ts';
import { describedBy } from '../ui/Field.tsx';

// A town or city from the offline gazetteer, as a combobox (ARIA 1.2 pattern): type, then pick
// with the mouse, a finger, or the arrow keys and Enter.

interface Props {
  /** The input's id (the label and the error summary point at it). */
  id: string;
  country: string | null;
  value: Place | null;
  onChange: (place: Place | null) => void;
  /** Region code -> name, to tell apart places of the same name. */
  regionNames: ReadonlyMap<string, string>;
  error?: string;
  label: string;
}

const DEBOUNCE_MS = 250;

export function PlaceSearch({ id, country, value, onChange, regionNames, error, label }: Props) {
  const listId = useId();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Place[] | null>(null);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const text = q.trim();
    if (text.length < 2 || value) {
      setResults(null);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      searchPlaces(text, country, controller.signal).then(
        (places) => {
          setResults(places);
          setActive(places.length > 0 ? 0 : -1);
          setOpen(true);
          setProblem(null);
        },
        (err: unknown) => {
          if (controller.signal.aborted) return;
          setProblem(err instanceof Error ? err.message : String(err));
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [q, country, value]);

  const describe = (p: Place) => {
    const region = p.region ? (regionNames.get(p.region) ?? p.region) : null;
    return [region, p.population > 0 ? `pop. ${p.population.toLocaleString()}` : null]
      .filter(Boolean)
      .join(' · ');
  };

  if (value) {
    return (
      <div className="place-chosen" data-testid="place-chosen">
        <p className="place-chosen-text">
          <strong>{value.name || 'Your saved place'}</strong>{' '}
          <span className="muted small">{describe(value)}</span>
        </p>
        <button
          type="button"
          className="button button-small"
          id={id}
          onClick={() => {
            onChange(null);
            setQ('');
          }}
        >
          Change place
        </button>
      </div>
    );
  }

  const choose = (p: Place) => {
    onChange(p);
    setOpen(false);
    setResults(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const list = results ?? [];
    if (e.key === 'ArrowDown' && list.length > 0) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % list.length);
    } else if (e.key === 'ArrowUp' && list.length > 0) {
      e.preventDefault();
      setActive((i) => (i <= 0 ? list.length - 1 : i - 1));
    } else if (e.key === 'Enter') {
      // Enter picks the highlighted place rather than submitting the whole form.
      const pick = open ? list[active] : undefined;
      if (pick) {
        e.preventDefault();
        choose(pick);
      } else if (q.trim()) e.preventDefault();
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const expanded = open && results !== null;
  return (
    <div className="place-search">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <p className="field-hint" id={`${id}-hint`}>
        Type at least two letters, then choose from the list.
      </p>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, true)}
        placeholder="e.g. Basrah"
        className="place-input"
        data-testid="place-input"
      />
      {/* The ARIA 1.2 combobox: focus stays in the input, which points at the active option. */}
      <div
        id={listId}
        role="listbox"
        className="place-options"
        hidden={!expanded || !results?.length}
        aria-label={label}
      >
        {(results ?? []).map((p, i) => (
          // biome-ignore lint/a11y/useFocusableInteractive lint/a11y/useKeyWithClickEvents: options of a combobox are reached with the arrow keys from its input (aria-activedescendant), never focused.
          <div
            key={p.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className="place-option"
            // Keep focus in the input; the click then chooses.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(p)}
            data-testid="place-option"
          >
            <span className="place-option-name">{p.name}</span>
            <span className="place-option-meta">{describe(p)}</span>
          </div>
        ))}
      </div>
      {expanded && results?.length === 0 ? (
        <p className="place-none" role="status">
          No town or city of that name{country ? ' in this country' : ''}. Try another spelling, or choose “A
          point on the map”.
        </p>
      ) : null}
      {problem ? <p className="field-error">Search failed: {problem}</p> : null}
    </div>
  );
}
