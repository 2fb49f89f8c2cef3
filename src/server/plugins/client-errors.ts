import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, WardenError } from '../../domain/errors.ts';
import { sendError, statusOf } from './errors.ts';

/*
 * Errors that happen before a request reaches a route, answered in the one error format
 * ({ error: { code, message, details } }) instead of Fastify's and Node's defaults (issue 11).
 */

/** What Node's HTTP parser could not read: malformed HTTP, oversized headers or URL, a timeout. */
function clientErrorOf(err: NodeJS.ErrnoException): WardenError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new WardenError('headers_too_large', 'The request headers (or its URL) are too large.', {});
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new WardenError('request_timeout', 'The request took too long to arrive.', {});
    default:
      return new WardenError('bad_request', 'The request is not valid HTTP.', {});
  }
}

/**
 * Fastify's clientErrorHandler: writes the answer on the raw socket (there is no request object
 * yet) and closes it. Logged at debug: these are a client's or a scanner's mistakes, not ours.
 */
export function clientErrorHandler(
  this: { log: { debug(o: object, m: string): void } },
  err: NodeJS.ErrnoException,
  socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const e = clientErrorOf(err);
  this.log.debug({ err: { code: err.code, message: err.message } }, 'client error');
  if (socket.writable) {
    const status = statusOf(e.code);
    const body = JSON.stringify({ error: { code: e.code, message: e.message, details: e.details } });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Fastify's frameworkErrors: a URL that does not decode, a path parameter too long. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const code: ErrorCode =
    err.code === 'FST_ERR_BAD_URL'
      ? 'invalid_url'
      : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'uri_too_long'
        : 'bad_request';
  const message =
    code === 'invalid_url'
      ? 'The URL is not valid (bad percent-encoding).'
      : code === 'uri_too_long'
        ? 'A part of the URL is too long.'
        : 'The request could not be routed.';
  sendError(reply, new WardenError(code, message, {}));
}
