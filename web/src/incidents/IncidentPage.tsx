import { type FormEvent, useId, useMemo, useState } from 'react';
import { announceChange } from '../app/changes.ts';
import { usePeople } from '../app/people.ts';
import { Link } from '../app/router.tsx';
import { isReadOnly, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { useCountryNames, useRegions } from '../geo/reference.ts';
import { fetchPosts } from '../posts/client.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { TextAreaField } from '../ui/Field.tsx';
import { formatDateTime } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import {
  type AlertSeed,
  fetchAlertSeed,
  fetchIncident,
  fetchIncidentVersions,
  type Incident,
  type IncidentVersion,
  retractIncident,
} from './client.ts';
import {
  ActorList,
  casualtyText,
  incidentWhen,
  placeText,
  precisionText,
  SourceList,
  TypeTag,
} from './IncidentFacts.tsx';
import { label, subTypeLabel, TIME_PRECISION_LABELS, typeLabel } from './taxonomy.ts';

const idOf = (key: string) => key.split('#')[0] ?? key;
const loadIncident = (key: string, signal: AbortSignal) => fetchIncident(idOf(key), signal);
const loadPosts = (_key: string, signal: AbortSignal) => fetchPosts(signal);
const loadVersions = (key: string, signal: AbortSignal) => fetchIncidentVersions(idOf(key), signal);

/** What differs between two states of an incident, in words ("fatalities 0 → 1"). */
function changes(before: Partial<Incident>, after: Partial<Incident>): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(before.type, after.type) || !same(before.subType, after.subType)) {
    out.push(
      `type ${subTypeLabel(String(before.type), String(before.subType))} → ${subTypeLabel(String(after.type), String(after.subType))}`,
    );
  }
  if (!same(before.occurredAt, after.occurredAt)) out.push('time');
  if (!same(before.location, after.location)) out.push('location');
  if (!same(before.fatalities, after.fatalities))
    out.push(`fatalities ${before.fatalities ?? '?'} → ${after.fatalities ?? '?'}`);
  if (!same(before.injuries, after.injuries))
    out.push(`injuries ${before.injuries ?? '?'} → ${after.injuries ?? '?'}`);
  if (!same(before.actors, after.actors)) out.push('actors');
  if (!same(before.target, after.target)) out.push('target');
  if (!same(before.sources, after.sources)) out.push('sources');
  if (!same(before.notes, after.notes)) out.push('notes');
  if (!same(before.retraction, after.retraction)) out.push('retracted');
  return out;
}

function History({
  incident,
  versions,
  person,
}: {
  incident: Incident;
  versions: IncidentVersion[];
  person: (actor: string) => string;
}) {
  if (versions.length === 0) return <p className="muted small">Not changed since it was logged.</p>;
  // Newest first: each replaced state against the state that replaced it.
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  return (
    <ol className="plain-list incident-history" data-testid="incident-history">
      {sorted.map((v, k) => {
        const next = k === 0 ? incident : (sorted[k - 1]?.state ?? incident);
        const what = changes(v.state, next);
        return (
          <li key={v.version} className="small">
            <strong>Version {v.version + 1}</strong> · {formatDateTime(v.replacedAt)} by{' '}
            {person(v.replacedBy)}
            {what.length > 0 ? <div className="muted">Changed: {what.join(', ')}</div> : null}
          </li>
        );
      })}
    </ol>
  );
}

