import { WardenError } from '../errors.ts';
import { normalizeEmail, normalizePhone } from '../privacy/index.ts';
import { webhookProblem } from './webhook.ts';

/*
 * The checks every way of enrolling shares (the public form, an organisation's API and its CSV
 * import): each returns the normal form or throws a WardenError naming `field`.
 */

/** The normal form of an email address; throws invalid_email. */
export function checkEmail(value: string, field: string): string {
  const e = normalizeEmail(value);
  if (!e) throw new WardenError('invalid_email', 'The email address is not valid.', { field });
  return e;
}

/** E.164 form of a phone number, reading national forms as `country`'s; throws invalid_phone. */
export function checkPhone(value: string, field: string, country: string | undefined): string {
  const p = normalizePhone(value, country);
  if (!p)
    throw new WardenError('invalid_phone', 'The phone number is not valid; use +<country code><number>.', {
      field,
    });
  return p;
}

/**
 * Throws webhook_not_allowed unless the URL is https to a public host. `allowPrivate` (set by the
 * operator for an organisation's own intranet receivers) lifts only the public-host rule.
 */
export function checkWebhook(url: string, field: string, opts: { allowPrivate?: boolean } = {}): void {
  const problem = webhookProblem(url);
  if (!problem || (opts.allowPrivate && problem === 'host is not public')) return;
  throw new WardenError('webhook_not_allowed', `The webhook URL is not allowed: ${problem}.`, { field });
}
