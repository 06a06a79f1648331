import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface ClosedBillingCycle {
  date: string;
  /** Workers paid out by the close. */
  payouts: number;
  /** What they were paid in all. */
  total: number;
  position: Position;
}

/**
 * How a close waits for the process managers behind the accounts to handle the work recorded
 * before it: `bounded` (an admin's request) gives up after CONSISTENCY_TIMEOUT_MS with 503
 * ACCOUNTING_CATCHING_UP and changes nothing; `until-caught-up` (the scheduler) waits as long as
 * it takes, logging its progress.
 */
export type ClosePatience = 'bounded' | 'until-caught-up';

/**
 * Close the billing cycle of `date` (today when absent), and every earlier one still open.
 * `signal` stops it between steps (at shutdown); what it did so far is finished by the next close.
 */
export class CloseBillingCycleCommand extends Command<ClosedBillingCycle> {
  constructor(
    readonly date?: string,
    readonly signal?: AbortSignal,
    readonly patience: ClosePatience = 'bounded',
  ) {
    super();
  }
}
