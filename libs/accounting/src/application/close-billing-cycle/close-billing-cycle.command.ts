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
 * How a close waits, first for the process managers behind the accounts to handle the work
 * recorded before it, then for the `billing-close` workflow to close the day it started:
 * `bounded` (an admin's request) gives up on the first after CONSISTENCY_TIMEOUT_MS with 503
 * ACCOUNTING_CATCHING_UP, having changed nothing, and on the second after a minute with 503
 * READ_MODEL_LAGGING (the workflow finishes the close; asked again, it answers);
 * `until-caught-up` (the scheduler) waits as long as either takes, logging its progress.
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
