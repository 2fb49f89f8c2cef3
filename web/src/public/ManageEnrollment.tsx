import { type FormEvent, useState } from 'react';
import { ApiError } from '../app/api.ts';
import {
  confirmMyTrip,
  type Enrollment,
  type EnrollmentPatch,
  eraseMine,
  exportMine,
  unsubscribeMine,
  updateMine,
} from '../enrollments/client.ts';
import { formatDate, formatDateTime } from '../ui/format.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import {
  DETAIL_KEYS,
  type DetailsDraft,
  DetailsFields,
  detailLabel,
  detailProblems,
  editedKeys,
  emergencyContactOf,
} from './DetailsFields.tsx';
import { ErrorSummary, PublicError } from './Field.tsx';
import { type FieldErrors, fieldErrorsOf, withoutKeys } from './fieldErrors.ts';
import { TripsEditor, useCountryList } from './TripsEditor.tsx';
import {
  editedTrips,
  type TripDraft,
  tripFromSaved,
  tripInput,
  tripKeys,
  tripLabel,
  tripProblems,
} from './trips.ts';

const contactOf = (e: Enrollment, kind: 'email' | 'phone') => e.contacts.find((c) => c.kind === kind);

function detailsOf(e: Enrollment): DetailsDraft {
  return {
    name: e.name,
    email: contactOf(e, 'email')?.value ?? '',
    phone: contactOf(e, 'phone')?.value ?? '',
    language: e.language,
    ecName: e.emergencyContact.name,
    ecPhone: e.emergencyContact.phone ?? '',
    ecEmail: e.emergencyContact.email ?? '',
    webhookUrl: e.webhookUrl ?? '',
  };
}

const label = (key: string) => detailLabel(key) ?? tripLabel(key) ?? key;

interface Props {
  session: string;
  enrollment: Enrollment;
  expiresAt: string;
  onChanged: (enrollment: Enrollment) => void;
  /** The session is no longer valid (expired): the page asks for a new link. */
  onExpired: () => void;
  onErased: () => void;
  onDone: () => void;
}

