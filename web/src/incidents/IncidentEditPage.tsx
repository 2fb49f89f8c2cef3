import { type FormEvent, lazy, Suspense, useId, useMemo, useState } from 'react';
import { announceChange } from '../app/changes.ts';
import { Link, navigate, useSearchParams } from '../app/router.tsx';
import { isReadOnly, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import type { Place } from '../geo/client.ts';
import type { PickedPoint } from '../map/PointPicker.tsx';
import { fetchPosts, type Post } from '../posts/client.ts';
import { ErrorNotice, errorField } from '../ui/ErrorNotice.tsx';
import { Field, SelectField, TextAreaField, TextField } from '../ui/Field.tsx';
import { fromLocalInput, toLocalInput } from '../ui/format.ts';
import { Loaded, Page } from '../ui/Page.tsx';
import { type ActorRow, ActorRows, newActorRow, toActorRefs } from './ActorRows.tsx';
import {
  createIncident,
  fetchIncident,
  type Incident,
  type IncidentInput,
  updateIncident,
} from './client.ts';
import {
  GEO_PRECISION_LABELS,
  GEO_PRECISIONS,
  type GeoPrecision,
  INCIDENT_TYPES,
  type IncidentSubType,
  type IncidentType,
  isIncidentType,
  subTypesOf,
  TIME_PRECISION_LABELS,
  TIME_PRECISIONS,
  type TimePrecision,
  typeColor,
  typeLabel,
} from './taxonomy.ts';

// MapLibre loads with the form, not with the console.
const PointPicker = lazy(() => import('../map/PointPicker.tsx').then((m) => ({ default: m.PointPicker })));

/** The browser's time zone, which datetime-local inputs are in. */
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'your time zone';

const loadIncident = (key: string, signal: AbortSignal) => fetchIncident(key, signal);
const loadPosts = (_key: string, signal: AbortSignal) => fetchPosts(signal);

interface FormState {
  occurredAt: string;
  timePrecision: TimePrecision;
  point: PickedPoint | null;
  geoPrecision: GeoPrecision;
  place: string;
  type: IncidentType;
  subType: IncidentSubType;
  actors: ActorRow[];
  targetText: string;
  targetPostId: string;
  fatalities: string;
  injuries: string;
  sources: string;
  notes: string;
}

function initialState(incident: Incident | null, params: URLSearchParams): FormState {
  if (incident) {
    return {
      occurredAt: toLocalInput(new Date(incident.occurredAt)),
      timePrecision: (incident.timePrecision as TimePrecision) ?? 'exact',
      point: { lat: incident.location.lat, lon: incident.location.lon },
      geoPrecision: (incident.location.precision as GeoPrecision) ?? 'exact',
      place: incident.location.place ?? '',
      type: isIncidentType(incident.type) ? incident.type : 'other',
      subType: incident.subType,
      actors: incident.actors.map((a) =>
        newActorRow({
          actorId: a.actorId,
          name: a.name,
          role: a.role as ActorRow['role'],
          confidence: a.confidence as ActorRow['confidence'],
        }),
      ),
      targetText: incident.target.text ?? '',
      targetPostId: incident.target.postId ?? '',
      fatalities: incident.fatalities === null ? '' : String(incident.fatalities),
      injuries: incident.injuries === null ? '' : String(incident.injuries),
      sources: incident.sources.join('\n'),
      notes: incident.notes ?? '',
    };
  }
  const type = isIncidentType(params.get('type'))
    ? (params.get('type') as IncidentType)
    : 'explosions_remote_violence';
  const lat = Number(params.get('lat'));
  const lon = Number(params.get('lon'));
  return {
    occurredAt: toLocalInput(new Date()),
    timePrecision: 'exact',
    point: params.has('lat') && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : null,
    geoPrecision: 'exact',
    place: '',
    type,
    subType: subTypesOf(type)[0]?.[0] ?? 'other',
    actors: [],
    targetText: '',
    targetPostId: params.get('postId') ?? '',
    fatalities: '',
    injuries: '',
    sources: '',
    notes: '',
  };
}

/** '' -> null; otherwise a whole number >= 0, or undefined when it is not one. */
function count(value: string): number | null | undefined {
  if (value.trim() === '') return null;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

interface FormProps {
  incident: Incident | null;
  posts: Post[];
}

function IncidentForm({ incident, posts }: FormProps) {
  const id = useId();
  const params = useSearchParams();
  const [form, setForm] = useState<FormState>(() => initialState(incident, params));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [placeCountry, setPlaceCountry] = useState<string | null>(null);
  const action = useAction(async (input: IncidentInput) =>
    incident ? updateIncident(incident.id, { ...input, version: incident.version }) : createIncident(input),
  );
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const serverField = errorField(action.error);

  const sortedPosts = useMemo(() => [...posts].sort((a, b) => a.name.localeCompare(b.name)), [posts]);
  const nearId = params.get('near') ?? form.targetPostId;
  const startPost = posts.find((p) => p.id === nearId);
  const initialCenter = startPost ? { lat: startPost.location.lat, lon: startPost.location.lon } : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const occurredAt = fromLocalInput(form.occurredAt);
    if (!occurredAt) found.occurredAt = 'Say when it happened.';
    else if (Date.parse(occurredAt) > Date.now() + 3_600_000) found.occurredAt = 'This is in the future.';
    if (!form.point) found.location = 'Click the map where it happened, or type its coordinates.';
    const fatalities = count(form.fatalities);
    const injuries = count(form.injuries);
    if (fatalities === undefined) found.fatalities = 'A whole number, or empty when unknown.';
    if (injuries === undefined) found.injuries = 'A whole number, or empty when unknown.';
    setProblems(found);
    if (Object.keys(found).length > 0 || !occurredAt || !form.point) return;
    const input: IncidentInput = {
      occurredAt,
      timePrecision: form.timePrecision,
      location: {
        lat: form.point.lat,
        lon: form.point.lon,
        precision: form.geoPrecision,
        place: form.place.trim() || null,
      },
      type: form.type,
      subType: form.subType,
      target: { text: form.targetText.trim() || null, postId: form.targetPostId || null },
      actors: toActorRefs(form.actors),
      fatalities: fatalities ?? null,
      injuries: injuries ?? null,
      sources: form.sources
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
      notes: form.notes.trim() || null,
    };
    const saved = await action.run(input);
    if (saved) {
      announceChange();
      navigate(`/incidents/${saved.id}`);
    }
  };

  const invalid = (field: string) =>
    problems[field] || serverField === field || serverField?.startsWith(`${field}.`) ? true : undefined;

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="incident-form">
      <section className="card">
        <div className="card-header">
          <h2 className="card-title">What happened</h2>
        </div>
        <div className="form-row">
          <Field id={`${id}-type`} label="Event type">
            {(control) => (
              <div className="select-with-dot">
                <span className="type-dot" style={{ background: typeColor(form.type) }} aria-hidden="true" />
                <select
                  {...control}
                  value={form.type}
                  onChange={(e) => {
                    const type = e.target.value as IncidentType;
                    setForm((f) => ({ ...f, type, subType: subTypesOf(type)[0]?.[0] ?? 'other' }));
                  }}
                  data-testid="incident-type"
                >
                  {INCIDENT_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {typeLabel(t)}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </Field>
          <SelectField
            id={`${id}-sub`}
            label="Sub-type"
            value={form.subType}
            onChange={(v) => set('subType', v as IncidentSubType)}
            invalid={invalid('subType')}
            data-testid="incident-subtype"
          >
            {subTypesOf(form.type).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-row">
          <TextField
            id={`${id}-when`}
            label={`When (${ZONE})`}
            type="datetime-local"
            value={form.occurredAt}
            onChange={(v) => set('occurredAt', v)}
            invalid={invalid('occurredAt')}
            error={problems.occurredAt}
            data-testid="incident-when"
          />
          <SelectField
            id={`${id}-tp`}
            label="Time known to"
            value={form.timePrecision}
            onChange={(v) => set('timePrecision', v as TimePrecision)}
            data-testid="incident-time-precision"
          >
            {TIME_PRECISIONS.map((p) => (
              <option key={p} value={p}>
                {TIME_PRECISION_LABELS[p]}
              </option>
            ))}
          </SelectField>
        </div>
      </section>

      <section className="card">
        <div className="card-header">
          <h2 className="card-title">Where</h2>
        </div>
        <Suspense fallback={<p className="muted">Loading map…</p>}>
          <PointPicker
            value={form.point}
            onChange={(point) => set('point', point)}
            onPlace={(place: Place) => {
              setPlaceCountry(place.country);
              setForm((f) => ({ ...f, place: f.place || place.name, geoPrecision: 'near' }));
            }}
            posts={posts}
            initialCenter={initialCenter}
            country={placeCountry ?? incident?.country ?? startPost?.country ?? null}
            invalid={!!invalid('location')}
          />
        </Suspense>
        {problems.location ? (
          <p className="field-error" data-testid="location-error">
            {problems.location}
          </p>
        ) : null}
        <div className="form-row">
          <TextField
            id={`${id}-place`}
            label="Place name (optional)"
            value={form.place}
            onChange={(v) => set('place', v)}
            placeholder="e.g. Basrah"
            data-testid="incident-place"
          />
          <Field id={`${id}-gp`} label="Location known to">
            {(control) => (
              <>
                <select
                  {...control}
                  value={form.geoPrecision}
                  onChange={(e) => set('geoPrecision', e.target.value as GeoPrecision)}
                  data-testid="incident-geo-precision"
                >
                  {GEO_PRECISIONS.map((p) => (
                    <option key={p} value={p}>
                      {GEO_PRECISION_LABELS[p]}
                    </option>
                  ))}
                </select>
                {form.geoPrecision === 'region' ? (
                  <p className="field-hint">Region-only incidents are not linked to nearby posts.</p>
                ) : null}
              </>
            )}
          </Field>
        </div>
      </section>

      <section className="card">
        <div className="card-header">
          <h2 className="card-title">Who</h2>
        </div>
        <ActorRows rows={form.actors} onChange={(actors) => set('actors', actors)} />
      </section>

      <section className="card">
        <div className="card-header">
          <h2 className="card-title">Target and casualties</h2>
        </div>
        <div className="form-row">
          <TextField
            id={`${id}-target`}
            label="Target"
            value={form.targetText}
            onChange={(v) => set('targetText', v)}
            placeholder="e.g. Consulate compound"
            data-testid="incident-target-text"
          />
          <SelectField
            id={`${id}-tpost`}
            label="Target post (optional)"
            value={form.targetPostId}
            onChange={(v) => set('targetPostId', v)}
            invalid={invalid('target')}
            data-testid="incident-target-post"
          >
            <option value="">None</option>
            {sortedPosts.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-row">
          <TextField
            id={`${id}-fat`}
            label="Fatalities"
            inputMode="numeric"
            value={form.fatalities}
            onChange={(v) => set('fatalities', v)}
            placeholder="Unknown"
            invalid={invalid('fatalities')}
            error={problems.fatalities}
            data-testid="incident-fatalities"
          />
          <TextField
            id={`${id}-inj`}
            label="Injuries"
            inputMode="numeric"
            value={form.injuries}
            onChange={(v) => set('injuries', v)}
            placeholder="Unknown"
            invalid={invalid('injuries')}
            error={problems.injuries}
            data-testid="incident-injuries"
          />
        </div>
      </section>

      <section className="card">
        <div className="card-header">
          <h2 className="card-title">Sources and notes</h2>
        </div>
        <TextAreaField
          id={`${id}-src`}
          label="Sources (one per line)"
          rows={3}
          value={form.sources}
          onChange={(v) => set('sources', v)}
          placeholder={'e.g. Post security officer report\nhttps://…'}
          data-testid="incident-sources"
        />
        <TextAreaField
          id={`${id}-notes`}
          label="Notes"
          rows={4}
          value={form.notes}
          onChange={(v) => set('notes', v)}
          data-testid="incident-notes"
        />
      </section>

      <ErrorNotice error={action.error} title="Incident not saved" testId="incident-error" />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy}
          data-testid="incident-submit"
        >
          {action.busy ? 'Saving…' : incident ? 'Save changes' : 'Log incident'}
        </button>
        <Link to={incident ? `/incidents/${incident.id}` : '/incidents'} className="button">
          Cancel
        </Link>
      </div>
    </form>
  );
}

export default function IncidentEditPage({ id }: { id: string | null }) {
  const user = useUser();
  const [incident, retry] = useResource(id, loadIncident);
  const [posts] = useResource('posts', loadPosts);
  const postList = posts.status === 'loaded' ? posts.data : null;
  const title = id ? 'Edit incident' : 'New incident';
  const eyebrow = id ? (
    <Link to={`/incidents/${id}`}>← Incident</Link>
  ) : (
    <Link to="/incidents">← Incidents</Link>
  );

  if (isReadOnly(user)) {
    return (
      <Page title={title} eyebrow={eyebrow}>
        <p className="notice notice-warn">Your role can read incidents but not record or change them.</p>
      </Page>
    );
  }
  if (!postList && posts.status !== 'error') {
    return (
      <Page title={title} eyebrow={eyebrow}>
        <p className="loading">Loading…</p>
      </Page>
    );
  }
  if (!id) {
    return (
      <Page title={title} eyebrow={eyebrow} testId="incident-edit-page">
        <IncidentForm incident={null} posts={postList ?? []} />
      </Page>
    );
  }
  return (
    <Page title={title} eyebrow={eyebrow} testId="incident-edit-page">
      <Loaded resource={incident} onRetry={retry} what="the incident">
        {(i) =>
          i.retraction ? (
            <p className="notice notice-warn">This incident was retracted and can no longer be edited.</p>
          ) : (
            <IncidentForm key={`${i.id}#${i.version}`} incident={i} posts={postList ?? []} />
          )
        }
      </Loaded>
    </Page>
  );
}
