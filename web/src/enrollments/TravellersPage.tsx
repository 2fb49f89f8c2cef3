import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from '../app/router.tsx';
import { useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useCountryNames } from '../geo/reference.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { TextField } from '../ui/Field.tsx';
import { Page, Section } from '../ui/Page.tsx';
import {
  rememberedReason,
  rememberReason,
  searchTravellers,
  type TravellerHit,
  travellersIn,
} from './client.ts';

const FINDERS = new Set(['admin', 'crisis_manager', 'officer']);

/** The reason for looking, required, written into the audit entry of the search or read. */
export function ReasonField({
  value,
  onChange,
  id,
}: {
  value: string;
  onChange: (v: string) => void;
  id: string;
}) {
  return (
    <TextField
      id={id}
      label="Why do you need this?"
      fieldClass="reason-field"
      hint="Recorded in the audit log with what you see, e.g. “Family enquiry, case 2018/114”."
      hintBelow
      value={value}
      onChange={onChange}
      required
      minLength={3}
      maxLength={500}
      data-testid={id}
    />
  );
}

function Results({
  list,
  truncated,
  names,
}: {
  list: TravellerHit[];
  truncated: boolean;
  names: Map<string, string>;
}) {
  if (list.length === 0)
    return (
      <p className="muted" data-testid="traveller-none">
        Nobody found within your scope.
      </p>
    );
  return (
    <>
      {truncated ? (
        <p className="notice notice-warn">More people than shown: narrow by country or region.</p>
      ) : null}
      <div className="table-wrap">
        <table className="table" data-testid="traveller-results">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Trips in</th>
            </tr>
          </thead>
          <tbody>
            {list.map((t) => (
              <tr key={t.id}>
                <td>
                  <Link to={`/travellers/${t.id}`} className="strong-link" data-testid="traveller-result">
                    {t.name}
                  </Link>
                </td>
                <td>{t.countries.map((c) => names.get(c) ?? c).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export default function TravellersPage() {
  const user = useUser();
  const names = useCountryNames();
  const params = useSearchParams();
  // From the map: the people behind one enrolled-people bubble.
  const area = params.get('country');
  const region = params.get('region');
  const [query, setQuery] = useState('');
  const [reason, setReason] = useState(rememberedReason());
  const run = useAction(async () => {
    rememberReason(reason.trim());
    return area
      ? travellersIn(area, { reason: reason.trim(), ...(region && { region }) })
      : searchTravellers({ query: query.trim(), reason: reason.trim() });
  });
  const [result, setResult] = useState<{ travellers: TravellerHit[]; truncated: boolean } | null>(null);
  if (!FINDERS.has(user.role)) {
    return (
      <Page title="Find a traveller">
        <p className="notice notice-warn">Officers, crisis managers and administrators find travellers.</p>
      </Page>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = await run.run();
    if (found) setResult(found);
  };
  const where = area ? `${region ? `${region}, ` : ''}${names.get(area) ?? area}` : null;
  return (
    <Page
      title={where ? `Enrolled people in ${where}` : 'Find a traveller'}
      testId="travellers-page"
      meta={
        <p className="muted">
          {where
            ? 'Everyone with a current or upcoming trip there. '
            : 'By email address or phone number (exact), or by part of a name. '}
          Only people with trips within your scope are found; every search and every person opened is audited.
        </p>
      }
    >
      <Section title={where ? 'List them' : 'Search'}>
        <form className="traveller-search" onSubmit={submit} data-testid="traveller-search">
          {area ? null : (
            <TextField
              id="traveller-query"
              label="Email, phone or name"
              value={query}
              onChange={setQuery}
              required
              minLength={2}
              maxLength={254}
              data-testid="traveller-query"
            />
          )}
          <ReasonField id="traveller-reason" value={reason} onChange={setReason} />
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={run.busy || reason.trim().length < 3 || (!area && query.trim().length < 2)}
              data-testid="traveller-submit"
            >
              {area ? 'Show them' : 'Search'}
            </button>
          </div>
        </form>
        <ErrorNotice error={run.error} title="Could not search" />
        {result ? <Results list={result.travellers} truncated={result.truncated} names={names} /> : null}
      </Section>
    </Page>
  );
}
