import { type FormEvent, useState } from 'react';
import { requestManageLink } from '../enrollments/client.ts';
import { TextField } from '../ui/Field.tsx';
import { PublicError } from './Field.tsx';

/**
 * "Email me a link": a manage link to a confirmed address, a fresh confirmation link to an
 * unconfirmed one, nothing to an unknown one. The page says the same in every case.
 */
export function LinkRequestForm({
  submitLabel = 'Email me a link',
  request = requestManageLink,
  what = 'enrolled',
}: {
  submitLabel?: string;
  /** Defaults to the enrollment's manage link. */
  request?: (email: string) => Promise<void>;
  /** "enrolled" / "subscribed": how the address is described. */
  what?: string;
}) {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setError(`Enter the email address you ${what === 'enrolled' ? 'enrolled' : 'subscribed'} with.`);
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await request(email.trim());
      setSent(true);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  if (sent) {
    return (
      <div className="notice notice-info" role="status" data-testid="link-sent">
        <p>
          If <strong>{email.trim()}</strong> is {what}, a link is on its way. It works once and expires after
          a short while.
        </p>
        <p>
          <button type="button" className="link-button" onClick={() => setSent(false)}>
            Use a different address
          </button>
        </p>
      </div>
    );
  }
  return (
    <form className="form public-form-narrow" onSubmit={submit} noValidate data-testid="link-request-form">
      <TextField
        name="link-email"
        type="email"
        label={`Email address you ${what === 'enrolled' ? 'enrolled' : 'subscribed'} with`}
        value={email}
        onChange={setEmail}
        error={error}
        autoComplete="email"
        inputMode="email"
      />
      <PublicError error={failure} testId="link-request-error" />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy}
          data-testid="link-request-submit"
        >
          {busy ? 'Sending…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
