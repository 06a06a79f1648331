import { DomainError } from '@app/core/domain';

export class EmailTaken extends DomainError {
  override readonly name = 'EmailTaken';

  constructor(email: string) {
    super('EMAIL_TAKEN', `A user with email ${email} already exists`, 409, { email });
  }
}

/** One answer for an unknown email, a wrong beak and a deactivated user, so a login attempt learns nothing else. */
export class InvalidCredentials extends DomainError {
  override readonly name = 'InvalidCredentials';

  constructor() {
    super('INVALID_CREDENTIALS', 'Email or beak does not match', 401);
  }
}

/** The last active admin may not lose the role or be deactivated: nobody could administer the platform. */
export class LastAdmin extends DomainError {
  override readonly name = 'LastAdmin';

  constructor(userId: string) {
    super('LAST_ADMIN', 'This is the last active admin: promote or reactivate another admin first', 409, { userId });
  }
}

/** Unknown, malformed, rotated, logged out, expired, or its user deactivated or re-beaked since. */
export class InvalidRefreshToken extends DomainError {
  override readonly name = 'InvalidRefreshToken';

  constructor() {
    super('INVALID_REFRESH_TOKEN', 'The refresh token is not valid (any more); log in again', 401);
  }
}

/** An answer that says when to try again (the Retry-After header). */
export interface RetryLater {
  readonly retryAfterSeconds: number;
}

/** Too many failed logins for one email, or from one client address, in the current window. */
export class TooManyAttempts extends DomainError implements RetryLater {
  override readonly name = 'TooManyAttempts';

  constructor(
    readonly retryAfterSeconds: number,
    limitedBy: 'email' | 'client',
  ) {
    super('TOO_MANY_ATTEMPTS', `Too many failed logins for this ${limitedBy}; try again in ${retryAfterSeconds} s`, 429, {
      limitedBy,
      retryAfterSeconds,
    });
  }
}

/** Every beak-hash slot is busy and the queue for them is full: the server refuses rather than piles up. */
export class BeakHashingBusy extends DomainError implements RetryLater {
  override readonly name = 'BeakHashingBusy';

  constructor(readonly retryAfterSeconds: number) {
    super('SERVICE_UNAVAILABLE', 'Too many logins are being checked right now; try again shortly', 503, { retryAfterSeconds });
  }
}
