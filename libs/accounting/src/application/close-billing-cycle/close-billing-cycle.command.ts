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
 * Close the billing cycle of `date` (today when absent), and every earlier one still open.
 * `signal` stops it between steps (at shutdown); what it did so far is finished by the next close.
 */
export class CloseBillingCycleCommand extends Command<ClosedBillingCycle> {
  constructor(
    readonly date?: string,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
