import { type FormEvent, useEffect, useState } from 'react';
import { Link } from '../app/router.tsx';
import { type Frequency, subscribe, verifySubscription } from '../subscriptions/client.ts';
import { FieldError, fieldId, TextField } from '../ui/Field.tsx';
import { CountryChooser } from './CountryChooser.tsx';
import { ErrorSummary, PublicError } from './Field.tsx';
import { type FieldErrors, fieldErrorsOf, withoutKeys } from './fieldErrors.ts';
import { defaultLanguage, languageOptions, messageLanguageHint } from './languages.ts';
import { PublicPage } from './PublicLayout.tsx';
import { prefilledCountry } from './paths.ts';
import { dropFragment, once, useFragmentToken } from './session.ts';
import { useCountryList } from './TripsEditor.tsx';

const FREQUENCIES: ReadonlyArray<[Frequency, string, string]> = [
  ['immediate', 'As soon as advice changes', 'One email for each change'],
  ['daily', 'Once a day', 'A summary of the day’s changes, if any'],
];

const LABELS: Record<string, string> = {
  email: 'Email',
  countries: 'Countries',
  frequency: 'How often',
  language: 'Language',
};

/** Frequency and language: shared by the subscribe form and the manage page. */
export function SubscriptionOptions({
  frequency,
  language,
  onChange,
  errors,
}: {
  frequency: Frequency;
  language: string;
  onChange: (patch: { frequency?: Frequency; language?: string }) => void;
  errors: FieldErrors;
}) {
  return (
    <>
      <fieldset className="fieldset-plain">
        <legend className="field-label">How often</legend>
        <div className="mode-choices">
          {FREQUENCIES.map(([value, title, help], i) => (
            <label key={value} className="choice">
              <input
                type="radio"
                name="frequency"
                value={value}
                id={i === 0 ? fieldId('frequency') : undefined}
                checked={frequency === value}
                onChange={() => onChange({ frequency: value })}
                data-testid={`frequency-${value}`}
              />
              <span className="choice-text">
                <span className="choice-title">{title}</span>
                <span className="choice-help">{help}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError id={fieldId('frequency')} error={errors.frequency} />
      </fieldset>
      <div className="field field-narrow">
        <label htmlFor={fieldId('language')}>Language</label>
        <select
          id={fieldId('language')}
          value={language}
          onChange={(e) => onChange({ language: e.target.value })}
          aria-describedby={`${fieldId('language')}-hint`}
          data-testid="language"
        >
          {languageOptions(language).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
        <p className="field-hint" id={`${fieldId('language')}-hint`} data-testid="language-hint">
          {messageLanguageHint(language)}
        </p>
        <FieldError id={fieldId('language')} error={errors.language} />
      </div>
    </>
  );
}

export function SubscribePage() {
  const { countries } = useCountryList();
  const [email, setEmail] = useState('');
  const [chosen, setChosen] = useState<string[]>(() => {
    const c = prefilledCountry();
    return c ? [c] : [];
  });
  const [frequency, setFrequency] = useState<Frequency>('immediate');
  const [language, setLanguage] = useState(defaultLanguage);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const problems: FieldErrors = {};
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
      problems.email = 'Enter an email address like name@example.org.';
    if (chosen.length === 0) problems.countries = 'Choose at least one country.';
    setErrors(problems);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      await subscribe({ email: email.trim(), countries: chosen, frequency, language });
      setSent(true);
      window.scrollTo(0, 0);
    } catch (err) {
      const byField = fieldErrorsOf(err);
      setErrors(byField);
      setAttempt((n) => n + 1);
      if (Object.keys(byField).length === 0) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  if (sent) {
    return (
      <PublicPage title="Check your email" testId="subscribe-sent">
        <div className="notice notice-info" role="status">
          <p>
            We have sent a message to the address you gave. Open the link in it to start your subscription. If
            the address was subscribed before, the message tells you how to change that subscription instead.
          </p>
        </div>
        <p>Until you confirm, we send nothing else; an unconfirmed subscription is deleted after 7 days.</p>
      </PublicPage>
    );
  }
  return (
    <PublicPage
      title="Travel advice by email"
      testId="subscribe-page"
      lead="Get an email when the travel advice for a country changes. No trip needed; unsubscribe at any time."
    >
      <form className="form public-form" onSubmit={submit} noValidate data-testid="subscribe-form">
        <ErrorSummary
          errors={errors}
          order={['email', 'countries', 'frequency', 'language']}
          labels={(k) => LABELS[k] ?? k}
          attempt={attempt}
        />
        <TextField
          name="email"
          type="email"
          label="Email"
          value={email}
          onChange={(v) => {
            setEmail(v);
            setErrors((e) => withoutKeys(e, (k) => k === 'email'));
          }}
          error={errors.email}
          autoComplete="email"
          inputMode="email"
          maxLength={254}
        />
        <CountryChooser
          id={fieldId('countries')}
          countries={countries}
          value={chosen}
          onChange={(next) => {
            setChosen(next);
            setErrors((e) => withoutKeys(e, (k) => k === 'countries'));
          }}
          error={errors.countries}
        />
        <SubscriptionOptions
          frequency={frequency}
          language={language}
          onChange={(p) => {
            if (p.frequency) setFrequency(p.frequency);
            if (p.language) setLanguage(p.language);
          }}
          errors={errors}
        />
        <p className="field-hint">
          We keep only your address, your countries and these choices, encrypted. See the{' '}
          <Link to="/privacy">privacy notice</Link>.
        </p>
        <PublicError error={failure} testId="subscribe-error" />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary button-large"
            disabled={busy}
            data-testid="subscribe-submit"
          >
            {busy ? 'Sending…' : 'Subscribe'}
          </button>
          <Link to="/subscribe/manage">Change or cancel a subscription</Link>
        </div>
      </form>
    </PublicPage>
  );
}

const verifications = new Map<string, Promise<{ status: 'verified' | 'already_verified' }>>();

export function SubscribeVerifyPage() {
  const token = useFragmentToken();
  const [state, setState] = useState<
    { status: 'none' | 'checking' | 'verified' | 'already_verified' } | { status: 'failed'; error: unknown }
  >({ status: token ? 'checking' : 'none' });

  useEffect(() => {
    dropFragment();
    if (!token) return;
    setState({ status: 'checking' });
    let live = true;
    once(verifications, token, verifySubscription).then(
      (r) => live && setState({ status: r.status }),
      (error: unknown) => live && setState({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [token]);

  if (state.status === 'verified' || state.status === 'already_verified') {
    return (
      <PublicPage title="Your subscription is confirmed" testId="subscribe-verify-page">
        <div
          className="notice notice-good"
          role="status"
          data-testid="subscribe-verify-result"
          data-status={state.status}
        >
          <p>
            {state.status === 'verified'
              ? 'Thank you. We will email you when the travel advice for your countries changes.'
              : 'This subscription was already confirmed; nothing more to do.'}
          </p>
        </div>
        <p>Every email we send has a link to change or cancel your subscription.</p>
      </PublicPage>
    );
  }
  return (
    <PublicPage title="Confirm your subscription" testId="subscribe-verify-page">
      {state.status === 'checking' ? (
        <p role="status" className="muted">
          One moment.
        </p>
      ) : null}
      {state.status === 'failed' ? <PublicError error={state.error} testId="subscribe-verify-error" /> : null}
      {state.status !== 'checking' ? (
        <p>
          Open the link in the email we sent you. If it has expired,{' '}
          <Link to="/subscribe">subscribe again</Link>: we will send a fresh one.
        </p>
      ) : null}
    </PublicPage>
  );
}
