import { useId, useMemo } from 'react';
import { BASELINE_WEEKS, RECENT_WEEKS } from '../../../src/domain/incidents/stats.ts';
import { formatCount, formatDate, plural } from '../ui/format.ts';
import { INCIDENT_TYPES, typeColor, typeLabel } from './taxonomy.ts';
import { overall, type Signal, type Trend } from './trendsClient.ts';

// Weekly incident counts as stacked bars (plain SVG), with the rising-threat test in words. The
// last 16 bars are the test's windows: a shaded baseline (12 weeks) and the recent 4 weeks.

/** 0.0003 -> "0.0003", 0.0312 -> "0.031", tiny values -> "< 0.0001". */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p < 0.0001) return '< 0.0001';
  if (p >= 0.995) return '1.0';
  return p < 0.001 ? p.toPrecision(1) : p < 0.01 ? p.toPrecision(2) : p.toFixed(2);
}

export function formatRate(ratio: number | null): string {
  if (ratio === null) return 'no incidents in the baseline';
  return `rate ×${ratio.toFixed(1)}`;
}

/**
 * "Rising threat: 14 incidents in the last 4 weeks vs 6 in the previous 12 (rate ×7.0, p = 0.0003)".
 * `what` names the subject ("incidents", "protests").
 */
export function signalSentence(s: Signal, what = 'incidents'): string {
  const p = formatP(s.pValue);
  const stats = `(${formatRate(s.rateRatio)}, p ${p.startsWith('<') ? p : `= ${p}`})`;
  // "1 incident", not "1 incidents" (issue 16); counts with the locale's separators.
  const noun = s.recent === 1 ? what.replace(/incidents$/, 'incident') : what;
  const counts = `${formatCount(s.recent)} ${noun} in the last ${RECENT_WEEKS} weeks vs ${formatCount(s.baseline)} in the previous ${BASELINE_WEEKS} ${stats}`;
  if (s.firing) return `Rising threat: ${counts}.`;
  if (s.recent + s.baseline === 0) return `No ${what} in the last ${RECENT_WEEKS + BASELINE_WEEKS} weeks.`;
  return `No significant rise: ${counts}.`;
}

const typeNoun = (type: string) => (type === 'all' ? 'incidents' : `“${typeLabel(type)}” incidents`);

