import type { DomainEvent } from '@app/core/domain';

/** A task's prices, drawn once when the task is created; in stream `task-pricing-<taskId>`. */
export type TaskPriced = DomainEvent<
  'TaskPriced',
  { taskId: string; title: string; description: string; assignmentFee: number; completionReward: number; pricedAt: string }
>;

export type PricingEvent = TaskPriced;

/**
 * A debit or a credit on a worker's account for one billing day (stream `account-<userId>-<date>`).
 * It names the task, so the audit log needs nothing else. `transactionId` is derived from the task
 * event it answers, which makes a redelivered task event a no-op. `at` is the task event's time.
 */
export type AccountTransactionData = {
  transactionId: string;
  userId: string;
  date: string;
  amount: number;
  taskId: string;
  taskTitle: string;
  description: string;
  at: string;
};

/** The assignee paid the task's assignment fee. */
export type AccountDebited = DomainEvent<'AccountDebited', AccountTransactionData>;

/** The worker who completed a task earned its reward. */
export type AccountCredited = DomainEvent<'AccountCredited', AccountTransactionData>;

/** The (negative) balance the previous billing day closed with, opening this day. */
export type BalanceCarriedIn = DomainEvent<'BalanceCarriedIn', { userId: string; date: string; fromDate: string; amount: number }>;

/** The day's positive balance paid out to the worker, bringing the balance to zero. */
export type PayoutMade = DomainEvent<'PayoutMade', { payoutId: string; userId: string; date: string; amount: number; at: string }>;

/** The billing day is over for this account: nothing more is posted to it. */
export type AccountDayClosed = DomainEvent<'AccountDayClosed', { userId: string; date: string; closingBalance: number; closedAt: string }>;

export type AccountEvent = AccountDebited | AccountCredited | BalanceCarriedIn | PayoutMade | AccountDayClosed;

/**
 * Closing a billing day began; in stream `billing-cycle-<date>`. Recorded first, so a crashed close
 * is resumed. `upTo`: the head of the log when the close began, which the accounts had caught up
 * with; the day still takes the transactions of task events up to it (a redelivery), none after.
 * (Closes recorded before it was added have none: their day takes nothing once closing.)
 * `accounts`: the workers with an account on the day, by id, which the `billing-close` workflow
 * closes one by one. (Closes recorded before it was added have none: their accounts come in a
 * `BillingCycleAccountsListed` when a close resumes them.)
 */
export type BillingCycleCloseStarted = DomainEvent<
  'BillingCycleCloseStarted',
  { date: string; startedAt: string; upTo?: string; accounts?: readonly string[] }
>;

/**
 * More accounts for a day's close to close, by id: those of a close started without its list (recorded
 * before `accounts` was), or opened on the day by a posting that raced its start. Only ids not listed before.
 */
export type BillingCycleAccountsListed = DomainEvent<'BillingCycleAccountsListed', { date: string; accounts: readonly string[]; listedAt: string }>;

/** Every account of the day is closed: `payouts` workers were paid `total` in all. */
export type BillingCycleClosed = DomainEvent<'BillingCycleClosed', { date: string; payouts: number; total: number; closedAt: string }>;

export type BillingCycleEvent = BillingCycleCloseStarted | BillingCycleAccountsListed | BillingCycleClosed;

/** The email telling a worker about a payout; in stream `payout-email-<emailId>`. */
export type PayoutEmailRequested = DomainEvent<
  'PayoutEmailRequested',
  { emailId: string; payoutId: string; userId: string; to: string; subject: string; text: string; amount: number; date: string; requestedAt: string }
>;

export type PayoutEmailSent = DomainEvent<'PayoutEmailSent', { emailId: string; attempt: number; sentAt: string }>;

/** An attempt failed; the mailer tries again later. */
export type PayoutEmailFailed = DomainEvent<'PayoutEmailFailed', { emailId: string; attempt: number; error: string; failedAt: string }>;

/** Without SMTP settings the email goes to the local outbox, read back through the API. */
export type PayoutEmailStoredInOutbox = DomainEvent<'PayoutEmailStoredInOutbox', { emailId: string; storedAt: string }>;

export type PayoutEmailEvent = PayoutEmailRequested | PayoutEmailSent | PayoutEmailFailed | PayoutEmailStoredInOutbox;

