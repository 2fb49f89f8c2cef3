/** Stable error codes: clients may rely on them. The HTTP layer maps each to a status. */
export type ErrorCode =
  | 'validation_failed'
  /** Text with control characters (U+0000, other C0 but tab/LF/CR, DEL, C1; line breaks in one-line fields). */
  | 'invalid_text'
  | 'invalid_json'
  // HTTP that never reached a route: malformed, an undecodable URL, too large, too slow
  | 'bad_request'
  | 'invalid_url'
  | 'uri_too_long'
  | 'headers_too_large'
  | 'request_timeout'
  | 'range_not_satisfiable'
  | 'unsupported_media_type'
  | 'body_too_large'
  | 'not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'unauthenticated'
  | 'session_expired'
  | 'invalid_credentials'
  | 'invalid_token'
  | 'forbidden'
  | 'csrf_failed'
  /** Signed in with a one-time password: set your own before anything else (issue 16). */
  | 'password_change_required'
  /** A read of personal data without the reason the audit entry needs. */
  | 'reason_required'
  | 'rate_limited'
  | 'conflict'
  | 'email_taken'
  | 'invalid_scope'
  | 'unknown_country'
  | 'unknown_region'
  | 'last_admin'
  /** A link (task resolution) to something that does not exist or is not linkable. */
  | 'invalid_link'
  // posts, posture and coverage
  | 'invalid_geometry'
  | 'district_overlap'
  | 'invalid_transition'
  | 'coverage_loop'
  | 'self_approval'
  | 'approval_stale'
  | 'request_expired'
  // advisories
  | 'unknown_indicator'
  | 'edition_not_draft'
  | 'no_current_edition'
  // incidents and actors
  | 'invalid_csv'
  | 'incident_retracted'
  | 'unknown_actor'
  | 'actor_exists'
  | 'relation_cycle'
  // enrollments
  | 'contact_required'
  | 'invalid_email'
  | 'invalid_phone'
  | 'consent_required'
  | 'webhook_not_allowed'
  | 'unknown_place'
  | 'place_outside_country'
  | 'point_outside_country'
  | 'invalid_trip_location'
  | 'invalid_dates'
  | 'date_out_of_range'
  | 'invalid_code'
  // alerts
  | 'invalid_area'
  | 'alert_not_found'
  | 'alert_expired'
  | 'approval_required'
  | 'already_cancelled'
  | 'invalid_reference'
  | 'unknown_language'
  | 'cap_field_too_long'
  /** An organisation's person who deleted their enrollment themselves (send reEnroll to override). */
  | 'erased_by_person'
  | 'store_unavailable'
  | 'internal_error';

export class WardenError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'WardenError';
  }
}

export const notFound = (what: string, id: string): WardenError =>
  new WardenError('not_found', `${what} not found`, { id });
