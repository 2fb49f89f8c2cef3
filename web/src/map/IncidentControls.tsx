import { useId } from 'react';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { formatDate, plural } from '../ui/format.ts';
import type { IncidentLayerState } from './incidentLayer.ts';

export const WINDOWS = [7, 30, 90, 365] as const;
export type WindowDays = (typeof WINDOWS)[number];
const WINDOW_LABELS: Record<WindowDays, string> = { 7: '7 days', 30: '30 days', 90: '90 days', 365: 'Year' };

/** The furthest back the window's end can be moved, in days. */
export const MAX_OFFSET_DAYS = 365;

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The time filter for a window of `days` ending `offset` days ago (UTC calendar days). */
export function timeWindow(days: number, offset: number, now = Date.now()): { from: string; to: string } {
  const end = now - offset * DAY_MS;
  return { from: isoDay(end - days * DAY_MS), to: isoDay(end) };
}

interface Props {
  visible: boolean;
  onVisibleChange: (visible: boolean) => void;
  days: WindowDays;
  onDaysChange: (days: WindowDays) => void;
  offset: number;
  onOffsetChange: (offset: number) => void;
  window: { from: string; to: string };
  /** The day the slider counts back from, when not today. */
  anchor: string | null;
  onAnchorChange: (anchor: string | null) => void;
  /** The newest incident in view, when the period shows none (e.g. the 2018 demo world). */
  latest: string | null;
  layer: IncidentLayerState;
  onNewIncident?: () => void;
}

/** Incident layer switch and time window: a period length plus a slider moving it back in time. */
export function IncidentControls({
  visible,
  onVisibleChange,
  days,
  onDaysChange,
  offset,
  onOffsetChange,
  window: range,
  anchor,
  onAnchorChange,
  latest,
  layer,
  onNewIncident,
}: Props) {
  const id = useId();
  return (
    <section className="map-status incident-controls" aria-label="Incidents" data-testid="incident-controls">
      <div className="incident-controls-head">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={visible}
            onChange={(e) => onVisibleChange(e.target.checked)}
            data-testid="incident-toggle"
          />{' '}
          <strong>Incidents</strong>
        </label>
        {onNewIncident ? (
          <button
            type="button"
            className="button button-small"
            onClick={onNewIncident}
            data-testid="map-new-incident"
          >
            New incident
          </button>
        ) : null}
      </div>
      {visible ? (
        <>
          <fieldset className="fieldset-plain incident-window">
            <legend className="visually-hidden">Time window</legend>
            <div className="segmented">
              {WINDOWS.map((d) => (
                <button
                  key={d}
                  type="button"
                  className="segmented-button"
                  aria-pressed={days === d}
                  onClick={() => onDaysChange(d)}
                  data-testid={`incident-window-${d}`}
                >
                  {WINDOW_LABELS[d]}
                </button>
              ))}
            </div>
            <label htmlFor={`${id}-offset`} className="incident-slider-label">
              <span>
                {formatDate(range.from)} – {offset === 0 && !anchor ? 'today' : formatDate(range.to)}
              </span>
              <span className="muted">
                {offset === 0 ? (anchor ? 'end' : 'latest') : `${offset} days back`}
              </span>
            </label>
            <input
              id={`${id}-offset`}
              type="range"
              min={0}
              max={MAX_OFFSET_DAYS}
              step={1}
              // Left is the past, right is now.
              value={MAX_OFFSET_DAYS - offset}
              onChange={(e) => onOffsetChange(MAX_OFFSET_DAYS - Number(e.target.value))}
              aria-valuetext={`Ending ${offset === 0 && !anchor ? 'today' : formatDate(range.to)}`}
              data-testid="incident-offset"
            />
            {anchor ? (
              <button
                type="button"
                className="link-button small incident-today"
                onClick={() => {
                  onAnchorChange(null);
                  onOffsetChange(0);
                }}
              >
                Back to today
              </button>
            ) : null}
          </fieldset>
          <p className="small" role="status" data-testid="incident-count" data-count={layer.count}>
            {layer.status === 'loading' && layer.count === 0
              ? 'Loading incidents…'
              : layer.truncated
                ? `Showing the latest ${plural(layer.count, 'incident')} in view; zoom in or shorten the period for all.`
                : `${plural(layer.count, 'incident')} in view`}
          </p>
          {latest && layer.status === 'loaded' && layer.count === 0 ? (
            <p className="small" data-testid="incident-latest-hint">
              None here in this period; the latest in view is from {formatDate(latest)}.{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  onAnchorChange(latest);
                  onOffsetChange(0);
                }}
              >
                Show the {days === 365 ? 'year' : `${days} days`} up to then
              </button>
            </p>
          ) : null}
          {layer.status === 'error' ? (
            <ErrorNotice error={layer.error} title="Could not load incidents" />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
