import { useEffect, useId, useMemo, useState } from 'react';
import { Link, setSearchParams, useSearchParams } from '../app/router.tsx';
import { isReadOnly, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { useCountryNames } from '../geo/reference.ts';
import { fetchPosts } from '../posts/client.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { Loaded, Page } from '../ui/Page.tsx';
import { fetchIncidents, type Incident, type IncidentFilter } from './client.ts';
import { casualtyText, incidentWhen, TypeTag } from './IncidentFacts.tsx';
import { INCIDENT_TYPES, subTypesOf, typeLabel } from './taxonomy.ts';

const PAGE = 100;
const FILTERS = ['from', 'to', 'type', 'country', 'postId', 'actor', 'includeRetracted'] as const;

function filterOf(params: URLSearchParams): IncidentFilter {
  return {
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    type: params.get('type') ?? undefined,
    country: params.get('country') ?? undefined,
    postId: params.get('postId') ?? undefined,
    actor: params.get('actor') ?? undefined,
    includeRetracted: params.get('includeRetracted') === 'true' ? true : undefined,
  };
}

const loadPage = (key: string, signal: AbortSignal) =>
  fetchIncidents({ ...filterOf(new URLSearchParams(key)), limit: PAGE }, signal);
const loadPosts = (_key: string, signal: AbortSignal) => fetchPosts(signal);

export function IncidentTable({
  incidents,
  postNames,
  countryNames,
  testId = 'incidents-table',
}: {
  incidents: Incident[];
  postNames: Map<string, string>;
  countryNames: Map<string, string>;
  testId?: string;
}) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Where</th>
            <th scope="col">Actors</th>
            <th scope="col">Casualties</th>
            <th scope="col">Near posts</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((i) => (
            <tr
              key={i.id}
              data-testid={`incident-row-${i.id}`}
              className={i.retraction ? 'row-retracted' : undefined}
            >
              <td>
                <Link to={`/incidents/${i.id}`} className="strong-link">
                  {incidentWhen(i)}
                </Link>
                {i.retraction ? <div className="small text-overdue">Retracted</div> : null}
              </td>
              <td>
                <TypeTag type={i.type} subType={i.subType} />
              </td>
              <td>
                {i.location.place ?? ''}
                <div className="muted small">{countryNames.get(i.country) ?? i.country}</div>
              </td>
              <td className="small">
                {i.actors.length === 0
                  ? '—'
                  : i.actors.map((a, k) => (
                      <span key={`${a.actorId}-${a.role}`}>
                        {k > 0 ? '; ' : ''}
                        <Link to={`/actors/${a.actorId}`}>{a.name}</Link>{' '}
                        <span className="muted">
                          ({a.role}, {a.confidence})
                        </span>
                      </span>
                    ))}
              </td>
              <td className="small">{casualtyText(i)}</td>
              <td className="small">
                {i.posts.length === 0
                  ? '—'
                  : i.posts
                      .map((l) => `${postNames.get(l.postId) ?? 'Post'} (${l.distanceKm.toFixed(0)} km)`)
                      .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function IncidentsPage() {
  const user = useUser();
  const id = useId();
  const params = useSearchParams();
  const key = useMemo(() => {
    const out = new URLSearchParams();
    for (const k of FILTERS) {
      const v = params.get(k);
      if (v) out.set(k, v);
    }
    return out.toString();
  }, [params]);
  const [first, retry] = useResource(key, loadPage);
  const [more, setMore] = useState<{ key: string; incidents: Incident[]; cursor: string | null } | null>(
    null,
  );
  const [posts] = useResource('posts', loadPosts);
  const countryNames = useCountryNames();
  const postNames = useMemo(
    () => new Map((posts.status === 'loaded' ? posts.data : []).map((p) => [p.id, p.name])),
    [posts],
  );
  const loadMore = useAction(async (cursor: string) =>
    fetchIncidents({ ...filterOf(new URLSearchParams(key)), limit: PAGE, cursor }),
  );
  useEffect(() => {
    void key;
    setMore(null);
  }, [key]);

  const filter = filterOf(params);
  const typeValue = filter.type ?? '';
  const postFilterName = filter.postId ? postNames.get(filter.postId) : undefined;

  return (
    <Page
      title="Incidents"
      testId="incidents-page"
      wide
      meta={<p className="muted">What happened where, who did it, and on whose word. Newest first.</p>}
      actions={
        isReadOnly(user) ? null : (
          <>
            <Link to="/incidents/import" className="button" data-testid="import-link">
              Import ACLED CSV
            </Link>
            <Link to="/incidents/new" className="button button-primary" data-testid="new-incident">
              New incident
            </Link>
          </>
        )
      }
    >
      <form
        className="toolbar incident-filters"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Filter incidents"
      >
        <label className="field">
          <span className="field-label">Type</span>
          <select
            value={typeValue}
            onChange={(e) => setSearchParams({ type: e.target.value || null })}
            data-testid="filter-type"
          >
            <option value="">All types</option>
            {INCIDENT_TYPES.map((t) => (
              <optgroup key={t} label={typeLabel(t)}>
                <option value={t}>All {typeLabel(t)}</option>
                {subTypesOf(t).map(([code, name]) =>
                  code === 'other' ? null : (
                    <option key={code} value={code}>
                      {name}
                    </option>
                  ),
                )}
              </optgroup>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">From</span>
          <input
            type="date"
            value={filter.from ?? ''}
            onChange={(e) => setSearchParams({ from: e.target.value || null })}
          />
        </label>
        <label className="field">
          <span className="field-label">To</span>
          <input
            type="date"
            value={filter.to ?? ''}
            onChange={(e) => setSearchParams({ to: e.target.value || null })}
          />
        </label>
        <label className="field">
          <span className="field-label">Country</span>
          <input
            value={filter.country ?? ''}
            maxLength={2}
            size={4}
            placeholder="ISO"
            onChange={(e) => setSearchParams({ country: e.target.value.toUpperCase() || null })}
          />
        </label>
        <label className="checkbox" htmlFor={`${id}-retracted`}>
          <input
            id={`${id}-retracted`}
            type="checkbox"
            checked={!!filter.includeRetracted}
            onChange={(e) => setSearchParams({ includeRetracted: e.target.checked ? 'true' : null })}
          />{' '}
          Include retracted
        </label>
      </form>
      {filter.postId || filter.actor ? (
        <p className="notice notice-info small">
          {filter.postId ? <>Near {postFilterName ?? 'one post'}. </> : null}
          {filter.actor ? <>Involving one actor. </> : null}
          <button
            type="button"
            className="link-button"
            onClick={() => setSearchParams({ postId: null, actor: null })}
          >
            Show all
          </button>
        </p>
      ) : null}
      <Loaded resource={first} onRetry={retry} what="incidents">
        {(page) => {
          const all = [...page.incidents, ...(more?.key === key ? more.incidents : [])];
          const cursor = more?.key === key ? more.cursor : page.nextCursor;
          if (all.length === 0) {
            return (
              <div className="empty" data-testid="no-incidents">
                <p>No incidents match.</p>
              </div>
            );
          }
          return (
            <>
              <IncidentTable incidents={all} postNames={postNames} countryNames={countryNames} />
              <p className="muted small">
                {all.length} shown{cursor ? '; more match' : ''}.
              </p>
              {cursor ? (
                <button
                  type="button"
                  className="button"
                  disabled={loadMore.busy}
                  onClick={async () => {
                    const next = await loadMore.run(cursor);
                    if (next)
                      setMore({
                        key,
                        incidents: [...(more?.key === key ? more.incidents : []), ...next.incidents],
                        cursor: next.nextCursor,
                      });
                  }}
                >
                  Load more
                </button>
              ) : null}
              <ErrorNotice error={loadMore.error} title="Could not load more" />
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}
