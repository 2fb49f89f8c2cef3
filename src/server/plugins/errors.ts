import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, WardenError } from '../../domain/errors.ts';
import { TEXT_KEYWORD } from './text.ts';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_text: 400,
  invalid_json: 400,
  bad_request: 400,
  invalid_url: 400,
  uri_too_long: 414,
  headers_too_large: 431,
  request_timeout: 408,
  range_not_satisfiable: 416,
  unsupported_media_type: 415,
  body_too_large: 413,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  unauthenticated: 401,
  session_expired: 401,
  invalid_credentials: 401,
  invalid_token: 401,
  forbidden: 403,
  csrf_failed: 403,
  password_change_required: 403,
  reason_required: 400,
  rate_limited: 429,
  conflict: 409,
  email_taken: 409,
  invalid_scope: 400,
  unknown_country: 400,
  unknown_region: 400,
  last_admin: 409,
  invalid_link: 422,
  // posts, posture and coverage: domain conflicts are 422
  invalid_geometry: 400,
  district_overlap: 422,
  invalid_transition: 422,
  coverage_loop: 422,
  self_approval: 422,
  approval_stale: 422,
  request_expired: 422,
  // advisories
  unknown_indicator: 400,
  edition_not_draft: 409,
  no_current_edition: 409,
  // incidents and actors
  invalid_csv: 400,
  incident_retracted: 409,
  unknown_actor: 400,
  actor_exists: 409,
  relation_cycle: 422,
  // enrollments
  contact_required: 400,
  invalid_email: 400,
  invalid_phone: 400,
  consent_required: 400,
  webhook_not_allowed: 400,
  unknown_place: 400,
  place_outside_country: 400,
  point_outside_country: 400,
  invalid_trip_location: 400,
  invalid_dates: 400,
  date_out_of_range: 400,
  invalid_code: 400,
  // alerts: bad input is 400, a state that does not allow the step is 422, a repeat is 409
  invalid_area: 400,
  alert_not_found: 404,
  alert_expired: 422,
  approval_required: 422,
  already_cancelled: 409,
  invalid_reference: 422,
  unknown_language: 400,
  cap_field_too_long: 400,
  erased_by_person: 409,
  store_unavailable: 503,
  internal_error: 500,
};

export const statusOf = (code: ErrorCode): number => STATUS[code];

export function sendError(reply: FastifyReply, err: WardenError): FastifyReply {
  const retryAfter = err.details.retryAfter;
  if (err.code === 'rate_limited' && typeof retryAfter === 'number')
    reply.header('retry-after', String(retryAfter));
  return reply
    .status(STATUS[err.code])
    .send({ error: { code: err.code, message: err.message, details: err.details } });
}

/** Fastify and plugin errors that carry a 4xx status but no code of ours: same status, our format. */
export function clientStatusError(status: number): WardenError | null {
  switch (status) {
    case 400:
      return new WardenError('bad_request', 'The request is not valid.', {});
    case 403:
    case 404:
      // A path the static files refuse (traversal, a NUL byte) reads as any missing file.
      return new WardenError('route_not_found', 'Not found.', {});
    case 405:
      return new WardenError('method_not_allowed', 'Method not allowed.', {});
    case 408:
      return new WardenError('request_timeout', 'The request took too long to arrive.', {});
    case 413:
      return new WardenError('body_too_large', 'The request body is too large.', {});
    case 414:
      return new WardenError('uri_too_long', 'The URL is too long.', {});
    case 415:
      return new WardenError('unsupported_media_type', 'Unsupported content type.', {});
    case 416:
      return new WardenError('range_not_satisfiable', 'The requested range is not satisfiable.', {});
    case 431:
      return new WardenError('headers_too_large', 'The request headers are too large.', {});
    default:
      return status >= 400 && status < 500
        ? new WardenError('bad_request', 'The request is not valid.', {})
        : null;
  }
}

/** Fastify's own errors, translated to our stable codes. */
function translate(err: FastifyError): WardenError | null {
  if (err.validation) {
    const problems = err.validation.map((v) => ({
      path: `${err.validationContext ?? 'body'}${v.instancePath || ''}`,
      message: v.message ?? 'is invalid',
      ...(v.params && 'additionalProperty' in v.params && { field: String(v.params.additionalProperty) }),
      ...(v.params && 'missingProperty' in v.params && { field: String(v.params.missingProperty) }),
    }));
    // Control characters are their own code, whatever else is wrong: clients fix them differently.
    if (err.validation.some((v) => v.keyword === TEXT_KEYWORD)) {
      return new WardenError('invalid_text', 'Text must not contain control characters.', { problems });
    }
    return new WardenError('validation_failed', 'The request is not valid.', { problems });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new WardenError('body_too_large', 'The request body is too large.', {});
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new WardenError(
        'unsupported_media_type',
        'Unsupported content type; send application/json.',
        {},
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new WardenError('invalid_json', 'The JSON body is empty.', {});
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new WardenError('invalid_json', 'The body is not valid JSON.', {});
    default:
      break;
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return new WardenError('invalid_json', 'The body is not valid JSON.', {});
  }
  return typeof err.statusCode === 'number' ? clientStatusError(err.statusCode) : null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof WardenError) return sendError(reply, err);
    const known = translate(err);
    if (known) return sendError(reply, known);
    // Never leak internals: log the error with the request id, answer a plain 500.
    req.log.error({ err }, 'unhandled error');
    return sendError(
      reply,
      new WardenError('internal_error', 'Something went wrong; the request id identifies it in the logs.', {
        requestId: req.id,
      }),
    );
  });
}