function RetractForm({
  incident,
  onDone,
  onCancel,
}: {
  incident: Incident;
  onDone: () => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const action = useAction(retractIncident);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    const done = await action.run(incident.id, reason.trim());
    if (done) {
      announceChange();
      onDone();
    }
  };
  return (
    <form className="form form-compact confirm" onSubmit={submit} data-testid="retract-form">
      <p className="small">
        A retracted incident stays on record (with its history) but leaves the map, searches and threat
        trends. It cannot be edited afterwards.
      </p>
      <TextAreaField
        id={`${id}-reason`}
        label="Why is it retracted?"
        rows={2}
        value={reason}
        onChange={setReason}
        placeholder="e.g. Duplicate of an ACLED event; the report was unconfirmed and later denied."
        data-testid="retract-reason"
      />
      <ErrorNotice error={action.error} title="Not retracted" testId="retract-error" />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-danger"
          disabled={action.busy || !reason.trim()}
          data-testid="retract-submit"
        >
          Retract incident
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AlertSeedCard({ incident }: { incident: Incident }) {
  const [seed, setSeed] = useState<AlertSeed | null>(null);
  const action = useAction(fetchAlertSeed);
  return (
    <Section
      title="Alert draft"
      testId="alert-seed"
      actions={
        seed ? null : (
          <button
            type="button"
            className="button button-small"
            disabled={action.busy}
            onClick={async () => {
              const s = await action.run(incident.id);
              if (s) setSeed(s);
            }}
            data-testid="alert-seed-button"
          >
            Suggest alert text
          </button>
        )
      }
    >
      {seed ? (
        <dl className="facts facts-compact" data-testid="alert-seed-text">
          <dt>Headline</dt>
          <dd>{seed.headline}</dd>
          <dt>Event</dt>
          <dd className="prewrap">{seed.description}</dd>
          <dt>Area</dt>
          <dd>
            Circle of {seed.area.circle.radiusKm} km around{' '}
            <code>
              {seed.area.circle.lat.toFixed(4)}, {seed.area.circle.lon.toFixed(4)}
            </code>
          </dd>
        </dl>
      ) : (
        <p className="muted small">
          <Link to={`/alerts/new?from=incident&id=${incident.id}`} data-testid="incident-draft-alert">
            Draft an alert
          </Link>{' '}
          from this incident (headline and circle prefilled). Warden can suggest a headline, a factual
          description and an area for a security alert about this incident. Attribution is worded no stronger
          than its confidence.
        </p>
      )}
      <ErrorNotice error={action.error} title="No suggestion" />
    </Section>
  );
}

export default function IncidentPage({ id }: { id: string }) {
  const user = useUser();
  const person = usePeople(user);
  const [version, setVersion] = useState(0);
  const [incident, retry] = useResource(`${id}#${version}`, loadIncident);
  const [posts] = useResource('posts', loadPosts);
  const [retracting, setRetracting] = useState(false);
  const [versions] = useResource(`${id}#${version}`, loadVersions);
  const countryNames = useCountryNames();
  const country = incident.status === 'loaded' ? incident.data.country : null;
  const { names: regionNames } = useRegions(country);
  const postsById = useMemo(
    () => new Map((posts.status === 'loaded' ? posts.data : []).map((p) => [p.id, p])),
    [posts],
  );

  if (incident.status !== 'loaded') {
    return (
      <Page title="Incident" eyebrow={<Link to="/incidents">← Incidents</Link>}>
        <Loaded resource={incident} onRetry={retry} what="the incident">
          {() => null}
        </Loaded>
      </Page>
    );
  }
  const i = incident.data;
  const writable = !isReadOnly(user) && !i.retraction;
  const target = i.target.postId ? postsById.get(i.target.postId) : undefined;
  const regionName = i.region ? regionNames.get(i.region) : undefined;
  const countryName = countryNames.get(i.country);
  const where = placeText(i, { country: countryName, region: regionName });
  const title = i.subType === 'other' ? typeLabel(i.type) : subTypeLabel(i.type, i.subType);

  return (
    <Page
      title={title}
      docTitle="Incident"
      testId="incident-page"
      eyebrow={<Link to="/incidents">← Incidents</Link>}
      meta={
        <div className="meta-row">
          <TypeTag type={i.type} subType={i.subType} testId="incident-type-tag" />
          <span data-testid="incident-when">{incidentWhen(i)}</span>
          <span>{where}</span>
          {i.retraction ? (
            <span className="badge status-badge tone-bad" data-testid="incident-retracted">
              Retracted
            </span>
          ) : null}
        </div>
      }
      actions={
        writable && !retracting ? (
          <>
            <Link to={`/incidents/${i.id}/edit`} className="button" data-testid="edit-incident">
              Edit
            </Link>
            <button
              type="button"
              className="button button-danger-quiet"
              onClick={() => setRetracting(true)}
              data-testid="retract-incident"
            >
              Retract
            </button>
          </>
        ) : null
      }
      wide
    >
      {i.retraction ? (
        <div className="notice notice-warn" data-testid="retraction-notice">
          <p>
            <strong>Retracted</strong> {formatDateTime(i.retraction.at)} by {person(i.retraction.by)}:{' '}
            {i.retraction.reason}
          </p>
        </div>
      ) : null}
      {retracting ? (
        <Section title="Retract this incident">
          <RetractForm
            incident={i}
            onCancel={() => setRetracting(false)}
            onDone={() => {
              setRetracting(false);
              setVersion((v) => v + 1);
            }}
          />
        </Section>
      ) : null}
      <div className="columns">
        <div className="column-main">
          <Section title="What happened" testId="incident-facts">
            <dl className="facts">
              <dt>Type</dt>
              <dd>
                <TypeTag type={i.type} subType={i.subType} />
              </dd>
              <dt>When</dt>
              <dd>
                {incidentWhen(i)}{' '}
                <span className="muted small">
                  ({label(TIME_PRECISION_LABELS, i.timePrecision).toLowerCase()})
                </span>
              </dd>
              <dt>Where</dt>
              <dd>
                {where}{' '}
                <span className="muted small">({precisionText(i.location.precision).toLowerCase()})</span>
                <br />
                <code className="small">
                  {i.location.lat.toFixed(5)}, {i.location.lon.toFixed(5)}
                </code>
              </dd>
              <dt>Target</dt>
              <dd data-testid="incident-target">
                {i.target.text || target ? (
                  <>
                    {i.target.text}
                    {i.target.text && target ? ' · ' : ''}
                    {target ? <Link to={`/posts/${target.id}`}>{target.name}</Link> : null}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </dd>
              <dt>Casualties</dt>
              <dd data-testid="incident-casualties">{casualtyText(i)}</dd>
              {i.eventId ? (
                <>
                  <dt>Source event</dt>
                  <dd>
                    <code>{i.eventId}</code>
                  </dd>
                </>
              ) : null}
            </dl>
          </Section>
          <Section title="Actors" testId="incident-actors-card">
            <ActorList actors={i.actors} />
          </Section>
          <Section title="Notes">
            {i.notes ? <p className="prewrap">{i.notes}</p> : <p className="muted small">No notes.</p>}
          </Section>
          <Section title="Sources">
            <SourceList sources={i.sources} />
            {i.source && Object.keys(i.source).length > 0 ? (
              <details className="small">
                <summary>Fields kept from the source file</summary>
                <dl className="facts facts-compact">
                  {Object.entries(i.source).map(([k, v]) => (
                    <div key={k} style={{ display: 'contents' }}>
                      <dt>
                        <code>{k}</code>
                      </dt>
                      <dd>{v || '—'}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            ) : null}
          </Section>
        </div>
        <div className="column-side">
          <Section title="Near posts" testId="incident-posts">
            {i.posts.length === 0 ? (
              <p className="muted small">
                {i.location.precision === 'region'
                  ? 'Located only to its region: not linked to posts.'
                  : 'No post within the linking radius.'}
              </p>
            ) : (
              <ul className="plain-list">
                {i.posts.map((l) => (
                  <li key={l.postId}>
                    <Link to={`/posts/${l.postId}`}>{postsById.get(l.postId)?.name ?? 'Post'}</Link>{' '}
                    <span className="muted small">{l.distanceKm.toFixed(1)} km</span>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          {!i.retraction ? <AlertSeedCard incident={i} /> : null}
          <Section title="Map">
            <Link
              to={`/?incident=${encodeURIComponent(i.id)}&lat=${i.location.lat}&lon=${i.location.lon}`}
              className="button button-small"
              data-testid="show-on-map"
            >
              Show on the map
            </Link>
          </Section>
          <Section title="Record">
            <dl className="facts facts-compact small">
              <dt>Version</dt>
              <dd data-testid="incident-version">{i.version}</dd>
              <dt>Logged</dt>
              <dd>
                {formatDateTime(i.createdAt)} by {person(i.createdBy)}
              </dd>
              <dt>Changed</dt>
              <dd>
                {formatDateTime(i.updatedAt)} by {person(i.updatedBy)}
              </dd>
            </dl>
            {versions.status === 'loaded' ? (
              <History incident={i} versions={versions.data} person={person} />
            ) : null}
          </Section>
        </div>
      </div>
    </Page>
  );
}
