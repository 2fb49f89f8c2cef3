import { type FormEvent, useState } from 'react';
import { Link } from '../app/router.tsx';
import { enroll } from '../enrollments/client.ts';
import { FieldError, fieldId } from '../ui/Field.tsx';
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
import { defaultLanguage } from './languages.ts';
import { PublicPage } from './PublicLayout.tsx';
import { prefilledCountry } from './paths.ts';
import { TripsEditor } from './TripsEditor.tsx';
import {
  editedTrips,
  newTrip,
  type TripDraft,
  tripInput,
  tripKeys,
  tripLabel,
  tripProblems,
} from './trips.ts';

const emptyDetails = (): DetailsDraft => ({
  name: '',
  email: '',
  phone: '',
  language: defaultLanguage(),
  ecName: '',
  ecPhone: '',
  ecEmail: '',
  webhookUrl: '',
});

const label = (key: string) => detailLabel(key) ?? tripLabel(key) ?? key;

/** Said the same way whether or not the contact was already enrolled. */
function CheckMessages({ email, phone }: { email: boolean; phone: boolean }) {
  return (
    <PublicPage title={email ? 'Check your email' : 'Check your phone'} testId="enroll-sent">
      <div className="notice notice-info" role="status">
        {email ? (
          <p>
            We have sent a message to the email address you gave. Open the link in it to confirm your
            enrollment. If the address was enrolled before, the message tells you how to manage that
            enrollment instead.
          </p>
        ) : null}
        {phone ? (
          <p>
            We text a six-digit code to the mobile number you gave.{' '}
            <Link to="/enroll/verify">Enter the code here</Link>.
          </p>
        ) : null}
        <p>Nothing arrived within a few minutes? Check your spam folder, then try again later.</p>
      </div>
      <p>
        Until you confirm, we send you nothing else, and an unconfirmed enrollment is deleted after 7 days.
      </p>
      <p>
        <Link to="/enroll/manage">Manage an existing enrollment</Link> ·{' '}
        <Link to="/privacy">How we look after your data</Link>
      </p>
    </PublicPage>
  );
}

export function EnrollPage() {
  const [details, setDetails] = useState<DetailsDraft>(emptyDetails);
  const [trips, setTrips] = useState<TripDraft[]>(() => [newTrip(prefilledCountry())]);
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ email: boolean; phone: boolean } | null>(null);
  const [attempt, setAttempt] = useState(0);

  if (sent) return <CheckMessages {...sent} />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    const problems: FieldErrors = { ...detailProblems(details), ...tripProblems(trips) };
    if (!consent) problems.consent = 'Tick the box to agree, or we cannot keep your details.';
    setErrors(problems);
    setAttempt((n) => n + 1);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const email = details.email.trim();
      const phone = details.phone.trim();
      await enroll({
        name: details.name.trim(),
        ...(email ? { email } : {}),
        ...(phone ? { phone } : {}),
        ...(details.webhookUrl.trim() ? { webhookUrl: details.webhookUrl.trim() } : {}),
        language: details.language,
        emergencyContact: emergencyContactOf(details),
        consent,
        trips: trips.map(tripInput),
      });
      setSent({ email: !!email, phone: !!phone });
      window.scrollTo(0, 0);
    } catch (err) {
      const byField = fieldErrorsOf(err);
      setErrors(byField);
      setAttempt((n) => n + 1);
      // A message about no particular field (rate limit, network) goes above the button.
      if (Object.keys(byField).length === 0) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const order = [...DETAIL_KEYS.slice(0, 7), ...tripKeys(trips.length), 'trips', 'webhookUrl', 'consent'];
  return (
    <PublicPage
      title="Enroll your trip"
      testId="enroll-page"
      lead="Tell us where you will be abroad, so we can send you safety alerts and reach you in an emergency."
    >
      <form className="form public-form" onSubmit={submit} noValidate data-testid="enroll-form">
        <ErrorSummary errors={errors} order={order} labels={label} attempt={attempt} />
        <DetailsFields
          value={details}
          onChange={(patch) => {
            setDetails((d) => ({ ...d, ...patch }));
            setErrors((e) => withoutKeys(e, editedKeys(patch)));
          }}
          errors={errors}
        />
        <fieldset className="fieldset-plain form">
          <legend className="public-legend">Your trips</legend>
          <p className="field-hint">
            Add each country you will be in. If you live abroad, enter where you live and tick “no departure
            date”.
          </p>
          <TripsEditor
            trips={trips}
            onChange={(next) => {
              setErrors((e) => withoutKeys(e, editedTrips(trips, next)));
              setTrips(next);
            }}
            errors={errors}
          />
        </fieldset>
        <div className="field consent" data-field="consent">
          <label className="checkbox consent-box">
            <input
              id={fieldId('consent')}
              className="consent-input"
              type="checkbox"
              checked={consent}
              onChange={(e) => {
                setConsent(e.target.checked);
                setErrors((errs) => withoutKeys(errs, (k) => k === 'consent'));
              }}
              aria-invalid={errors.consent ? true : undefined}
              aria-describedby={errors.consent ? `${fieldId('consent')}-error` : undefined}
              data-testid="consent"
            />
            <span>
              I agree that my details are stored and used to contact me about my safety while abroad, as the{' '}
              <a href="/privacy" target="_blank" rel="noopener">
                privacy notice
              </a>{' '}
              describes.
            </span>
          </label>
          <FieldError id={fieldId('consent')} error={errors.consent} />
        </div>
        <PublicError error={failure} testId="enroll-error" />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary button-large"
            disabled={busy}
            data-testid="enroll-submit"
          >
            {busy ? 'Sending…' : 'Enroll'}
          </button>
        </div>
      </form>
    </PublicPage>
  );
}
