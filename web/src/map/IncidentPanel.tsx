import { Link } from '../app/router.tsx';
import { useResource } from '../app/useResource.ts';
import { useRegions } from '../geo/reference.ts';
import { fetchIncident } from '../incidents/client.ts';
import {
  ActorList,
  casualtyText,
  incidentWhen,
  placeText,
  precisionText,
  SourceList,
  TypeTag,
} from '../incidents/IncidentFacts.tsx';
import type { Post } from '../posts/client.ts';
import { Loaded } from '../ui/Page.tsx';

const load = (key: string, signal: AbortSignal) => fetchIncident(key, signal);

interface Props {
  id: string;
  postsById: Map<string, Post>;
  countryNames: Map<string, string>;
  onSelectPost: (id: string) => void;
  onClose: () => void;
}

/** An incident clicked on the map: what happened, who, how bad, on whose word. */
export function IncidentPanel({ id, postsById, countryNames, onSelectPost, onClose }: Props) {
  const [incident, retry] = useResource(id, load);
  const { names: regionNames } = useRegions(incident.status === 'loaded' ? incident.data.country : null);
  return (
    <aside
      className="country-panel incident-panel"
      aria-labelledby="incident-panel-title"
      data-testid="incident-panel"
      data-incident-id={id}
    >
      <div className="country-panel-header">
        <h2 id="incident-panel-title" className="country-panel-title">
          Incident
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close incident">
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="country-panel-body">
        <Loaded resource={incident} onRetry={retry} what="the incident">
          {(i) => {
            const target = i.target.postId ? postsById.get(i.target.postId) : undefined;
            return (
              <>
                <section className="panel-section">
                  <TypeTag type={i.type} subType={i.subType} testId="incident-panel-type" />
                  <p className="small" data-testid="incident-panel-when">
                    {incidentWhen(i)}
                  </p>
                  <p className="small">
                    {placeText(i, {
                      country: countryNames.get(i.country),
                      region: i.region ? regionNames.get(i.region) : undefined,
                    })}{' '}
                    <span className="muted">({precisionText(i.location.precision).toLowerCase()})</span>
                  </p>
                  {i.retraction ? (
                    <p className="small text-overdue" data-testid="incident-panel-retracted">
                      Retracted: {i.retraction.reason}
                    </p>
                  ) : null}
                </section>
                <section className="panel-section">
                  <h3 className="panel-heading">Actors</h3>
                  <ActorList actors={i.actors} />
                </section>
                <section className="panel-section">
                  <h3 className="panel-heading">Target and casualties</h3>
                  {target || i.target.text ? (
                    <p className="small">
                      {i.target.text}
                      {target && i.target.text ? ' · ' : ''}
                      {target ? (
                        <button type="button" className="link-button" onClick={() => onSelectPost(target.id)}>
                          {target.name}
                        </button>
                      ) : null}
                    </p>
                  ) : null}
                  <p className="small" data-testid="incident-panel-casualties">
                    {casualtyText(i)}
                  </p>
                </section>
                {i.notes ? (
                  <section className="panel-section">
                    <h3 className="panel-heading">Notes</h3>
                    <p className="small prewrap">{i.notes}</p>
                  </section>
                ) : null}
                <section className="panel-section">
                  <h3 className="panel-heading">Sources</h3>
                  <SourceList sources={i.sources} />
                </section>
                {i.posts.length > 0 ? (
                  <section className="panel-section">
                    <h3 className="panel-heading">Near posts</h3>
                    <ul className="panel-posts">
                      {i.posts.map((l) => (
                        <li key={l.postId} className="small">
                          {postsById.get(l.postId)?.name ?? 'Post'} · {l.distanceKm.toFixed(1)} km
                        </li>
                      ))}
                    </ul>
                  </section>
                ) : null}
                <Link
                  to={`/incidents/${i.id}`}
                  className="button button-small"
                  data-testid="incident-panel-link"
                >
                  Open incident page
                </Link>
              </>
            );
          }}
        </Loaded>
      </div>
    </aside>
  );
}
