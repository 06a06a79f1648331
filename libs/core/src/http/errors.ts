import { HttpException } from '@nestjs/common';
import { EventStoreUnavailableError, InvalidPositionError, UnstorableEventError, WrongExpectedVersionError } from '@app/eventstore';
import { DomainError } from '../errors/domain-error';

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/**
 * Bad input: 400 with the fields at fault named in `details.fields`, or, when no field is to blame
 * (malformed JSON, a body nested too deep), an explanation in `details.reason`.
 */
export class ValidationFailedError extends DomainError {
  override readonly name = 'ValidationFailedError';

  constructor(message: string, fields: Record<string, string[]>, extra: { reason?: string } = {}) {
    super('VALIDATION_FAILED', message, 400, { fields, ...extra });
  }
}

/** A body that is not `application/json` where an endpoint expects one. */
export class UnsupportedMediaTypeError extends DomainError {
  override readonly name = 'UnsupportedMediaTypeError';

  constructor() {
    super('UNSUPPORTED_MEDIA_TYPE', 'This endpoint takes a JSON body: send it with Content-Type: application/json', 415);
  }
}

const CODES_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** One place that turns anything thrown into the API's error body. Never a stack trace. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    // A refusal that says when to come back (a lagging read model, a limit) carries `retryAfterSeconds`.
    const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfter)));
    return { status: error.status, body: body(error.code, error.message, error.details), headers };
  }
  if (error instanceof InvalidPositionError) {
    return { status: 400, body: body('VALIDATION_FAILED', error.message, { fields: { after: [error.message] } }), headers: {} };
  }
  if (error instanceof UnstorableEventError) {
    return { status: 400, body: body('VALIDATION_FAILED', 'The input holds text that cannot be stored', { fields: {}, reason: error.message }), headers: {} };
  }
  if (isOutage(error)) {
    return {
      status: 503,
      body: body('SERVICE_UNAVAILABLE', 'A database the platform needs cannot be reached right now; try again shortly', {}),
      headers: { 'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof WrongExpectedVersionError) {
    return { status: 409, body: body('CONCURRENCY_CONFLICT', 'The data changed while the command ran; try again', {}), headers: {} };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return { status, body: body(CODES_BY_STATUS[status] ?? `HTTP_${status}`, message, {}), headers: {} };
  }
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Errors from body parsing (malformed JSON, too large) carry their status.
    return { status, body: body(CODES_BY_STATUS[status] ?? `HTTP_${status}`, (error as Error).message, {}), headers: {} };
  }
  return { status: 500, body: body('INTERNAL_ERROR', 'Something went wrong on our side', {}), headers: {} };
}

const OUTAGE_RETRY_AFTER_SECONDS = 5;

// Node's socket errors, and PostgreSQL's SQLSTATE classes 08 (connection exception), 53
// (insufficient resources) and 57P (operator intervention: shutdown, crash, cannot connect now).
const OUTAGE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const OUTAGE_MESSAGES = /Connection terminated|Timeout acquiring a connection|Client has encountered a connection error|connection is insecure|Connection ended unexpectedly/i;

/**
 * Whether an error means a database or the event store cannot be reached (an outage), rather than
 * a bug: the answer is then 503 with Retry-After, never 500, and it names no host or statement.
 */
export function isOutage(error: unknown): boolean {
  if (error instanceof EventStoreUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof code === 'string' && (OUTAGE_ERRNOS.has(code) || /^(08|53|57P)/.test(code))) return true;
  if (name === 'KnexTimeoutError') return true;
  if (typeof message === 'string' && OUTAGE_MESSAGES.test(message)) return true;
  const cause = (error as { cause?: unknown }).cause;
  if (cause && cause !== error && isOutage(cause)) return true;
  // AggregateError from a connection attempt to several addresses.
  const errors = (error as { errors?: unknown }).errors;
  return Array.isArray(errors) && errors.some((inner) => isOutage(inner));
}

function body(code: string, message: string, details: Record<string, unknown>): ErrorBody {
  return { error: { code, message, details } };
}
