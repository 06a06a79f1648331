import { defineError, SERVICE_UNAVAILABLE } from '@app/core/domain';

export class EmailTaken extends defineError({ code: 'EMAIL_TAKEN', status: 409, meaning: 'A user with this email already exists' }) {
  override readonly name = 'EmailTaken';

  constructor(email: string) {
    super(`A user with email ${email} already exists`, { email });
  }
}

/** One answer for an unknown email, a wrong beak and a deactivated user, so a login attempt learns nothing else. */
export class InvalidCredentials extends defineError({ code: 'INVALID_CREDENTIALS', status: 401, meaning: 'The email and beak do not match an active user' }) {
  override readonly name = 'InvalidCredentials';

  constructor() {
    super('Email or beak does not match');
  }
}

/** The last active admin may not lose the role or be deactivated: nobody could administer the platform. */
export class LastAdmin extends defineError({
  code: 'LAST_ADMIN',
  status: 409,
  meaning: 'The last active admin may not lose the role or be deactivated; promote or reactivate another admin first',
}) {
  override readonly name = 'LastAdmin';

  constructor(userId: string) {
    super('This is the last active admin: promote or reactivate another admin first', { userId });
  }
}

/** Unknown, malformed, rotated, logged out, expired, or its user deactivated or re-beaked since. */
export class InvalidRefreshToken extends defineError({
  code: 'INVALID_REFRESH_TOKEN',
  status: 401,
  meaning: 'The refresh token is unknown, used, logged out or expired, or its user changed since; log in again',
}) {
  override readonly name = 'InvalidRefreshToken';

  constructor() {
    super('The refresh token is not valid (any more); log in again');
  }
}

/** An answer that says when to try again (the Retry-After header). */
export interface RetryLater {
  readonly retryAfterSeconds: number;
}

/** Too many failed logins for one email, or from one client address, in the current window. */
export class TooManyAttempts
  extends defineError({
    code: 'TOO_MANY_ATTEMPTS',
    status: 429,
    meaning: 'Too many failed logins for this email or from this client; try again after Retry-After seconds',
  })
  implements RetryLater
{
  override readonly name = 'TooManyAttempts';

  constructor(
    readonly retryAfterSeconds: number,
    limitedBy: 'email' | 'client',
  ) {
    super(`Too many failed logins for this ${limitedBy}; try again in ${retryAfterSeconds} s`, { limitedBy, retryAfterSeconds });
  }
}

/** Every beak-hash slot is busy and the queue for them is full: the server refuses rather than piles up. */
export class BeakHashingBusy extends defineError(SERVICE_UNAVAILABLE) implements RetryLater {
  override readonly name = 'BeakHashingBusy';

  constructor(readonly retryAfterSeconds: number) {
    super('Too many logins are being checked right now; try again shortly', { retryAfterSeconds });
  }
}
