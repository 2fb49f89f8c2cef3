import { useEffect, useState } from 'react';
import { LEVEL_COLORS, LEVEL_LABELS, LEVELS } from '../../../src/domain/advisories/levels.ts';
import { POSTURE_LABELS } from '../../../src/domain/posts/labels.ts';
import { POSTURE_STATES } from '../../../src/domain/posts/types.ts';
import { INCIDENT_TYPES, TYPE_COLORS, typeLabel } from '../incidents/taxonomy.ts';
import { POSTURE_COLORS } from '../posts/labels.ts';
import { EnrollmentLegend } from './EnrollmentControls.tsx';
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

export function Legend({
  incidents = false,
  enrollment = false,
  focus = null,
}: {
  incidents?: boolean;
  enrollment?: boolean;
  /** What the map has zoomed to (a country, a post): the legend folds away so it never covers it. */
  focus?: string | null;
}) {
  const [open, setOpen] = useState(true);
  useEffect(() => {
    if (focus) setOpen(false);
  }, [focus]);
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
            {POSTURE_STATES.map((p) => (
              <li key={p}>
                <span className="legend-marker" style={{ background: POSTURE_COLORS[p] }}>
                  {GLYPH[p]}
                </span>
                {POSTURE_LABELS[p]}
              </li>
            ))}
            <li>
              <span className="legend-marker legend-threat" style={{ background: POSTURE_COLORS.normal }} />
              Rising threat near the post
            </li>
          </ul>
          {incidents ? (
            <>
              <h3>Incidents</h3>
              <ul data-testid="incident-legend">
                {INCIDENT_TYPES.map((t) => (
                  <li key={t}>
                    <span className="legend-dot" style={{ background: TYPE_COLORS[t] }} />
                    {typeLabel(t)}
                  </li>
                ))}
                <li>
                  <span className="legend-cluster" />
                  Several incidents: ring by type, count
                </li>
              </ul>
            </>
          ) : null}
          {enrollment ? <EnrollmentLegend /> : null}
        </div>
      ) : null}
    </section>
  );
}
