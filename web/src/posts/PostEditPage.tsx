import type { Feature } from 'geojson';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { POST_KINDS, type PostKind } from '../../../src/domain/posts/types.ts';
import { ApiError } from '../app/api.ts';
import { announceChange } from '../app/changes.ts';
import { Link, navigate, useSearchParams } from '../app/router.tsx';
import { can, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { isRecord } from '../app/util.ts';
import { type CountryInfo, loadCountries, useRegions } from '../geo/reference.ts';
import { ErrorNotice, errorField } from '../ui/ErrorNotice.tsx';
import { SelectField, TextAreaField, TextField } from '../ui/Field.tsx';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import {
  type AreaGeometry,
  createPost,
  type DistrictReport,
  fetchDistrictReport,
  fetchPost,
  fetchPosts,
  type Post,
  type PostInput,
  updatePost,
} from './client.ts';
import { DistrictEditor } from './DistrictEditor.tsx';
import { POST_KIND_LABELS } from './labels.ts';

const loadPost = (key: string, signal: AbortSignal) => fetchPost(key, signal);
const loadPosts = (_key: string, signal: AbortSignal) => fetchPosts(signal);
const loadReport = (key: string, signal: AbortSignal) =>
  fetchDistrictReport(key.split('#')[0] ?? key, signal);

interface FormState {
  kind: PostKind;
  name: string;
  city: string;
  country: string;
  lat: string;
  lon: string;
  phone: string;
  email: string;
  address: string;
  hours: string;
  regions: string[];
  geometry: AreaGeometry | null;
}

function fromPost(p: Post | null): FormState {
  return {
    kind: p?.kind ?? 'embassy',
    name: p?.name ?? '',
    city: p?.city ?? '',
    country: p?.country ?? '',
    lat: p ? String(p.location.lat) : '',
    lon: p ? String(p.location.lon) : '',
    phone: p?.contact.phone ?? '',
    email: p?.contact.email ?? '',
    address: p?.contact.address ?? '',
    hours: p?.contact.hours ?? '',
    regions: p ? [...p.district.regions] : [],
    geometry: p?.district.geometry ?? null,
  };
}

/** Regions the server named in a district_overlap refusal, to highlight them at once. */
function overlapRegions(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'district_overlap' || !isRecord(error.details))
    return [];
  const regions = error.details.regions;
  return Array.isArray(regions) ? regions.map(String) : [];
}

