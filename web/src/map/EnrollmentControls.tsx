import './enrollment.css';
import { Link } from '../app/router.tsx';
import { useUser } from '../app/session.tsx';
import type { CountryEnrollment } from '../enrollments/client.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { formatCount, formatDate, plural } from '../ui/format.ts';
import { classLabel, ENROLLMENT_CLASSES, type EnrollmentLayerState } from './enrollmentLayer.ts';

// The "Enrolled people" switch on the map, its legend, and the counts in the country panel.
// Counts of people with a current or upcoming trip; never who they are.

const fmt = formatCount;

interface ControlsProps {
  visible: boolean;
  onVisibleChange: (visible: boolean) => void;
  layer: EnrollmentLayerState;
  countryNames: ReadonlyMap<string, string>;
  onSelectCountry: (code: string) => void;
}

export function EnrollmentControls({
  visible,
  onVisibleChange,
  layer,
  countryNames,
  onSelectCountry,
}: ControlsProps) {
  const countries = [...(layer.stats?.countries ?? [])]
    .filter((c) => c.persons > 0)
    .sort((a, b) => b.persons - a.persons);
  return (
    <section
      className="map-status enrollment-controls"
      aria-label="Enrolled people"
      data-testid="enrollment-controls"
      data-status={visible ? layer.status : 'hidden'}
      data-total={layer.total}
    >
      <label className="checkbox">
        <input
          type="checkbox"
          checked={visible}
          onChange={(e) => onVisibleChange(e.target.checked)}
          data-testid="enrollment-toggle"
        />{' '}
        <strong>Enrolled people</strong>
      </label>
      {visible && layer.status === 'loading' ? <p className="muted">Loading counts…</p> : null}
      {visible && layer.status === 'error' ? (
        <ErrorNotice error={layer.error} title="Could not load enrollment counts" testId="enrollment-error" />
      ) : null}
      {visible && layer.stats ? (
        <>
          <p className="enrollment-summary" data-testid="enrollment-summary">
            {countries.length === 0
              ? 'Nobody is enrolled for a current or upcoming trip.'
              : `${plural(layer.total, 'person', 'people')} in ${plural(countries.length, 'country', 'countries')}, ${layer.detail ? 'by region' : 'by country'}.`}
          </p>
          {countries.length > 0 ? (
            <ol className="enrollment-top">
              {countries.slice(0, 5).map((c) => (
                <li key={c.country}>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onSelectCountry(c.country)}
                    data-testid={`enrollment-country-${c.country}`}
                  >
                    {countryNames.get(c.country) ?? c.country}
                  </button>{' '}
                  <span className="enrollment-count">{fmt(c.persons)}</span>
                </li>
              ))}
            </ol>
          ) : null}
          {countries.length > 5 ? (
            <p className="muted small">
              and {plural(countries.length - 5, 'other country', 'other countries')}
            </p>
          ) : null}
          <p className="muted small">Current and upcoming trips, as of {formatDate(layer.stats.asOf)}.</p>
        </>
      ) : null}
    </section>
  );
}

export function EnrollmentLegend() {
  return (
    <>
      <h3>Enrolled people</h3>
      <ul data-testid="enrollment-legend">
        {ENROLLMENT_CLASSES.map((c, i) => (
          <li key={c.min}>
            <span
              className="legend-circle"
              style={{ background: c.color, borderColor: c.stroke, width: c.radius, height: c.radius }}
              aria-hidden="true"
            />
            {classLabel(i)}
          </li>
        ))}
        <li className="muted small">Per country; per region when zoomed in</li>
      </ul>
    </>
  );
}

interface SummaryProps {
  entry: CountryEnrollment | undefined;
  regionNames: ReadonlyMap<string, string>;
  status: EnrollmentLayerState['status'];
}

/** The country panel's counts: people and trips, then by region (largest first). */
export function EnrollmentSummary({ entry, regionNames, status }: SummaryProps) {
  const user = useUser();
  if (status !== 'loaded') return null;
  // The names behind a count: officers (in scope), crisis managers and admins, audited with a reason.
  const listing = user.role !== 'viewer';
  const peopleAt = (region: string | null) =>
    `/travellers?country=${entry?.country ?? ''}${region ? `&region=${encodeURIComponent(region)}` : ''}`;
  const regions = [...(entry?.regions ?? [])].sort((a, b) => b.persons - a.persons);
  return (
    <section className="panel-section" data-testid="panel-enrollment" data-persons={entry?.persons ?? 0}>
      <h3 className="panel-heading">Enrolled people</h3>
      {!entry || entry.persons === 0 ? (
        <p className="muted">Nobody is enrolled here for a current or upcoming trip.</p>
      ) : (
        <>
          <p>
            <strong>{plural(entry.persons, 'person', 'people')}</strong>,{' '}
            {plural(entry.trips, 'trip', 'trips')} (current and upcoming)
            {listing ? (
              <>
                {' · '}
                <Link to={peopleAt(null)} data-testid="panel-enrollment-list">
                  List them
                </Link>
              </>
            ) : null}
          </p>
          <table className="panel-table">
            <thead>
              <tr>
                <th scope="col">Region</th>
                <th scope="col" className="num">
                  People
                </th>
                <th scope="col" className="num">
                  Trips
                </th>
              </tr>
            </thead>
            <tbody>
              {regions.map((r) => (
                <tr key={r.region ?? ''} data-region={r.region ?? ''}>
                  <td>
                    {r.region ? (
                      (regionNames.get(r.region) ?? r.region)
                    ) : (
                      <span className="muted">Anywhere in the country</span>
                    )}
                  </td>
                  <td className="num">
                    {listing && r.region ? (
                      <Link to={peopleAt(r.region)} title="List these people (audited)">
                        {fmt(r.persons)}
                      </Link>
                    ) : (
                      fmt(r.persons)
                    )}
                  </td>
                  <td className="num">{fmt(r.trips)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
