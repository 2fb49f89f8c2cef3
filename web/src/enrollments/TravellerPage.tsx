import { type FormEvent, useEffect, useState } from 'react';
import { Link } from '../app/router.tsx';
import { useAction } from '../app/useAction.ts';
import { useCountryNames } from '../geo/reference.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { formatDate, formatDateTime, humanize } from '../ui/format.ts';
import { Page, Section } from '../ui/Page.tsx';
import { rememberedReason, rememberReason, viewTraveller } from './client.ts';
import { ReasonField } from './TravellersPage.tsx';

type View = Awaited<ReturnType<typeof viewTraveller>>;

/** One traveller, opened only once a reason is given (the read's audit entry carries it). */
export default function TravellerPage({ id }: { id: string }) {
  const names = useCountryNames();
  const [reason, setReason] = useState(rememberedReason());
  const [view, setView] = useState<View | null>(null);
  const open = useAction(async (why: string) => {
    rememberReason(why);
    return viewTraveller(id, why);
  });
  // Opened from a search: the reason typed there is the reason for this read too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on arrival
  useEffect(() => {
    const remembered = rememberedReason();
    if (remembered.length >= 3) open.run(remembered).then((v) => v && setView(v));
  }, [id]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const v = await open.run(reason.trim());
    if (v) setView(v);
  };
  const eyebrow = <Link to="/travellers">Find a traveller</Link>;
  if (!view) {
    return (
      <Page title="Traveller" eyebrow={eyebrow} testId="traveller-page">
        <Section title="Open this person’s record">
          <form className="traveller-search" onSubmit={submit}>
            <ReasonField id="traveller-view-reason" value={reason} onChange={setReason} />
            <div className="form-actions">
              <button
                type="submit"
                className="button button-primary"
                disabled={open.busy || reason.trim().length < 3}
                data-testid="traveller-open"
              >
                Open
              </button>
            </div>
          </form>
          {open.busy ? (
            <p className="loading" role="status">
              Opening…
            </p>
          ) : null}
          <ErrorNotice error={open.error} title="Could not open the record" />
        </Section>
      </Page>
    );
  }
  const { enrollment: e, messages } = view;
  return (
    <Page
      title={e.name}
      eyebrow={eyebrow}
      testId="traveller-page"
      meta={<p className="muted">Opened for: {rememberedReason()}</p>}
    >
      <Section title="Contacts">
        <dl className="traveller-facts" data-testid="traveller-contacts">
          {e.contacts.map((c) => (
            <div key={`${c.kind}:${c.value}`} style={{ display: 'contents' }}>
              <dt>{humanize(c.kind)}</dt>
              <dd>
                {c.value}{' '}
                {c.verified ? (
                  <span className="badge tone-good">Verified</span>
                ) : (
                  <span className="badge tone-warn">Not verified</span>
                )}
              </dd>
            </div>
          ))}
          <dt>Emergency contact</dt>
          <dd>
            {[e.emergencyContact.name, e.emergencyContact.phone, e.emergencyContact.email]
              .filter(Boolean)
              .join(' · ')}
          </dd>
          <dt>Language</dt>
          <dd>{e.language}</dd>
          <dt>Enrolled</dt>
          <dd>{formatDateTime(e.createdAt)}</dd>
          {e.unsubscribedAt ? (
            <>
              <dt>Messages</dt>
              <dd>Stopped {formatDateTime(e.unsubscribedAt)}</dd>
            </>
          ) : null}
        </dl>
      </Section>
      <Section title="Trips">
        <div className="table-wrap">
          <table className="table" data-testid="traveller-trips">
            <thead>
              <tr>
                <th scope="col">Country</th>
                <th scope="col">Where</th>
                <th scope="col">Arrival</th>
                <th scope="col">Departure</th>
              </tr>
            </thead>
            <tbody>
              {e.trips.map((t) => (
                <tr key={t.id}>
                  <td>{names.get(t.country) ?? t.country}</td>
                  <td>
                    {t.placeName ??
                      t.region ??
                      (t.point ? `${t.point.lat.toFixed(3)}, ${t.point.lon.toFixed(3)}` : 'whole country')}
                  </td>
                  <td>{formatDate(t.arrival)}</td>
                  <td>
                    {t.departure
                      ? formatDate(t.departure)
                      : t.presence === 'unconfirmed'
                        ? 'open-ended (presence unconfirmed)'
                        : 'open-ended'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title="Messages and deliveries">
        {messages.length === 0 ? (
          <p className="muted">No messages.</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="traveller-messages">
              <thead>
                <tr>
                  <th scope="col">Queued</th>
                  <th scope="col">Message</th>
                  <th scope="col">Channel</th>
                  <th scope="col">State</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Sent</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr key={m.id}>
                    <td>{formatDateTime(m.createdAt)}</td>
                    <td>{humanize(m.template)}</td>
                    <td>{humanize(m.channel)}</td>
                    <td>
                      {humanize(m.status)}
                      {m.lastError ? <span className="muted"> ({m.lastError})</span> : null}
                    </td>
                    <td>{m.attempts.toLocaleString()}</td>
                    <td>{m.sentAt ? formatDateTime(m.sentAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </Page>
  );
}
