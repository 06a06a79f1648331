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

/** Close the billing cycle of `date` (today when absent), and every earlier one still open. */
export class CloseBillingCycleCommand extends Command<ClosedBillingCycle> {
  constructor(readonly date?: string) {
    super();
  }
}
