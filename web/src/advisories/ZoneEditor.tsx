import { useId, useState } from 'react';
import {
  INDICATOR_CODES,
  INDICATORS,
  LEVEL_LABELS,
  LEVELS,
  type Level,
} from '../../../src/domain/advisories/levels.ts';
import type { RegionCollection } from '../geo/client.ts';
import { SelectField, TextAreaField, TextField } from '../ui/Field.tsx';
import type { ZoneDraft } from './client.ts';

interface Props {
  zone: ZoneDraft;
  index: number;
  regions: RegionCollection | null;
  /** Regions already used by other zones: a region can carry only one regional level. */
  takenElsewhere: Set<string>;
  disabled: boolean;
  onChange: (zone: ZoneDraft) => void;
  onRemove: () => void;
}

export function ZoneEditor({ zone, index, regions, takenElsewhere, disabled, onChange, onRemove }: Props) {
  const id = useId();
  const [filter, setFilter] = useState('');
  const selected = new Set(zone.regions);
  const q = filter.trim().toLowerCase();
  const features = (regions?.features ?? []).filter(
    (f) => !q || f.properties.name.toLowerCase().includes(q) || f.properties.code.toLowerCase().includes(q),
  );

  const toggleRegion = (code: string, on: boolean) => {
    const next = on ? [...zone.regions, code] : zone.regions.filter((r) => r !== code);
    onChange({ ...zone, regions: next });
  };
  const toggleIndicator = (code: string, on: boolean) => {
    const next = on ? [...zone.indicators, code] : zone.indicators.filter((c) => c !== code);
    onChange({ ...zone, indicators: next });
  };

  return (
    <fieldset className="zone-editor" data-testid={`zone-${index}`} disabled={disabled}>
      <legend>Zone {index + 1}</legend>
      <div className="form-row">
        <TextField
          id={`${id}-name`}
          label="Name"
          type="text"
          value={zone.name}
          onChange={(v) => onChange({ ...zone, name: v })}
          placeholder="e.g. Basrah governorate"
          data-testid="zone-name"
        />
        <SelectField
          id={`${id}-level`}
          label="Level"
          value={String(zone.level)}
          onChange={(v) => onChange({ ...zone, level: Number(v) as Level })}
          data-testid="zone-level"
        >
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              Level {l}: {LEVEL_LABELS[l]}
            </option>
          ))}
        </SelectField>
      </div>

      <fieldset className="fieldset fieldset-plain">
        <legend>Indicators</legend>
        <div className="indicator-picker indicator-picker-compact">
          {INDICATOR_CODES.map((code) => (
            <label key={code} className="checkbox" title={INDICATORS[code]}>
              <input
                type="checkbox"
                checked={zone.indicators.includes(code)}
                onChange={(e) => toggleIndicator(code, e.target.checked)}
              />
              <span className="indicator-code">{code}</span> {INDICATORS[code]}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="field">
        <span className="field-label" id={`${id}-regions-label`}>
          Regions ({zone.regions.length} selected)
        </span>
        <input
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Filter regions"
          aria-label="Filter regions"
        />
        <ul className="region-picker" aria-labelledby={`${id}-regions-label`} data-testid="zone-regions">
          {regions === null ? <li className="muted">Loading regions…</li> : null}
          {features.map((f) => {
            const code = f.properties.code;
            const taken = takenElsewhere.has(code) && !selected.has(code);
            return (
              <li key={code}>
                <label className={`checkbox${taken ? ' checkbox-taken' : ''}`}>
                  <input
                    type="checkbox"
                    checked={selected.has(code)}
                    onChange={(e) => toggleRegion(code, e.target.checked)}
                    data-region={code}
                  />
                  {f.properties.name} <span className="muted small">{code}</span>
                  {taken ? <span className="muted small"> (in another zone)</span> : null}
                </label>
              </li>
            );
          })}
        </ul>
      </div>

      <TextAreaField
        id={`${id}-text`}
        label="What travellers should know about this zone"
        rows={3}
        value={zone.text}
        onChange={(v) => onChange({ ...zone, text: v })}
        data-testid="zone-text"
      />
      <div className="form-actions">
        <button type="button" className="button button-small button-danger-quiet" onClick={onRemove}>
          Remove zone
        </button>
      </div>
    </fieldset>
  );
}
