import { WardenError } from '../errors.ts';

/**
 * The time window targeting and CAP use: effective before expires, and expires still ahead.
 * Times are ISO 8601 with a zone (Z or an offset).
 */
export function validateAlertWindow(w: { effective: string; expires: string }, now: Date, at = '/cap'): void {
  const effective = Date.parse(w.effective);
  const expires = Date.parse(w.expires);
  for (const [field, t] of [
    ['effective', effective],
    ['expires', expires],
  ] as const) {
    if (Number.isNaN(t) || !/(Z|[+-]\d\d:\d\d)$/.test(w[field])) {
      throw new WardenError('validation_failed', `${field} is not an ISO 8601 time with a zone.`, {
        field,
        path: `${at}/${field}`,
      });
    }
  }
  if (effective >= expires) {
    throw new WardenError('invalid_dates', 'An alert must take effect before it expires.', {
      path: `${at}/expires`,
      effective: w.effective,
      expires: w.expires,
    });
  }
  if (expires <= now.getTime()) {
    throw new WardenError('alert_expired', 'The alert has already expired.', {
      path: `${at}/expires`,
      expires: w.expires,
    });
  }
}
