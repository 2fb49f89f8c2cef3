import type { Polygon } from 'geojson';
import { lazy, Suspense, type SyntheticEvent, useEffect, useState } from 'react';
import {
  ALERT_KINDS,
  ALERT_STATUSES,
  CERTAINTIES,
  RESPONSE_TYPES,
  SEVERITIES,
  URGENCIES,
} from '../../../src/domain/alerts/types.ts';
import { navigate, useSearchParams } from '../app/router.tsx';
import { useAction } from '../app/useAction.ts';
import { fetchPost, fetchPosts, type Post } from '../posts/client.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { SelectField, TextAreaField, TextField } from '../ui/Field.tsx';
import { fromLocalInput, humanize, toLocalInput } from '../ui/format.ts';
import { Page, Section } from '../ui/Page.tsx';
import {
  type AlertContent,
  createAlert,
  fetchReach,
  type Preview,
  previewContent,
  type Reach,
  startAlert,
  stepAlert,
} from './client.ts';
import { Previews } from './Previews.tsx';
import { ReachPanel } from './ReachPanel.tsx';
import './alerts.css';

// The alert composer: start from a restriction, an incident or blank; draw the area (polygon,
// regions, circles) with the live reach updating as it changes; preview every channel and
// language; save and submit for approval.

const DistrictEditor = lazy(() =>
  import('../posts/DistrictEditor.tsx').then((m) => ({ default: m.DistrictEditor })),
);
const NO_OTHERS = new Map<string, string[]>();
const NO_ISSUES = new Map<string, 'overlap' | 'gap'>();