export function SignalSummary({ trend, testId = 'trend-signal' }: { trend: Trend; testId?: string }) {
  const all = overall(trend);
  // A type's own signal is worth a line only when it says more than the headline.
  const byType = trend.signals.filter(
    (s) => s.type !== 'all' && s.firing && (!all || s.recent !== all.recent || s.baseline !== all.baseline),
  );
  if (!all) return null;
  return (
    <div
      className={`signal-summary ${trend.firing ? 'signal-firing' : 'signal-quiet'}`}
      data-testid={testId}
      data-firing={trend.firing ? 'true' : 'false'}
      data-recent={all.recent}
      data-baseline={all.baseline}
      data-p-value={all.pValue}
      role="status"
    >
      <p className="signal-headline">
        {trend.firing ? (
          <span className="signal-icon" aria-hidden="true">
            ▲
          </span>
        ) : null}
        {all.firing || !trend.firing
          ? signalSentence(all)
          : `Rising threat in ${byType.length === 1 ? 'one type' : `${byType.length} types`} of incident. All together: ${signalSentence(all)}`}
      </p>
      {byType.length > 0 ? (
        <ul className="signal-types">
          {byType.map((s) => (
            <li key={s.type}>
              <span className="swatch" style={{ background: typeColor(s.type) }} aria-hidden="true" />
              {signalSentence(s, typeNoun(s.type))}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const HEIGHT = 200;
const WIDTH = 760;
const PAD = { top: 22, right: 8, bottom: 30, left: 34 };

function niceMax(n: number): { max: number; step: number } {
  if (n <= 4) return { max: Math.max(1, n), step: 1 };
  const rough = n / 4;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= rough) ?? rough;
  return { max: Math.ceil(n / step) * step, step };
}

const monthFmt = new Intl.DateTimeFormat(undefined, { month: 'short' });
const yearFmt = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });

interface Props {
  trend: Trend;
  /** Accessible name, e.g. "Incidents within 25 km of Consulate General Basrah". */
  title: string;
  testId?: string;
}

export function TrendChart({ trend, title, testId = 'trend-chart' }: Props) {
  const id = useId();
  const weeks = trend.weeks;
  const types = useMemo(
    () => INCIDENT_TYPES.filter((t) => weeks.some((w) => (w.byType[t] ?? 0) > 0)),
    [weeks],
  );
  const total = weeks.reduce((a, w) => a + w.total, 0);
  const { max, step } = niceMax(Math.max(0, ...weeks.map((w) => w.total)));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const n = Math.max(1, weeks.length);
  const slot = innerW / n;
  const barW = Math.max(2, slot - 2);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const x = (i: number) => PAD.left + i * slot;
  const baselineFrom = n - RECENT_WEEKS - BASELINE_WEEKS;
  const recentFrom = n - RECENT_WEEKS;
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);

  // Month labels where a new month starts; the first (partial) month only when there is room.
  const starts: { i: number; d: Date }[] = [];
  weeks.forEach((w, i) => {
    const d = new Date(w.end);
    const prev = weeks[i - 1];
    if (prev && new Date(prev.end).getMonth() !== d.getMonth()) starts.push({ i, d });
  });
  const firstWeek = weeks[0];
  if (firstWeek && (starts[0]?.i ?? 99) >= 5) starts.unshift({ i: 0, d: new Date(firstWeek.end) });
  const spaced = starts.map(({ i, d }, k) => ({
    i,
    label: (k === 0 || d.getMonth() === 0 ? yearFmt : monthFmt).format(d),
  }));

  const all = overall(trend);
  const summary = `${title}: ${plural(total, 'incident')} in the last ${weeks.length} weeks. ${all ? signalSentence(all) : ''}`;

  return (
    <figure className="trend" data-testid={testId} data-total={total} data-weeks={weeks.length}>
      <svg
        className="trend-svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-t`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-t`}>{summary}</title>
        {baselineFrom >= 0 ? (
          <g className="trend-windows">
            <rect
              x={x(baselineFrom)}
              y={PAD.top - 16}
              width={slot * BASELINE_WEEKS}
              height={innerH + 16}
              className="trend-band-baseline"
            />
            <rect
              x={x(recentFrom)}
              y={PAD.top - 16}
              width={slot * RECENT_WEEKS}
              height={innerH + 16}
              className={trend.firing ? 'trend-band-recent trend-band-firing' : 'trend-band-recent'}
            />
            <text x={x(baselineFrom) + 4} y={PAD.top - 5} className="trend-band-label">
              Baseline {BASELINE_WEEKS} wk
            </text>
            <text x={x(recentFrom) + 3} y={PAD.top - 5} className="trend-band-label">
              Last {RECENT_WEEKS}
            </text>
          </g>
        ) : null}
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} className="trend-grid" />
            <text x={PAD.left - 6} y={y(v) + 4} className="trend-axis" textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {weeks.map((w, i) => {
          let acc = 0;
          return (
            <g key={w.end} data-week={i} data-total={w.total}>
              <title>
                {`${formatDate(w.start)} – ${formatDate(w.end)}: ${plural(w.total, 'incident')}${
                  w.total
                    ? ` (${types
                        .filter((t) => (w.byType[t] ?? 0) > 0)
                        .map((t) => `${typeLabel(t)} ${w.byType[t]}`)
                        .join(', ')})`
                    : ''
                }`}
              </title>
              {/* A transparent full-height target, so empty weeks have a tooltip too. */}
              <rect x={x(i)} y={PAD.top} width={slot} height={innerH} fill="transparent" />
              {types.map((t) => {
                const v = w.byType[t] ?? 0;
                if (!v) return null;
                const top = y(acc + v);
                const h = y(acc) - top;
                acc += v;
                return (
                  <rect
                    key={t}
                    x={x(i) + 1}
                    y={top}
                    width={barW}
                    height={Math.max(1, h - 0.5)}
                    fill={typeColor(t)}
                  />
                );
              })}
            </g>
          );
        })}
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={PAD.top + innerH}
          y2={PAD.top + innerH}
          className="trend-baseline-axis"
        />
        {spaced.map((t) => (
          <text key={t.i} x={x(t.i) + 1} y={HEIGHT - 10} className="trend-axis">
            {t.label}
          </text>
        ))}
      </svg>
      <figcaption className="trend-caption">
        {types.length > 0 ? (
          <ul className="trend-legend" aria-label="Incident types">
            {types.map((t) => (
              <li key={t}>
                <span className="swatch" style={{ background: typeColor(t) }} aria-hidden="true" />
                {typeLabel(t)}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">No incidents in the last {weeks.length} weeks.</p>
        )}
        <details className="trend-table">
          <summary>Weekly counts as a table</summary>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Week ending</th>
                  <th scope="col">Total</th>
                  {types.map((t) => (
                    <th key={t} scope="col">
                      {typeLabel(t)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[...weeks].reverse().map((w) => (
                  <tr key={w.end}>
                    <td>{formatDate(w.end)}</td>
                    <td>{w.total}</td>
                    {types.map((t) => (
                      <td key={t}>{w.byType[t] ?? 0}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figcaption>
    </figure>
  );
}
