import { useEffect, useRef } from 'react';
import { ApiError } from '../app/api.ts';
import { fieldId } from '../ui/Field.tsx';
import type { FieldErrors } from './fieldErrors.ts';

/**
 * "There is a problem" above a form, linking each message to its field; it takes focus when it
 * appears, so a screen-reader user hears it and a phone user sees it without scrolling.
 */
export function ErrorSummary({
  errors,
  order,
  labels,
  attempt,
}: {
  errors: FieldErrors;
  /** Bumped on each submit: the summary takes focus then, not while the person types. */
  attempt: number;
  /** Field keys in the order the form shows them. */
  order: readonly string[];
  labels: (key: string) => string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const keys = Object.keys(errors).sort((a, b) => rank(order, a) - rank(order, b));
  const any = keys.length > 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus after each submit that found problems.
  useEffect(() => {
    if (any) ref.current?.focus();
  }, [attempt]);
  if (keys.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} data-testid="error-summary">
      <h2 className="error-summary-title">There is a problem</h2>
      <ul>
        {keys.map((key) => (
          <li key={key}>
            <a
              href={`#${fieldId(key)}`}
              onClick={(e) => {
                const target = document.getElementById(fieldId(key));
                if (!target) return;
                e.preventDefault();
                target.focus();
                target.scrollIntoView({ block: 'center' });
              }}
            >
              {labels(key)}: {errors[key]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

const HEADINGS: Record<string, string> = {
  network_error: 'No connection',
  rate_limited: 'Too many attempts',
  invalid_token: 'This link cannot be used',
  validation_failed: 'Please check the form',
};

/** An API error in plain words, for travellers: no codes or field paths unless nothing else helps. */
export function PublicError({ error, testId = 'public-error' }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : null;
  const message = error instanceof Error ? error.message : String(error);
  const wait =
    error instanceof ApiError && error.code === 'rate_limited' && error.retryAfter
      ? ` Try again in ${Math.ceil(error.retryAfter / 60)} minute${error.retryAfter > 60 ? 's' : ''}.`
      : '';
  return (
    <div className="form-error" role="alert" data-testid={testId} data-code={code ?? undefined}>
      <p className="form-error-title">{(code && HEADINGS[code]) ?? 'Something went wrong'}</p>
      <p className="form-error-detail">
        {message}
        {wait}
      </p>
    </div>
  );
}