type Sections = AlertContent['texts']['en']['sections'];

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function Composer({ initial, source, post }: { initial: AlertContent; source: string | null; post: Post }) {
  const [c, setC] = useState<AlertContent>(initial);
  const [reach, setReach] = useState<Reach | null>(null);
  const [reachBusy, setReachBusy] = useState(false);
  const [previews, setPreviews] = useState<Preview[] | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const save = useAction(async () => {
    const created = await createAlert(c, source);
    const submitted = await stepAlert(created.id, 'submit');
    navigate(`/alerts/${submitted.id}`);
  });
  const en = c.texts.en;
  const setText = (patch: Partial<{ headline: string } & Sections>) => {
    const { headline, ...sections } = patch;
    setC({
      ...c,
      texts: {
        ...c.texts,
        en: { headline: headline ?? en.headline, sections: { ...en.sections, ...sections } },
      },
    });
  };
  const setCap = (patch: Partial<AlertContent['cap']>) => setC({ ...c, cap: { ...c.cap, ...patch } });
  const area = c.area;
  const polygon = (area.polygons[0] as Polygon | undefined) ?? null;

  // Live reach: re-asked whenever the area, window or status settles for a moment.
  const reachKey = useDebounced(
    JSON.stringify([area, c.cap.effective, c.cap.expires, c.includeUnknownLocation, c.status]),
    200,
  );
  useEffect(() => {
    const [a, effective, expires, includeUnknownLocation, status] = JSON.parse(reachKey);
    if (a.polygons.length + a.regions.length + a.circles.length + a.countries.length === 0) {
      setReach(null);
      return;
    }
    const ctl = new AbortController();
    setReachBusy(true);
    fetchReach({ area: a, effective, expires, includeUnknownLocation, status }, ctl.signal).then(
      (r) => {
        setReach(r);
        setReachBusy(false);
      },
      () => setReachBusy(false),
    );
    return () => ctl.abort();
  }, [reachKey]);

  // Previews follow the content (validated by the server: an error names the field).
  const previewKey = useDebounced(JSON.stringify(c), 500);
  useEffect(() => {
    const ctl = new AbortController();
    previewContent(JSON.parse(previewKey), ctl.signal).then(
      (p) => {
        setPreviews(p);
        setPreviewError(null);
      },
      (err: unknown) => {
        if (!ctl.signal.aborted) setPreviewError(err);
      },
    );
    return () => ctl.abort();
  }, [previewKey]);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    void save.run();
  };
  const drill = c.status !== 'Actual';
  return (
    <form
      className={drill ? 'form alert-compose alert-drill' : 'form alert-compose'}
      onSubmit={submit}
      data-testid="alert-compose"
    >
      {drill ? (
        <p className="alert-drill-banner" data-testid="drill-banner">
          {c.status.toUpperCase()}: every message starts with “{c.status.toUpperCase()}” and reaches drill
          participants only.
        </p>
      ) : null}
      <div className="alert-compose-grid">
        <div>
          <Section title="Message">
            <SelectField
              name="kind"
              label="Kind"
              value={c.kind}
              onChange={(v) => setC({ ...c, kind: v as AlertContent['kind'] })}
            >
              {ALERT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {humanize(k)}
                </option>
              ))}
            </SelectField>
            <SelectField
              name="status"
              label="Status"
              value={c.status}
              onChange={(v) => setC({ ...c, status: v as AlertContent['status'] })}
            >
              {ALERT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </SelectField>
            <p className="muted small">Issued by {post.name}</p>
            <TextField
              name="headline"
              label="Headline"
              value={en.headline}
              maxLength={160}
              onChange={(v) => setText({ headline: v })}
            />
            <TextAreaField
              name="location"
              label="Location"
              rows={2}
              value={en.sections.location}
              onChange={(v) => setText({ location: v })}
            />
            <TextAreaField
              name="event"
              label="Event"
              rows={3}
              value={en.sections.event}
              onChange={(v) => setText({ event: v })}
            />
            <TextAreaField
              name="actionsToTake"
              label="Actions to take"
              rows={3}
              value={en.sections.actionsToTake}
              onChange={(v) => setText({ actionsToTake: v })}
            />
            <TextAreaField
              name="assistance"
              label="Assistance"
              rows={3}
              value={en.sections.assistance}
              onChange={(v) => setText({ assistance: v })}
            />
          </Section>
          <Section title="CAP">
            <SelectField
              name="responseType"
              label="Response"
              value={c.cap.responseType[0] ?? 'Monitor'}
              onChange={(v) => setCap({ responseType: [v as AlertContent['cap']['responseType'][number]] })}
            >
              {RESPONSE_TYPES.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </SelectField>
            <SelectField
              name="severity"
              label="Severity"
              value={c.cap.severity}
              onChange={(v) => setCap({ severity: v as AlertContent['cap']['severity'] })}
            >
              {SEVERITIES.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </SelectField>
            <SelectField
              name="urgency"
              label="Urgency"
              value={c.cap.urgency}
              onChange={(v) => setCap({ urgency: v as AlertContent['cap']['urgency'] })}
            >
              {URGENCIES.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </SelectField>
            <SelectField
              name="certainty"
              label="Certainty"
              value={c.cap.certainty}
              onChange={(v) => setCap({ certainty: v as AlertContent['cap']['certainty'] })}
            >
              {CERTAINTIES.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </SelectField>
            <TextField
              name="effective"
              label="Effective"
              type="datetime-local"
              value={toLocalInput(new Date(c.cap.effective))}
              onChange={(v) => setCap({ effective: fromLocalInput(v) ?? c.cap.effective })}
            />
            <TextField
              name="expires"
              label="Expires"
              type="datetime-local"
              value={toLocalInput(new Date(c.cap.expires))}
              onChange={(v) => setCap({ expires: fromLocalInput(v) ?? c.cap.expires })}
            />
            <label className="checkbox">
              <input
                type="checkbox"
                checked={c.includeUnknownLocation}
                onChange={(e) => setC({ ...c, includeUnknownLocation: e.target.checked })}
                data-testid="include-unknown"
              />{' '}
              Include travellers whose location in the country is unknown
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={c.checkIn.requested}
                data-testid="checkin-requested"
                onChange={(e) =>
                  setC({
                    ...c,
                    checkIn: e.target.checked
                      ? {
                          requested: true,
                          deadline: new Date(
                            Math.min(Date.parse(c.cap.expires), Date.now() + 6 * 3_600_000),
                          ).toISOString(),
                        }
                      : { requested: false, deadline: null },
                  })
                }
              />{' '}
              Ask recipients to check in (“are you safe?”)
            </label>
          </Section>
        </div>
        <div>
          <Section title="Area">
            <Suspense fallback={<p className="loading">Loading the map…</p>}>
              <DistrictEditor
                country={post.country}
                regions={[...area.regions]}
                polygon={polygon}
                location={null}
                others={NO_OTHERS}
                issues={NO_ISSUES}
                tools={['draw', 'regions']}
                listLabel="Regions"
                showLegend={false}
                onRegionsChange={(regions) => setC({ ...c, area: { ...area, regions } })}
                onPolygonChange={(p) => setC({ ...c, area: { ...area, polygons: p ? [p] : [] } })}
              />
            </Suspense>
            <Circles
              circles={area.circles}
              onChange={(circles) => setC({ ...c, area: { ...area, circles } })}
            />
            <ReachPanel reach={reach} busy={reachBusy} />
          </Section>
          <Section title="Preview">
            {previewError ? <ErrorNotice error={previewError} title="Not valid yet" /> : null}
            {previews ? <Previews previews={previews} /> : null}
          </Section>
        </div>
      </div>
      <ErrorNotice error={save.error} title="Alert not saved" />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={save.busy}
          data-testid="alert-submit"
        >
          Submit for approval
        </button>
      </div>
    </form>
  );
}

function Circles({
  circles,
  onChange,
}: {
  circles: AlertContent['area']['circles'];
  onChange: (c: AlertContent['area']['circles']) => void;
}) {
  const set = (i: number, k: 'lat' | 'lon' | 'radiusKm', v: string) =>
    onChange(circles.map((c, j) => (j === i ? { ...c, [k]: Number(v) } : c)));
  return (
    <fieldset className="alert-circles">
      <legend>Circles</legend>
      {circles.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their position is their identity
        <div key={i} className="alert-circle-row">
          <TextField
            id={`circle-${i}-lat`}
            label="Latitude"
            type="number"
            step="any"
            value={String(c.lat)}
            onChange={(v) => set(i, 'lat', v)}
          />
          <TextField
            id={`circle-${i}-lon`}
            label="Longitude"
            type="number"
            step="any"
            value={String(c.lon)}
            onChange={(v) => set(i, 'lon', v)}
          />
          <TextField
            id={`circle-${i}-r`}
            label="Radius (km)"
            type="number"
            step="any"
            value={String(c.radiusKm)}
            onChange={(v) => set(i, 'radiusKm', v)}
          />
          <button
            type="button"
            className="button"
            onClick={() => onChange(circles.filter((_, j) => j !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button"
        onClick={() => onChange([...circles, { lat: 0, lon: 0, radiusKm: 5 }])}
      >
        Add a circle
      </button>
    </fieldset>
  );
}

/** /alerts/new?from=restriction&id=… | from=incident&id=… | from=blank&post=…&kind=… */
export default function ComposePage() {
  const params = useSearchParams();
  const from = params.get('from') ?? 'blank';
  const id = params.get('id') ?? '';
  const [postId, setPostId] = useState(params.get('post') ?? '');
  const [kind, setKind] = useState(params.get('kind') ?? 'security');
  const [posts, setPosts] = useState<Post[]>([]);
  const [started, setStarted] = useState<{ content: AlertContent; source: string | null; post: Post } | null>(
    null,
  );
  const start = useAction(async () => {
    const s =
      from === 'restriction'
        ? await startAlert({ from: 'restriction', id, kind: kind as AlertContent['kind'] })
        : from === 'incident'
          ? await startAlert({ from: 'incident', id, kind: kind as AlertContent['kind'] })
          : await startAlert({ from: 'blank', kind: kind as AlertContent['kind'], postId });
    setStarted({ ...s, post: await fetchPost(s.content.postId) });
  });
  useEffect(() => {
    fetchPosts().then(setPosts, () => undefined);
  }, []);
  const kindField = (
    <SelectField name="start-kind" label="Kind" value={kind} onChange={setKind}>
      {ALERT_KINDS.map((k) => (
        <option key={k} value={k}>
          {humanize(k)}
        </option>
      ))}
    </SelectField>
  );
  return (
    <Page title="New alert" wide testId="alert-compose-page">
      {started ? (
        <Composer initial={started.content} source={started.source} post={started.post} />
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void start.run();
          }}
        >
          <p>
            {from === 'restriction'
              ? 'Tell the public what staff were told: the restriction’s area and reason are filled in.'
              : from === 'incident'
                ? 'Draft an alert about the incident: its headline and a circle around it are filled in.'
                : 'A blank alert from a post.'}
          </p>
          {kindField}
          {from === 'blank' ? (
            <SelectField name="post" label="Issuing post" value={postId} onChange={setPostId}>
              <option value="">Choose…</option>
              {posts.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
          ) : null}
          <ErrorNotice error={start.error} title="Could not start the alert" />
          <button
            type="submit"
            className="button button-primary"
            disabled={start.busy}
            data-testid="alert-start"
          >
            Start
          </button>
        </form>
      )}
    </Page>
  );
}
