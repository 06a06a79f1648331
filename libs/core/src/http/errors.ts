import { HttpException } from '@nestjs/common';
import { InvalidPositionError, WrongExpectedVersionError } from '@app/eventstore';
import { DomainError } from '../errors/domain-error';
import { ReadModelLaggingError } from '../projections/consistency';

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/** Bad input: 400 with the fields at fault named in details. */
export class ValidationFailedError extends DomainError {
  override readonly name = 'ValidationFailedError';

  constructor(message: string, fields: Record<string, string[]>) {
    super('VALIDATION_FAILED', message, 400, { fields });
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
    if (error instanceof ReadModelLaggingError) headers['Retry-After'] = String(error.retryAfterSeconds);
    return { status: error.status, body: body(error.code, error.message, error.details), headers };
  }
  if (error instanceof InvalidPositionError) {
    return { status: 400, body: body('VALIDATION_FAILED', error.message, { fields: { after: [error.message] } }), headers: {} };
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

function body(code: string, message: string, details: Record<string, unknown>): ErrorBody {
  return { error: { code, message, details } };
}
