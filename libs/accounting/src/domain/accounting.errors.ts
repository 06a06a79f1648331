import { DomainError } from '@app/core/domain';

/** Raised by an account day that is closed: the poster then posts to the next open day. */
export class AccountDayAlreadyClosed extends DomainError {
  override readonly name = 'AccountDayAlreadyClosed';

  constructor(userId: string, date: string) {
    super('ACCOUNT_DAY_CLOSED', `The account of ${userId} for ${date} is closed`, 409, { userId, date });
  }
}

export class BillingDateInFuture extends DomainError {
  override readonly name = 'BillingDateInFuture';

  constructor(date: string, today: string) {
    super('BILLING_DATE_IN_FUTURE', `${date} has not begun yet (today is ${today}): a billing cycle closes once its day has begun`, 422, { date, today });
  }
}

export class BillingDateBeforeLog extends DomainError {
  override readonly name = 'BillingDateBeforeLog';

  constructor(date: string, firstDay: string) {
    super('BILLING_DATE_BEFORE_LOG', `${date} is before the first recorded event (${firstDay}): there is nothing to close`, 422, { date, firstDay });
  }
}

/**
 * An admin's close found the process managers behind the task accounts not yet through the work
 * recorded before it: closing now would put that work on the next day. Nothing was changed.
 */
export class AccountingCatchingUp extends DomainError {
  override readonly name = 'AccountingCatchingUp';

  constructor(
    date: string,
    readonly retryAfterSeconds: number,
    waitingFor: readonly string[],
  ) {
    super(
      'ACCOUNTING_CATCHING_UP',
      `Accounting is still posting work recorded before this close (${waitingFor.join(', ') || 'accounts'}); ${date} was not closed, try again shortly`,
      503,
      { date, waitingFor },
    );
  }
}

export class BillingCycleNotStarted extends DomainError {
  override readonly name = 'BillingCycleNotStarted';

  constructor(date: string) {
    super('BILLING_CYCLE_NOT_STARTED', `The billing cycle of ${date} has not started closing`, 409, { date });
  }
}

export class InvalidPrice extends DomainError {
  override readonly name = 'InvalidPrice';

  constructor(what: string, value: number, min: number, max: number) {
    super('INVALID_PRICE', `${what} must be a whole number from ${min} to ${max}, not ${value}`, 422, { value, min, max });
  }
}
