import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link, navigate } from '../app/router.tsx';
import { inScope, useUser } from '../app/session.tsx';
import { useResource } from '../app/useResource.ts';
import { type CountryInfo, loadCountries } from '../geo/reference.ts';
import { Indicators, LevelBadge } from '../ui/Badges.tsx';
import { formatDate } from '../ui/format.ts';
import { Loaded, Page } from '../ui/Page.tsx';
import { type AdvisoryListItem, fetchAdvisories, fetchOverdue, type OverdueItem } from './client.ts';

interface Row extends AdvisoryListItem {
  overdue: OverdueItem | null;
}

const loadList = async (_key: string, signal: AbortSignal): Promise<Row[]> => {
  const [list, overdue] = await Promise.all([
    fetchAdvisories(signal),
    // A convenience: without it the review dates in the list still tell.
    fetchOverdue(signal).catch(() => [] as OverdueItem[]),
  ]);
  const late = new Map(overdue.map((o) => [o.country, o]));
  return list.map((a) => ({ ...a, overdue: late.get(a.country) ?? null }));
};

function StartAdvisory({ existing }: { existing: Set<string> }) {
  const user = useUser();
  const id = useId();
  const [countries, setCountries] = useState<CountryInfo[]>([]);
  const [code, setCode] = useState('');
  useEffect(() => {
    loadCountries().then(setCountries, () => undefined);
  }, []);
  const options = countries.filter((c) => !existing.has(c.code) && inScope(user, { country: c.code }));
  if (options.length === 0) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code) navigate(`/advisories/${code}`);
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={`${id}-c`}>Another country</label>
      <select
        id={`${id}-c`}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        data-testid="advisory-country-pick"
      >
        <option value="">Choose…</option>
        {options.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button" disabled={!code} data-testid="advisory-country-open">
        Open
      </button>
    </form>
  );
}

export default function AdvisoriesPage() {
  const [rows, retry] = useResource('advisories', loadList);

  return (
    <Page
      title="Advisories"
      testId="advisories-page"
      meta={<p className="muted">Travel advisory level per country, and when each is due for review.</p>}
      actions={
        rows.status === 'loaded' ? (
          <StartAdvisory existing={new Set(rows.data.map((r) => r.country))} />
        ) : null
      }
    >
      <Loaded resource={rows} onRetry={retry} what="advisories">
        {(list) => {
          const isLate = (r: Row) => r.overdue !== null || r.current?.overdue === true;
          const overdue = list.filter(isLate).length;
          const sorted = [...list].sort(
            (a, b) =>
              Number(isLate(b)) - Number(isLate(a)) ||
              (b.current?.edition.level ?? 0) - (a.current?.edition.level ?? 0) ||
              a.countryName.localeCompare(b.countryName),
          );
          if (list.length === 0) {
            return <p className="empty">No advisories yet. Choose a country above to write the first one.</p>;
          }
          return (
            <>
              {overdue > 0 ? (
                <p className="notice notice-warn" data-testid="overdue-summary">
                  <strong>
                    {overdue} {overdue === 1 ? 'advisory is' : 'advisories are'} overdue for review.
                  </strong>{' '}
                  They are listed first.
                </p>
              ) : null}
              <div className="table-wrap">
                <table className="table" data-testid="advisories-table">
                  <thead>
                    <tr>
                      <th scope="col">Country</th>
                      <th scope="col">Level</th>
                      <th scope="col">Indicators</th>
                      <th scope="col">Published</th>
                      <th scope="col">Last reviewed</th>
                      <th scope="col">Next review</th>
                      <th scope="col">Drafts</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sorted.map((row) => {
                      const late = isLate(row);
                      const e = row.current?.edition;
                      return (
                        <tr
                          key={row.country}
                          className={late ? 'row-overdue' : undefined}
                          data-testid={`advisory-row-${row.country}`}
                          data-overdue={late ? 'true' : 'false'}
                        >
                          <td>
                            <Link to={`/advisories/${row.country}`} className="strong-link">
                              {row.countryName}
                            </Link>
                          </td>
                          <td>
                            {e ? (
                              <LevelBadge level={e.level} />
                            ) : (
                              <span className="muted">Not published</span>
                            )}
                          </td>
                          <td>{e ? <Indicators codes={e.indicators} /> : null}</td>
                          <td>{formatDate(e?.publishedAt)}</td>
                          <td>{formatDate(row.current?.reviewedAt)}</td>
                          <td>
                            {late ? (
                              <span className="badge tone-bad" data-testid="overdue-badge">
                                {row.overdue && row.overdue.daysOverdue > 0
                                  ? `Overdue ${row.overdue.daysOverdue} day${row.overdue.daysOverdue === 1 ? '' : 's'}`
                                  : 'Overdue'}
                              </span>
                            ) : null}{' '}
                            {row.current ? formatDate(row.current.nextReviewDue) : ''}
                          </td>
                          <td>
                            {row.drafts.length > 0 ? (
                              <span className="badge tone-info">
                                {row.drafts.length === 1 ? 'Draft' : `${row.drafts.length} drafts`}
                              </span>
                            ) : null}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}
