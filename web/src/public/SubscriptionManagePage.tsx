import { type FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../app/api.ts';
import { Link } from '../app/router.tsx';
import {
  type Frequency,
  fetchMySubscription,
  requestSubscriptionLink,
  type Subscription,
  unsubscribe,
  updateMySubscription,
} from '../subscriptions/client.ts';
import { fieldId } from '../ui/Field.tsx';
import { formatDate } from '../ui/format.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { CountryChooser } from './CountryChooser.tsx';
import { PublicError } from './Field.tsx';
import { type FieldErrors, fieldErrorsOf } from './fieldErrors.ts';
import { LinkRequestForm } from './LinkRequestForm.tsx';
import { PublicPage } from './PublicLayout.tsx';
import { SubscriptionOptions } from './SubscribePage.tsx';
import { dropFragment, useFragmentToken } from './session.ts';
import { useCountryList } from './TripsEditor.tsx';

// The manage link's token is the credential: kept for this tab only, like a traveller session.
const KEY = 'warden.subscription-token';
const stored = (): string | null => {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
};
const store = (token: string | null) => {
  try {
    if (token) window.sessionStorage.setItem(KEY, token);
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused: the page still works until it is left.
  }
};

type State =
  | { status: 'ask' | 'opening' | 'gone' }
  | { status: 'ready'; token: string; subscription: Subscription }
  | { status: 'failed'; error: unknown };

function Editor({
  token,
  subscription,
  onSaved,
  onGone,
  onExpired,
}: {
  token: string;
  subscription: Subscription;
  onSaved: (s: Subscription) => void;
  onGone: () => void;
  onExpired: (error: unknown) => void;
}) {
  const { countries } = useCountryList();
  const [chosen, setChosen] = useState(subscription.countries);
  const [frequency, setFrequency] = useState<Frequency>(subscription.frequency);
  const [language, setLanguage] = useState(subscription.language);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    setSaved(false);
    try {
      await work();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_token') return onExpired(err);
      const byField = fieldErrorsOf(err);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.length === 0) {
      setErrors({ countries: 'Keep at least one country, or unsubscribe below.' });
      return;
    }
    setErrors({});
    void act(async () => {
      onSaved(await updateMySubscription(token, { countries: chosen, frequency, language }));
      setSaved(true);
    });
  };

  return (
    <div className="stack" data-testid="subscription-manage">
      <section className="card">
        <p>
          Emails go to <strong className="contact-value">{subscription.email}</strong>
          {subscription.verifiedAt
            ? `, confirmed ${formatDate(subscription.verifiedAt)}.`
            : ' (not confirmed yet).'}
        </p>
        <form className="form" onSubmit={save} noValidate data-testid="subscription-form">
          <CountryChooser
            id={fieldId('countries')}
            countries={countries}
            value={chosen}
            onChange={setChosen}
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
          <PublicError error={failure} testId="subscription-error" />
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={busy}
              data-testid="subscription-save"
            >
              {busy ? 'Saving…' : 'Save changes'}
            </button>
            {saved ? (
              <span className="text-good" role="status" data-testid="subscription-saved">
                Saved.
              </span>
            ) : null}
          </div>
        </form>
      </section>
      <section className="card">
        <h2 className="card-title">Unsubscribe</h2>
        <p>We delete your address and choices at once.</p>
        <ConfirmButton
          label="Unsubscribe"
          question="Stop these emails and delete the subscription?"
          confirmLabel="Yes, unsubscribe"
          onConfirm={() =>
            void act(async () => {
              await unsubscribe(token);
              onGone();
            })
          }
          busy={busy}
          danger
          testId="subscription-unsubscribe"
        />
      </section>
    </div>
  );
}

export function SubscriptionManagePage() {
  const fresh = useFragmentToken();
  const [state, setState] = useState<State>(() =>
    fresh || stored() ? { status: 'opening' } : { status: 'ask' },
  );

  useEffect(() => {
    dropFragment();
    const token = fresh ?? stored();
    if (!token) return;
    setState({ status: 'opening' });
    let live = true;
    fetchMySubscription(token).then(
      (subscription) => {
        if (!live) return;
        store(token);
        setState({ status: 'ready', token, subscription });
      },
      (error: unknown) => {
        if (!live) return;
        store(null);
        setState({ status: 'failed', error });
      },
    );
    return () => {
      live = false;
    };
  }, [fresh]);

  if (state.status === 'opening') {
    return (
      <PublicPage title="Your subscription" testId="subscription-manage-page">
        <p role="status" className="muted">
          Opening your subscription…
        </p>
      </PublicPage>
    );
  }
  if (state.status === 'ready') {
    return (
      <PublicPage title="Your subscription" testId="subscription-manage-page">
        <Editor
          token={state.token}
          subscription={state.subscription}
          onSaved={(subscription) => setState({ ...state, subscription })}
          onGone={() => {
            store(null);
            setState({ status: 'gone' });
          }}
          onExpired={(error) => {
            store(null);
            setState({ status: 'failed', error });
          }}
        />
      </PublicPage>
    );
  }
  if (state.status === 'gone') {
    return (
      <PublicPage title="You are unsubscribed" testId="subscription-gone">
        <div className="notice notice-good" role="status">
          <p>We have deleted your subscription. You will get no more travel advice emails from us.</p>
        </div>
        <p>
          Changed your mind? <Link to="/subscribe">Subscribe again</Link>.
        </p>
      </PublicPage>
    );
  }
  return (
    <PublicPage
      title="Change or cancel your subscription"
      testId="subscription-manage-page"
      lead="We email you a link that opens your subscription."
    >
      {state.status === 'failed' ? (
        <PublicError error={state.error} testId="subscription-link-error" />
      ) : null}
      <LinkRequestForm request={requestSubscriptionLink} what="subscribed" />
    </PublicPage>
  );
}
