import { Link } from '../app/router.tsx';
import { formatDate, formatDateTime } from '../ui/format.ts';
import type { Incident, IncidentActor } from './client.ts';
import {
  ACTOR_ROLE_LABELS,
  CONFIDENCE_LABELS,
  GEO_PRECISION_LABELS,
  label,
  subTypeLabel,
  typeColor,
  typeLabel,
} from './taxonomy.ts';

/** When it happened, only as precisely as it is known. */
export function incidentWhen(i: Pick<Incident, 'occurredAt' | 'timePrecision'>): string {
  if (i.timePrecision === 'day') return formatDate(i.occurredAt.slice(0, 10));
  if (i.timePrecision === 'week') return `Week of ${formatDate(i.occurredAt.slice(0, 10))}`;
  return formatDateTime(i.occurredAt);
}

export function TypeTag({ type, subType, testId }: { type: string; subType?: string; testId?: string }) {
  return (
    <span className="type-tag" data-testid={testId} data-type={type} data-sub-type={subType}>
      <span className="type-dot" style={{ background: typeColor(type) }} aria-hidden="true" />
      <span>
        {typeLabel(type)}
        {subType ? <span className="type-sub"> · {subTypeLabel(type, subType)}</span> : null}
      </span>
    </span>
  );
}

export function ConfidenceBadge({ confidence }: { confidence: string }) {
  return (
    <span className={`badge confidence-badge confidence-${confidence}`}>
      {label(CONFIDENCE_LABELS, confidence)}
    </span>
  );
}

export function ActorList({ actors }: { actors: readonly IncidentActor[] }) {
  if (actors.length === 0) return <p className="muted small">No actors recorded.</p>;
  return (
    <ul className="actor-list" data-testid="incident-actors">
      {actors.map((a) => (
        <li key={`${a.actorId}-${a.role}`} data-role={a.role} data-confidence={a.confidence}>
          <Link to={`/actors/${a.actorId}`} className="strong-link">
            {a.name}
          </Link>{' '}
          <span className="muted small">{label(ACTOR_ROLE_LABELS, a.role).toLowerCase()}</span>{' '}
          <ConfidenceBadge confidence={a.confidence} />
        </li>
      ))}
    </ul>
  );
}

const isUrl = (s: string) => /^https?:\/\/\S+$/i.test(s);

export function SourceList({ sources }: { sources: readonly string[] }) {
  if (sources.length === 0) return <p className="muted small">No sources recorded.</p>;
  return (
    <ul className="source-list">
      {sources.map((s) => (
        <li key={s}>
          {isUrl(s) ? (
            <a href={s} target="_blank" rel="noopener noreferrer">
              {s}
            </a>
          ) : (
            s
          )}
        </li>
      ))}
    </ul>
  );
}

export function casualtyText(i: Pick<Incident, 'fatalities' | 'injuries'>): string {
  const parts: string[] = [];
  parts.push(i.fatalities === null ? 'fatalities unknown' : `${i.fatalities} killed`);
  if (i.injuries !== null) parts.push(`${i.injuries} injured`);
  return parts.join(', ');
}

export function placeText(
  i: Pick<Incident, 'location' | 'country' | 'region'>,
  names: { country?: string; region?: string },
): string {
  const where = [i.location.place, names.region ?? i.region, names.country ?? i.country].filter(
    (x): x is string => !!x,
  );
  return [...new Set(where)].join(', ');
}

export function precisionText(precision: string): string {
  return label(GEO_PRECISION_LABELS, precision);
}
