import { type ReactNode, useState } from 'react';

interface Props {
  label: string;
  /** What happens, said before the second click. */
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  danger?: boolean;
  testId: string;
}

/** A button that asks once more, in place (no modal to trap a phone user), before it acts. */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, busy, danger, testId }: Props) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={danger ? 'button button-danger-quiet' : 'button'}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {label}
      </button>
    );
  }
  return (
    <div className="confirm" data-testid={`${testId}-confirm`}>
      <p>{question}</p>
      <div className="form-actions">
        <button
          type="button"
          className={danger ? 'button button-danger' : 'button button-primary'}
          onClick={onConfirm}
          disabled={busy}
          data-testid={`${testId}-yes`}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button type="button" className="button" onClick={() => setAsking(false)} disabled={busy}>
          Cancel
        </button>
      </div>
    </div>
  );
}
