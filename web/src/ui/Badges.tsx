import {
  INDICATOR_CODES,
  isLevel,
  LEVEL_COLORS,
  LEVEL_LABELS,
  LEVEL_TEXT_COLORS,
} from '../../../src/domain/advisories/levels.ts';
import { POSTURE_LABELS } from '../../../src/domain/posts/labels.ts';
import { isPostureState } from '../../../src/domain/posts/types.ts';
import { indicatorLabel } from '../advisories/labels.ts';
import { POSTURE_COLORS } from '../posts/labels.ts';
import { humanize } from './format.ts';

export function PostureBadge({ posture, testId }: { posture: string; testId?: string }) {
  const known = isPostureState(posture);
  return (
    <span className={`badge posture-badge posture-${posture}`} data-testid={testId} data-posture={posture}>
      <span
        className="badge-dot"
        aria-hidden="true"
        style={{ background: known ? POSTURE_COLORS[posture] : '#8a96a3' }}
      />
      {known ? POSTURE_LABELS[posture] : humanize(posture)}
    </span>
  );
}

export function LevelBadge({
  level,
  long = false,
  testId,
}: {
  level: number | null | undefined;
  long?: boolean;
  testId?: string;
}) {
  if (!isLevel(level)) {
    return (
      <span className="badge level-badge level-none" data-testid={testId} data-level="">
        No advisory
      </span>
    );
  }
  return (
    <span
      className="badge level-badge"
      data-testid={testId}
      data-level={level}
      style={{
        background: LEVEL_COLORS[level],
        color: LEVEL_TEXT_COLORS[level],
        borderColor: LEVEL_COLORS[level],
      }}
      title={LEVEL_LABELS[level]}
    >
      Level {level}
      {long ? `: ${LEVEL_LABELS[level]}` : ''}
    </span>
  );
}

export function Indicators({ codes, long = false }: { codes: readonly string[]; long?: boolean }) {
  if (codes.length === 0) return <span className="muted">None</span>;
  const order = (c: string) => {
    const i = (INDICATOR_CODES as readonly string[]).indexOf(c);
    return i === -1 ? 99 : i;
  };
  const sorted = [...codes].sort((a, b) => order(a) - order(b));
  return (
    <ul className="indicator-list" aria-label="Risk indicators">
      {sorted.map((code) => (
        <li key={code} className="indicator" title={indicatorLabel(code)}>
          <abbr className="indicator-code" title={indicatorLabel(code)}>
            {code}
          </abbr>
          {long ? <span className="indicator-name">{indicatorLabel(code)}</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function StatusBadge({ status, tone }: { status: string; tone?: 'good' | 'warn' | 'bad' | 'info' }) {
  return (
    <span className={`badge status-badge${tone ? ` tone-${tone}` : ''}`} data-status={status}>
      {humanize(status)}
    </span>
  );
}
