import { type FormEvent, useState } from 'react';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice, errorField } from '../ui/ErrorNotice.tsx';
import { TextField } from '../ui/Field.tsx';
import { changePassword } from './client.ts';

/** The server's minimum (src/domain/auth/passwords.ts), said up front rather than after a refusal. */
const MIN_LENGTH = 12;

/** Change your own password: current, new, new again. */
export function PasswordForm({
  onChanged,
  submitLabel = 'Change password',
}: {
  onChanged: () => void;
  submitLabel?: string;
}) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const change = useAction(async (c: string, n: string) => {
    await changePassword(c, n);
    return true;
  });
  const blamed = errorField(change.error);
  const mismatch = again.length > 0 && again !== next;
  const tooShort = next.length > 0 && next.length < MIN_LENGTH;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch || tooShort) return;
    if (await change.run(current, next)) {
      setCurrent('');
      setNext('');
      setAgain('');
      onChanged();
    }
  };
  return (
    <form className="form" onSubmit={submit} data-testid="password-form">
      <TextField
        id="password-current"
        label="Current password"
        type="password"
        autoComplete="current-password"
        fieldClass="field-narrow"
        value={current}
        onChange={setCurrent}
        required
        invalid={change.error && blamed !== 'newPassword' ? true : undefined}
        data-testid="password-current"
      />
      <TextField
        id="password-new"
        label="New password"
        type="password"
        autoComplete="new-password"
        fieldClass="field-narrow"
        hint={`At least ${MIN_LENGTH} characters; a few unrelated words are easy to remember.`}
        value={next}
        onChange={setNext}
        required
        minLength={MIN_LENGTH}
        error={tooShort ? `At least ${MIN_LENGTH} characters (${next.length} so far).` : undefined}
        data-testid="password-new"
      />
      <TextField
        id="password-again"
        label="New password again"
        type="password"
        autoComplete="new-password"
        fieldClass="field-narrow"
        value={again}
        onChange={setAgain}
        required
        error={mismatch ? 'The two new passwords differ.' : undefined}
        data-testid="password-again"
      />
      <ErrorNotice error={change.error} title="The password was not changed" />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={change.busy || !current || !next || next !== again || tooShort}
          data-testid="password-submit"
        >
          {change.busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
