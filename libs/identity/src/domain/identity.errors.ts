import { DomainError } from '@app/core';

export class EmailTaken extends DomainError {
  override readonly name = 'EmailTaken';

  constructor(email: string) {
    super('EMAIL_TAKEN', `A user with email ${email} already exists`, 409, { email });
  }
}

/** One answer for an unknown email and a wrong beak, so a login attempt learns nothing else. */
export class InvalidCredentials extends DomainError {
  override readonly name = 'InvalidCredentials';

  constructor() {
    super('INVALID_CREDENTIALS', 'Email or beak does not match', 401);
  }
}