function ValidationPanel({
  report,
  regionNames,
  postId,
  onRecheck,
}: {
  report: DistrictReport | null;
  regionNames: Map<string, string>;
  postId: string | null;
  onRecheck: () => void;
}) {
  if (!report) return <p className="muted">No posts in this country yet.</p>;
  const mine = (ids: string[]) => postId !== null && ids.includes(postId);
  return (
    <div className="validation" data-testid="district-validation" data-ok={report.ok ? 'true' : 'false'}>
      {report.ok ? (
        <p className="notice notice-good">
          <strong>{report.name}: every region is served by exactly one post.</strong> No overlaps, gaps or
          unserved districts among {report.posts} {report.posts === 1 ? 'post' : 'posts'}.
        </p>
      ) : (
        <p className="notice notice-warn">
          <strong>{report.name} needs attention.</strong> Problems are highlighted on the map.
        </p>
      )}
      {report.overlaps.length > 0 ? (
        <>
          <h3 className="subheading">Overlaps ({report.overlaps.length})</h3>
          <ul className="issue-list" data-testid="validation-overlaps">
            {report.overlaps.map((o) => (
              <li key={o.postIds.join('|')} className={mine(o.postIds) ? 'issue-mine' : undefined}>
                <span className="issue-tag issue-overlap">Overlap</span> {o.postNames.join(' and ')}
                {o.regions.length > 0 ? `: ${o.regions.map((r) => regionNames.get(r) ?? r).join(', ')}` : ''}{' '}
                <span className="muted small">({Math.round(o.areaKm2).toLocaleString()} km²)</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.gaps.length > 0 ? (
        <>
          <h3 className="subheading">Gaps: served by no post ({report.gaps.length})</h3>
          <ul className="issue-list" data-testid="validation-gaps">
            {report.gaps.map((g) => (
              <li key={g.region}>
                <span className="issue-tag issue-gap">Gap</span>{' '}
                {g.name || regionNames.get(g.region) || g.region}{' '}
                <span className="muted small">
                  {g.partial
                    ? `(part: ${Math.round(g.areaKm2).toLocaleString()} of ${Math.round(g.regionAreaKm2).toLocaleString()} km²)`
                    : `(${Math.round(g.areaKm2).toLocaleString()} km²)`}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.unserved.length > 0 ? (
        <>
          <h3 className="subheading">Districts nobody serves now ({report.unserved.length})</h3>
          <ul className="issue-list" data-testid="validation-unserved">
            {report.unserved.map((u) => (
              <li key={u.postId}>
                <Link to={`/posts/${u.postId}`}>{u.name}</Link>:{' '}
                {u.problem === 'no_delegate'
                  ? 'the post cannot serve its district and has no delegate.'
                  : 'its delegate cannot serve either.'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="muted small">
        The check covers the saved districts of every post. Save your changes, then check again.{' '}
        <button type="button" className="link-button" onClick={onRecheck} data-testid="recheck-district">
          Check again
        </button>
      </p>
    </div>
  );
}

function Editor({ post }: { post: Post | null }) {
  const id = useId();
  const params = useSearchParams();
  const [form, setForm] = useState<FormState>(() => fromPost(post));
  const [saved, setSaved] = useState<FormState>(() => fromPost(post));
  const [countries, setCountries] = useState<CountryInfo[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [reportVersion, setReportVersion] = useState(0);
  const [posts] = useResource(`posts#${reportVersion}`, loadPosts);
  const country = form.country;
  const [report, retryReport] = useResource(
    post && country ? `${country}#${reportVersion}` : null,
    loadReport,
  );
  const { names: regionNames } = useRegions(country || null);
  const action = useAction(async (f: FormState): Promise<Post> => {
    const input: PostInput = {
      kind: f.kind,
      name: f.name.trim(),
      city: f.city.trim(),
      country: f.country,
      location: { lat: Number(f.lat), lon: Number(f.lon) },
      contact: {
        phone: f.phone.trim() || null,
        email: f.email.trim() || null,
        address: f.address.trim() || null,
        hours: f.hours.trim() || null,
      },
      district: { regions: f.regions, geometry: f.geometry },
    };
    if (!post) return createPost(input);
    const { country: _fixed, ...patch } = input;
    return updatePost(post.id, patch);
  });
  const field = errorField(action.error);
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);
  const justSaved = params.get('saved') === '1' && !dirty;

  useEffect(() => {
    loadCountries().then(setCountries, () => undefined);
  }, []);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  // Other posts' districts in this country, so the editor sees what is already covered.
  const others = useMemo(() => {
    const map = new Map<string, string[]>();
    if (posts.status !== 'loaded') return map;
    for (const p of posts.data) {
      if (p.id === post?.id || p.country !== country) continue;
      for (const r of p.district.regions) map.set(r, [...(map.get(r) ?? []), p.name]);
    }
    return map;
  }, [posts, post?.id, country]);

  const otherShapes = useMemo(() => {
    if (posts.status !== 'loaded') return [];
    return posts.data
      .filter((p) => p.id !== post?.id && p.country === country && p.district.geometry)
      .map(
        (p): Feature => ({
          type: 'Feature',
          properties: { name: p.name },
          geometry: p.district.geometry as AreaGeometry,
        }),
      );
  }, [posts, post?.id, country]);

  const reportData = report.status === 'loaded' ? report.data : null;
  const issues = useMemo(() => {
    const states = new Map<string, 'overlap' | 'gap'>();
    for (const g of reportData?.gaps ?? []) states.set(g.region, 'gap');
    for (const o of reportData?.overlaps ?? []) for (const r of o.regions) states.set(r, 'overlap');
    for (const r of overlapRegions(action.error)) states.set(r, 'overlap');
    return states;
  }, [reportData, action.error]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!form.name.trim() || !form.city.trim()) return setProblem('Enter the post’s name and city.');
    if (!form.country) return setProblem('Choose the country.');
    const lat = Number(form.lat);
    const lon = Number(form.lon);
    if (form.lat === '' || form.lon === '' || !Number.isFinite(lat) || !Number.isFinite(lon)) {
      return setProblem('Enter the location (latitude and longitude), or click “Place post” on the map.');
    }
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
      return setProblem('Latitude is −90…90 and longitude −180…180.');
    const result = await action.run(form);
    if (!result) return;
    announceChange();
    const next = fromPost(result);
    setForm(next);
    setSaved(next);
    setReportVersion((v) => v + 1);
    if (!post) navigate(`/posts/${result.id}/edit?saved=1`, { replace: true });
  };

  const invalid = (name: string) =>
    field === name || field?.startsWith(`${name}.`) || field?.startsWith(`/${name}`) ? true : undefined;
  const location =
    form.lat !== '' &&
    form.lon !== '' &&
    Number.isFinite(Number(form.lat)) &&
    Number.isFinite(Number(form.lon))
      ? { lat: Number(form.lat), lon: Number(form.lon) }
      : null;

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="post-form">
      {justSaved || (action.error === null && !dirty && reportVersion > 0) ? (
        <p className="notice notice-good" role="status" data-testid="post-saved">
          Saved. {post ? <Link to={`/posts/${post.id}`}>Back to the post</Link> : null}
        </p>
      ) : null}
      <div className="columns">
        <div className="column-main">
          <Section title="Post">
            <div className="form-row">
              <SelectField
                id={`${id}-kind`}
                label="Kind"
                value={form.kind}
                onChange={(v) => set('kind', v as PostKind)}
                data-testid="post-kind"
              >
                {POST_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {POST_KIND_LABELS[k]}
                  </option>
                ))}
              </SelectField>
              <SelectField
                id={`${id}-country`}
                label="Country"
                hintBelow
                hint={post ? 'A post’s country cannot change.' : null}
                value={form.country}
                disabled={!!post}
                onChange={(v) => setForm((f) => ({ ...f, country: v, regions: [], geometry: null }))}
                invalid={invalid('country')}
                data-testid="post-country"
              >
                <option value="">Choose…</option>
                {countries.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </SelectField>
            </div>
            <div className="form-row">
              <TextField
                id={`${id}-name`}
                label="Name"
                value={form.name}
                onChange={(v) => set('name', v)}
                invalid={invalid('name')}
                placeholder="e.g. Consulate General Basrah"
                data-testid="post-name"
              />
              <TextField
                id={`${id}-city`}
                label="City"
                value={form.city}
                onChange={(v) => set('city', v)}
                invalid={invalid('city')}
                data-testid="post-city"
              />
            </div>
            <div className="form-row">
              <TextField
                id={`${id}-lat`}
                label="Latitude"
                inputMode="decimal"
                value={form.lat}
                onChange={(v) => set('lat', v)}
                invalid={invalid('location')}
                data-testid="post-lat"
              />
              <TextField
                id={`${id}-lon`}
                label="Longitude"
                inputMode="decimal"
                value={form.lon}
                onChange={(v) => set('lon', v)}
                invalid={invalid('location')}
                data-testid="post-lon"
              />
            </div>
          </Section>
        </div>
        <div className="column-side">
          <Section title="Contact">
            <TextField
              id={`${id}-phone`}
              label="Phone"
              type="tel"
              value={form.phone}
              onChange={(v) => set('phone', v)}
              invalid={invalid('contact.phone')}
            />
            <TextField
              id={`${id}-email`}
              label="Email"
              type="email"
              value={form.email}
              onChange={(v) => set('email', v)}
              invalid={invalid('contact.email')}
            />
            <TextAreaField
              id={`${id}-address`}
              label="Address"
              rows={2}
              value={form.address}
              onChange={(v) => set('address', v)}
            />
            <TextField
              id={`${id}-hours`}
              label="Hours"
              value={form.hours}
              onChange={(v) => set('hours', v)}
            />
          </Section>
        </div>
      </div>

      <Section title="Consular district" testId="district-section">
        {form.country ? (
          <DistrictEditor
            country={form.country}
            regions={form.regions}
            polygon={form.geometry}
            location={location}
            others={others}
            otherShapes={otherShapes}
            issues={issues}
            disabled={action.busy}
            onRegionsChange={(regions) => set('regions', regions)}
            onPolygonChange={(geometry) => set('geometry', geometry)}
            onLocationChange={({ lat, lon }) =>
              setForm((f) => ({ ...f, lat: String(lat), lon: String(lon) }))
            }
          />
        ) : (
          <p className="muted">Choose the country first.</p>
        )}
        {post ? (
          <>
            <h3 className="subheading">District check for {reportData?.name ?? country}</h3>
            <Loaded resource={report} onRetry={retryReport} what="the district check">
              {(r) => (
                <ValidationPanel
                  report={r}
                  regionNames={regionNames}
                  postId={post.id}
                  onRecheck={() => setReportVersion((v) => v + 1)}
                />
              )}
            </Loaded>
          </>
        ) : (
          <p className="muted small">
            After the post is created, the overlaps and gaps of its country are checked here.
          </p>
        )}
      </Section>

      <div className="editor-bar">
        <div className="editor-bar-status" role="status">
          {dirty ? (
            <span className="text-warn">Unsaved changes</span>
          ) : (
            <span className="muted">No unsaved changes</span>
          )}
        </div>
        <div className="editor-bar-errors">
          {problem ? (
            <div className="form-error" role="alert" data-testid="post-problem">
              <p>{problem}</p>
            </div>
          ) : null}
          <ErrorNotice error={action.error} title="Post not saved" testId="post-error" />
        </div>
        <div className="form-actions">
          {post ? (
            <Link to={`/posts/${post.id}`} className="button">
              {dirty ? 'Discard changes' : 'Back to the post'}
            </Link>
          ) : (
            <Link to="/posts" className="button">
              Cancel
            </Link>
          )}
          <button
            type="submit"
            className="button button-primary"
            disabled={action.busy || !dirty}
            data-testid="post-save"
          >
            {action.busy ? 'Saving…' : post ? 'Save changes' : 'Create post'}
          </button>
        </div>
      </div>
    </form>
  );
}

export default function PostEditPage({ id }: { id: string | null }) {
  const user = useUser();
  const [post, retry] = useResource(id, loadPost);
  if (id === null) {
    return (
      <Page title="New post" eyebrow={<Link to="/posts">← Posts</Link>} testId="post-edit-page" wide>
        {can.createPost(user) ? (
          <Editor post={null} />
        ) : (
          <p className="muted">Your role cannot create posts.</p>
        )}
      </Page>
    );
  }
  return (
    <Page
      title={post.status === 'loaded' ? `Edit ${post.data.name}` : 'Edit post'}
      eyebrow={<Link to={`/posts/${id}`}>← Post</Link>}
      testId="post-edit-page"
      wide
    >
      <Loaded resource={post} onRetry={retry} what="the post">
        {(p) =>
          can.editPost(user, p) ? (
            <Editor key={p.id} post={p} />
          ) : (
            <p className="muted">Your role cannot edit this post.</p>
          )
        }
      </Loaded>
    </Page>
  );
}
