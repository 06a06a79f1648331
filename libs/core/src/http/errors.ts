import { HttpException } from '@nestjs/common';
import { EventStoreUnavailableError, InvalidPositionError, UnstorableEventError, WrongExpectedVersionError } from '@app/eventstore';
import { ConcurrencyConflictError, DomainError, defineError, type ErrorKind, NotFoundError } from '../errors/domain-error';
import { FORBIDDEN, SERVICE_UNAVAILABLE, UNAUTHENTICATED } from '../errors/platform-errors';

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
export class ValidationFailedError extends defineError({
  code: 'VALIDATION_FAILED',
  status: 400,
  meaning: 'The input (body, path, query or a header) is not acceptable; details.fields names each field at fault, or details.reason says why',
}) {
  override readonly name = 'ValidationFailedError';

  constructor(message: string, fields: Record<string, string[]>, extra: { reason?: string } = {}) {
    super(message, { fields, ...extra });
  }
}

/** A body that is not `application/json` where an endpoint expects one. */
export class UnsupportedMediaTypeError extends defineError({
  code: 'UNSUPPORTED_MEDIA_TYPE',
  status: 415,
  meaning: 'The body must be sent as Content-Type: application/json (UTF-8)',
}) {
  override readonly name = 'UnsupportedMediaTypeError';

  constructor() {
    super('This endpoint takes a JSON body: send it with Content-Type: application/json');
  }
}

/** Anything thrown that is none of the above: a bug, answered without its details. */
export const INTERNAL_ERROR = { code: 'INTERNAL_ERROR', status: 500, meaning: 'A fault on the server’s side (a bug); never caused by input' } as const;
/** Answered by Node's HTTP parser, before the app sees the request (see `configureHttpApp`). */
export const HEADERS_TOO_LARGE = { code: 'HEADERS_TOO_LARGE', status: 431, meaning: 'The request’s headers (or its URL) are larger than the server reads' } as const;

/**
 * The code of an error that names none itself (Nest's HttpExceptions, the body parser's errors),
 * by its status.
 */
const ERRORS_BY_STATUS: readonly ErrorKind[] = [
  ValidationFailedError,
  UNAUTHENTICATED,
  FORBIDDEN,
  NotFoundError,
  { code: 'METHOD_NOT_ALLOWED', status: 405, meaning: 'The resource does not take this method' },
  { code: 'CONFLICT', status: 409, meaning: 'The request conflicts with the resource’s current state' },
  { code: 'PAYLOAD_TOO_LARGE', status: 413, meaning: 'The body is larger than HTTP_BODY_LIMIT_BYTES' },
  UnsupportedMediaTypeError,
  { code: 'UNPROCESSABLE', status: 422, meaning: 'A business rule refused the request' },
  { code: 'TOO_MANY_REQUESTS', status: 429, meaning: 'Too many requests; try again after Retry-After seconds' },
  SERVICE_UNAVAILABLE,
];
const CODES_BY_STATUS = new Map(ERRORS_BY_STATUS.map((kind) => [kind.status, kind.code]));

/** Every code the HTTP layer answers of its own (the rest of the platform's: `PLATFORM_ERRORS`). */
export const HTTP_ERRORS: readonly ErrorKind[] = [
  ...ERRORS_BY_STATUS,
  ConcurrencyConflictError,
  INTERNAL_ERROR,
  HEADERS_TOO_LARGE,
];

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
    return { status: 400, body: body(ValidationFailedError.code, error.message, { fields: { after: [error.message] } }), headers: {} };
  }
  if (error instanceof UnstorableEventError) {
    return { status: 400, body: body(ValidationFailedError.code, 'The input holds text that cannot be stored', { fields: {}, reason: error.message }), headers: {} };
  }
  if (isOutage(error)) {
    return {
      status: SERVICE_UNAVAILABLE.status,
      body: body(SERVICE_UNAVAILABLE.code, 'A database the platform needs cannot be reached right now; try again shortly', {}),
      headers: { 'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof WrongExpectedVersionError) {
    return { status: ConcurrencyConflictError.status, body: body(ConcurrencyConflictError.code, 'The data changed while the command ran; try again', {}), headers: {} };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return { status, body: body(CODES_BY_STATUS.get(status) ?? `HTTP_${status}`, message, {}), headers: {} };
  }
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Errors from body parsing (malformed JSON, too large) carry their status.
    return { status, body: body(CODES_BY_STATUS.get(status) ?? `HTTP_${status}`, (error as Error).message, {}), headers: {} };
  }
  return { status: INTERNAL_ERROR.status, body: body(INTERNAL_ERROR.code, 'Something went wrong on our side', {}), headers: {} };
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
