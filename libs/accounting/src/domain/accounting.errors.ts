import { defineError } from '@app/core/domain';

/** Raised by an account day that is closed: the poster then posts to the next open day. */
export class AccountDayAlreadyClosed extends defineError({ code: 'ACCOUNT_DAY_CLOSED', status: 409, meaning: 'The worker’s account for that day is closed' }) {
  override readonly name = 'AccountDayAlreadyClosed';

  constructor(userId: string, date: string) {
    super(`The account of ${userId} for ${date} is closed`, { userId, date });
  }
}

export class BillingDateInFuture extends defineError({
  code: 'BILLING_DATE_IN_FUTURE',
  status: 422,
  meaning: 'The day has not begun yet: a billing cycle closes once its day has begun',
}) {
  override readonly name = 'BillingDateInFuture';

  constructor(date: string, today: string) {
    super(`${date} has not begun yet (today is ${today}): a billing cycle closes once its day has begun`, { date, today });
  }
}

export class BillingDateBeforeLog extends defineError({
  code: 'BILLING_DATE_BEFORE_LOG',
  status: 422,
  meaning: 'The day is before the first recorded event: there is nothing to close',
}) {
  override readonly name = 'BillingDateBeforeLog';

  constructor(date: string, firstDay: string) {
    super(`${date} is before the first recorded event (${firstDay}): there is nothing to close`, { date, firstDay });
  }
}

/**
 * An admin's close found the process managers behind the task accounts not yet through the work
 * recorded before it: closing now would put that work on the next day. Nothing was changed.
 */
export class AccountingCatchingUp extends defineError({
  code: 'ACCOUNTING_CATCHING_UP',
  status: 503,
  meaning: 'Accounting is still posting work recorded before the close; nothing was closed, try again after Retry-After seconds',
}) {
  override readonly name = 'AccountingCatchingUp';

  constructor(
    date: string,
    readonly retryAfterSeconds: number,
    waitingFor: readonly string[],
  ) {
    super(`Accounting is still posting work recorded before this close (${waitingFor.join(', ') || 'accounts'}); ${date} was not closed, try again shortly`, {
      date,
      waitingFor,
    });
  }
}

export class BillingCycleNotStarted extends defineError({
  code: 'BILLING_CYCLE_NOT_STARTED',
  status: 409,
  meaning: 'The billing cycle of that day has not started closing',
}) {
  override readonly name = 'BillingCycleNotStarted';

  constructor(date: string) {
    super(`The billing cycle of ${date} has not started closing`, { date });
  }
}

export class InvalidPrice extends defineError({ code: 'INVALID_PRICE', status: 422, meaning: 'A task’s price is not a whole number within its bounds' }) {
  override readonly name = 'InvalidPrice';

  constructor(what: string, value: number, min: number, max: number) {
    super(`${what} must be a whole number from ${min} to ${max}, not ${value}`, { value, min, max });
  }
}

/** An amount posted to an account is a positive whole number: anything else is a bug upstream, refused. */
export class InvalidAmount extends defineError({ code: 'INVALID_AMOUNT', status: 422, meaning: 'An amount posted to an account is not a positive whole number' }) {
  override readonly name = 'InvalidAmount';

  constructor(amount: number) {
    super(`An amount is a positive whole number, not ${amount}`);
  }
}
