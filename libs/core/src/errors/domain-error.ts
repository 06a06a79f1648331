/**
 * A broken business rule or a conflict, with the stable code clients rely on. The HTTP layer
 * turns it into `{ error: { code, message, details } }` with `status`; a subclass with a numeric
 * `retryAfterSeconds` property (a 429 or a 503) also gets the `Retry-After` header.
 */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';

  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503 = 422,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';

  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} was not found`, 404, { id });
  }
}

/** The command kept losing the race for its stream: every retry found the stream moved on. */
export class ConcurrencyConflictError extends DomainError {
  override readonly name = 'ConcurrencyConflictError';

  constructor(streamName: string, attempts: number) {
    super('CONCURRENCY_CONFLICT', `Stream ${streamName} kept changing; gave up after ${attempts} attempts`, 409, { streamName });
  }
}
