import { type FormEvent, useEffect, useState } from 'react';
import { Link } from '../app/router.tsx';
import { verifyEmail, verifyPhone } from '../enrollments/client.ts';
import { TextField } from '../ui/Field.tsx';
import { PublicError } from './Field.tsx';
import { type FieldErrors, fieldErrorsOf } from './fieldErrors.ts';
import { LinkRequestForm } from './LinkRequestForm.tsx';
import { PublicPage } from './PublicLayout.tsx';
import { dropFragment, once, useFragmentToken } from './session.ts';

type LinkState =
  | { status: 'none' }
  | { status: 'checking' }
  | { status: 'verified' | 'already_verified' }
  | { status: 'failed'; error: unknown };

const verifications = new Map<string, Promise<{ status: 'verified' | 'already_verified' }>>();

function PhoneCodeForm() {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const problems: FieldErrors = {};
    if (!/^\+[\d\s().-]{6,}$/.test(phone.trim()))
      problems.phone = 'Enter the number you enrolled, with the country code (e.g. +44 7911 123456).';
    if (!/^\d{6}$/.test(code.trim())) problems.code = 'Enter the six digits from the text message.';
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      await verifyPhone(phone.trim(), code.trim());
      setDone(true);
    } catch (err) {
      const byField = fieldErrorsOf(err);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="notice notice-good" role="status" data-testid="phone-verified">
        <p>Your mobile number is confirmed. Safety alerts will reach you by text message.</p>
      </div>
    );
  }
  return (
    <form className="form public-form-narrow" onSubmit={submit} noValidate data-testid="phone-code-form">
      <TextField
        name="phone"
        type="tel"
        label="Mobile number"
        value={phone}
        onChange={setPhone}
        error={errors.phone}
        autoComplete="tel"
        inputMode="tel"
      />
      <TextField
        name="code"
        label="Six-digit code"
        value={code}
        onChange={(v) => setCode(v.replace(/\D/g, '').slice(0, 6))}
        error={errors.code}
        autoComplete="one-time-code"
        inputMode="numeric"
        className="code-input"
        hint="The code expires 15 minutes after it was sent."
      />
      <PublicError error={failure} testId="phone-code-error" />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy}
          data-testid="phone-code-submit"
        >
          {busy ? 'Checking…' : 'Confirm number'}
        </button>
      </div>
    </form>
  );
}

export function VerifyPage() {
  const token = useFragmentToken();
  const [state, setState] = useState<LinkState>(token ? { status: 'checking' } : { status: 'none' });

  useEffect(() => {
    dropFragment();
    if (!token) return;
    setState({ status: 'checking' });
    let live = true;
    once(verifications, token, verifyEmail).then(
      (r) => live && setState({ status: r.status }),
      (error: unknown) => live && setState({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [token]);

  if (state.status === 'checking') {
    return (
      <PublicPage title="Confirming your email…" testId="verify-page">
        <p role="status" className="muted">
          One moment.
        </p>
      </PublicPage>
    );
  }
  if (state.status === 'verified' || state.status === 'already_verified') {
    return (
      <PublicPage title="Your email is confirmed" testId="verify-page">
        <div
          className="notice notice-good"
          role="status"
          data-testid="verify-result"
          data-status={state.status}
        >
          <p>
            {state.status === 'verified'
              ? 'Thank you. Safety alerts for the places you enrolled will reach this address.'
              : 'This address was already confirmed; nothing more to do.'}
          </p>
        </div>
        <p>
          To see or change your trips later, ask for a link on{' '}
          <Link to="/enroll/manage" data-testid="verify-manage-link">
            My enrollment
          </Link>
          .
        </p>
      </PublicPage>
    );
  }
  return (
    <PublicPage title="Confirm your enrollment" testId="verify-page">
      {state.status === 'failed' ? (
        <section className="public-section" data-testid="verify-failed">
          <PublicError error={state.error} testId="verify-error" />
          <p>Links expire after two days and work for the latest message only. Ask for a new one:</p>
          <LinkRequestForm submitLabel="Send me a new link" />
        </section>
      ) : (
        <p className="public-lead">
          Open the link in the email we sent you to confirm your address. If you gave a mobile number, enter
          the code from our text message below.
        </p>
      )}
      <section className="public-section" aria-labelledby="phone-code-title">
        <h2 id="phone-code-title" className="public-h2">
          Confirm your mobile number
        </h2>
        <PhoneCodeForm />
      </section>
    </PublicPage>
  );
}
