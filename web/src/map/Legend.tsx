import { useState } from 'react';
import { LEVEL_COLORS, LEVEL_LABELS, LEVELS, POSTURE_COLORS, POSTURE_LABELS, POSTURES } from '../domain.ts';
import { ADVISORY_OPACITY } from './style.ts';

const GLYPH: Record<string, string> = {
  normal: '',
  authorized_departure: 'A',
  ordered_departure: 'O',
  suspended: 'S',
};

function alpha(hex: string, a: number): string {
  const n = Math.round(a * 255)
    .toString(16)
    .padStart(2, '0');
  return `${hex}${n}`;
}

export function Legend() {
  const [open, setOpen] = useState(true);
  return (
    <section className="map-legend" aria-label="Map legend" data-testid="map-legend">
      <button type="button" className="map-legend-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        Legend <span aria-hidden="true">{open ? '▾' : '▸'}</span>
      </button>
      {open ? (
        <div className="map-legend-body">
          <h3>Travel advisory</h3>
          <ul>
            {LEVELS.map((l) => (
              <li key={l}>
                <span
                  className="swatch"
                  style={{ background: alpha(LEVEL_COLORS[l], ADVISORY_OPACITY + 0.2) }}
                />
                <strong>{l}</strong> {LEVEL_LABELS[l]}
              </li>
            ))}
            <li>
              <span className="swatch swatch-hatch" /> Regional level differs
            </li>
          </ul>
          <h3>Post posture</h3>
          <ul>
            {POSTURES.map((p) => (
              <li key={p}>
                <span className="legend-marker" style={{ background: POSTURE_COLORS[p] }}>
                  {GLYPH[p]}
                </span>
                {POSTURE_LABELS[p]}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