/** One save at a time, with its own field errors and outcome line. */
function useSave(onExpired: () => void) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const run = async (problems: FieldErrors, work: () => Promise<string>) => {
    setErrors(problems);
    setAttempt((n) => n + 1);
    setFailure(null);
    setSaved(null);
    if (Object.keys(problems).length > 0 || busy) return;
    setBusy(true);
    try {
      setSaved(await work());
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_token') return onExpired();
      const byField = fieldErrorsOf(err);
      setErrors(byField);
      setAttempt((n) => n + 1);
      if (Object.keys(byField).length === 0) setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return { errors, failure, busy, saved, run, setErrors, attempt };
}

export function ManageEnrollment({
  session,
  enrollment,
  expiresAt,
  onChanged,
  onExpired,
  onErased,
  onDone,
}: Props) {
  const [trips, setTrips] = useState<TripDraft[]>(() => enrollment.trips.map(tripFromSaved));
  const [details, setDetails] = useState<DetailsDraft>(() => detailsOf(enrollment));
  const tripSave = useSave(onExpired);
  const detailSave = useSave(onExpired);
  const other = useSave(onExpired);
  const email = contactOf(enrollment, 'email');
  const phone = contactOf(enrollment, 'phone');

  const saveTrips = (event: FormEvent) => {
    event.preventDefault();
    void tripSave.run(tripProblems(trips), async () => {
      const next = await updateMine(session, { trips: trips.map(tripInput) });
      setTrips(next.trips.map(tripFromSaved));
      onChanged(next);
      return `Trips saved: ${next.trips.length}.`;
    });
  };

  const saveDetails = (event: FormEvent) => {
    event.preventDefault();
    const before = detailsOf(enrollment);
    const patch: EnrollmentPatch = {
      name: details.name.trim(),
      language: details.language,
      emergencyContact: emergencyContactOf(details),
      webhookUrl: details.webhookUrl.trim() || null,
    };
    if (details.email.trim() !== before.email) patch.email = details.email.trim() || null;
    if (details.phone.trim() !== before.phone) patch.phone = details.phone.trim() || null;
    void detailSave.run(detailProblems(details), async () => {
      const next = await updateMine(session, patch);
      setDetails(detailsOf(next));
      onChanged(next);
      return patch.email || patch.phone
        ? 'Saved. We have sent a message to confirm the new contact.'
        : 'Your details are saved.';
    });
  };

  const download = () =>
    void other.run({}, async () => {
      const blob = await exportMine(session);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = 'warden-enrollment.json';
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return 'Your data was downloaded as warden-enrollment.json.';
    });

  const stop = () =>
    void other.run({}, async () => {
      await unsubscribeMine(session);
      onChanged({ ...enrollment, unsubscribedAt: new Date().toISOString() });
      return 'We will send you no more messages.';
    });

  const erase = () =>
    void other.run({}, async () => {
      await eraseMine(session);
      onErased();
      return '';
    });

  return (
    <div className="stack" data-testid="manage-enrollment">
      <div className="manage-bar">
        <p className="muted small">
          You can make changes until {formatDateTime(expiresAt)}; after that, ask for a new link.
        </p>
        <button type="button" className="button button-small" onClick={onDone} data-testid="manage-done">
          Done
        </button>
      </div>
      {enrollment.unsubscribedAt ? (
        <div className="notice notice-warn" data-testid="unsubscribed-notice">
          <p>You stopped all messages on {formatDate(enrollment.unsubscribedAt)}. We will not contact you.</p>
        </div>
      ) : null}

      <section className="card" aria-labelledby="contacts-title" data-testid="manage-contacts">
        <h2 id="contacts-title" className="card-title">
          How we reach you
        </h2>
        <ul className="contact-list">
          {[email, phone].map((c) =>
            c ? (
              <li key={c.kind} data-testid={`contact-${c.kind}`} data-verified={c.verified}>
                <span className="contact-kind">{c.kind === 'email' ? 'Email' : 'Mobile'}</span>{' '}
                <span className="contact-value">{c.value}</span>{' '}
                <span className={`badge ${c.verified ? 'tone-good' : 'tone-warn'}`}>
                  {c.verified ? 'Confirmed' : 'Waiting for confirmation'}
                </span>
              </li>
            ) : null,
          )}
        </ul>
        <p className="muted small">Enrolled since {formatDate(enrollment.createdAt)}.</p>
      </section>

      <Presence
        enrollment={enrollment}
        onConfirm={(tripId) =>
          void other.run({}, async () => {
            onChanged(await confirmMyTrip(session, tripId));
            return 'Thank you: we have noted that you are still there.';
          })
        }
        busy={other.busy}
      />

      <section className="card" aria-labelledby="trips-title">
        <h2 id="trips-title" className="card-title">
          Your trips
        </h2>
        <form className="form" onSubmit={saveTrips} noValidate data-testid="trips-form">
          <ErrorSummary
            errors={tripSave.errors}
            order={tripKeys(trips.length)}
            labels={label}
            attempt={tripSave.attempt}
          />
          <TripsEditor
            trips={trips}
            onChange={(next) => {
              tripSave.setErrors((e) => withoutKeys(e, editedTrips(trips, next)));
              setTrips(next);
            }}
            errors={tripSave.errors}
          />
          <PublicError error={tripSave.failure} testId="trips-error" />
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={tripSave.busy}
              data-testid="save-trips"
            >
              {tripSave.busy ? 'Saving…' : 'Save trips'}
            </button>
            {tripSave.saved ? (
              <span className="text-good" role="status" data-testid="trips-saved">
                {tripSave.saved}
              </span>
            ) : null}
          </div>
        </form>
      </section>

      <section className="card" aria-label="Your details">
        <form className="form" onSubmit={saveDetails} noValidate data-testid="details-form">
          <ErrorSummary
            errors={detailSave.errors}
            order={DETAIL_KEYS}
            labels={label}
            attempt={detailSave.attempt}
          />
          <DetailsFields
            value={details}
            onChange={(patch) => {
              setDetails((d) => ({ ...d, ...patch }));
              detailSave.setErrors((e) => withoutKeys(e, editedKeys(patch)));
            }}
            errors={detailSave.errors}
            emailHint="A new address is confirmed by email before we use it."
          />
          <PublicError error={detailSave.failure} testId="details-error" />
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={detailSave.busy}
              data-testid="save-details"
            >
              {detailSave.busy ? 'Saving…' : 'Save details'}
            </button>
            {detailSave.saved ? (
              <span className="text-good" role="status" data-testid="details-saved">
                {detailSave.saved}
              </span>
            ) : null}
          </div>
        </form>
      </section>

      <section className="card" aria-labelledby="data-title" data-testid="manage-data">
        <h2 id="data-title" className="card-title">
          Your data
        </h2>
        <p>Download everything we hold about you, stop all messages, or delete your enrollment.</p>
        <div className="manage-actions">
          <button
            type="button"
            className="button"
            onClick={download}
            disabled={other.busy}
            data-testid="export"
          >
            Download my data (JSON)
          </button>
          {enrollment.unsubscribedAt ? null : (
            <p className="small" data-testid="alerts-note">
              Security alerts for the places on your trips still reach you if you unsubscribe from advisory
              notices. To stop them too, stop all messages.
            </p>
          )}
          {enrollment.unsubscribedAt ? null : (
            <ConfirmButton
              label="Stop all messages"
              question="We will send you no more alerts or messages. Your enrollment stays until you delete it."
              confirmLabel="Yes, stop messages"
              onConfirm={stop}
              busy={other.busy}
              testId="unsubscribe"
            />
          )}
          <ConfirmButton
            label="Delete my enrollment"
            question="This deletes your details, contacts and trips for good. It cannot be undone."
            confirmLabel="Yes, delete everything"
            onConfirm={erase}
            busy={other.busy}
            danger
            testId="erase"
          />
        </div>
        <PublicError error={other.failure} testId="data-error" />
        {other.saved ? (
          <p className="text-good" role="status" data-testid="data-status">
            {other.saved}
          </p>
        ) : null}
      </section>
    </div>
  );
}

/** Whether a trip's arrival day has come (in the traveller's own calendar). */
const started = (arrival: string) => arrival <= new Date().toLocaleDateString('en-CA');

/** Open-ended trips are re-confirmed now and then; here the traveller can do it at once. */
function Presence({
  enrollment,
  onConfirm,
  busy,
}: {
  enrollment: Enrollment;
  onConfirm: (tripId: string) => void;
  busy: boolean;
}) {
  const { countries } = useCountryList();
  const open = enrollment.trips.filter((t) => t.departure === null);
  if (open.length === 0) return null;
  const name = (code: string) => countries.find((c) => c.code === code)?.name ?? code;
  return (
    <section className="card" aria-labelledby="presence-title" data-testid="manage-presence">
      <h2 id="presence-title" className="card-title">
        Still there?
      </h2>
      <p className="muted small">
        For trips without a departure date we ask every few months whether you are still there, so alerts
        reach the right people.
      </p>
      <ul className="contact-list">
        {open.map((t) => (
          <li key={t.id} data-testid={`presence-${t.id}`} data-presence={t.presence ?? ''}>
            <strong>{name(t.country)}</strong>{' '}
            <span className={`badge ${t.presence === 'unconfirmed' ? 'tone-warn' : 'tone-good'}`}>
              {t.presence === 'unconfirmed'
                ? 'Please confirm'
                : t.confirmedAt
                  ? `Confirmed ${formatDate(t.confirmedAt)}`
                  : `${started(t.arrival) ? 'Since' : 'From'} ${formatDate(t.arrival)}`}
            </span>{' '}
            {started(t.arrival) ? (
              <button
                type="button"
                className="button button-small"
                onClick={() => onConfirm(t.id)}
                disabled={busy}
              >
                I am still in {name(t.country)}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
