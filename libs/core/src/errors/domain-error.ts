/** The statuses a refusal can have: a client's mistake (4xx), or a dependency to wait for (502, 503). */
export type DomainErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503;

/**
 * One kind of error a client can get: its stable code, its HTTP status and what it means, in one
 * line. It is an entry of `GET /errors`; an error class made with `defineError` is one itself.
 */
export interface ErrorKind {
  readonly code: string;
  readonly status: number;
  readonly meaning: string;
}

/**
 * A broken business rule or a conflict, with the stable code clients rely on. The HTTP layer
 * turns it into `{ error: { code, message, details } }` with `status`; a subclass with a numeric
 * `retryAfterSeconds` property (a 429 or a 503) also gets the `Retry-After` header. Subclass it
 * through `defineError`, so that the class names its code and `GET /errors` lists it.
 */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';

  constructor(
    readonly code: string,
    message: string,
    readonly status: DomainErrorStatus = 422,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** An error class that says, before any instance exists, which code and status it answers. */
export type ErrorClass = ErrorKind & (abstract new (...args: never[]) => DomainError);

/**
 * The base class of one kind of domain error: `class EmailTaken extends defineError({ code:
 * 'EMAIL_TAKEN', status: 409, meaning: '…' })`. The class carries the kind as static fields (so a
 * context lists its classes in `defineContext({ errors })` and `GET /errors` reads them); each
 * instance carries the same code and status, with its own message and details.
 */
export function defineError<const Kind extends ErrorKind & { readonly status: DomainErrorStatus }>(kind: Kind) {
  return class extends DomainError {
    static readonly code: Kind['code'] = kind.code;
    static readonly status: Kind['status'] = kind.status;
    static readonly meaning: string = kind.meaning;

    constructor(message: string, details: Record<string, unknown> = {}) {
      super(kind.code, message, kind.status, details);
    }
  };
}

export class NotFoundError extends defineError({ code: 'NOT_FOUND', status: 404, meaning: 'No such resource, or one the caller may not see' }) {
  override readonly name = 'NotFoundError';

  constructor(what: string, id: string) {
    super(`${what} ${id} was not found`, { id });
  }
}

/** The command kept losing the race for its stream: every retry found the stream moved on. */
export class ConcurrencyConflictError extends defineError({
  code: 'CONCURRENCY_CONFLICT',
  status: 409,
  meaning: 'The data changed while the command ran; try again',
}) {
  override readonly name = 'ConcurrencyConflictError';

  constructor(streamName: string, attempts: number) {
    super(`Stream ${streamName} kept changing; gave up after ${attempts} attempts`, { streamName });
  }
}
