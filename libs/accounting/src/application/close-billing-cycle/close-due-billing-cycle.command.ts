import { Command } from '@nestjs/cqrs';
import type { ClosedBillingCycle } from './close-billing-cycle.command';

/**
 * The scheduler's close of a due day: like CloseBillingCycleCommand, unless there is nothing to do
 * (the day is before the first recorded event, or it is closed with nothing left open up to it);
 * resolves to null then.
 */
export class CloseDueBillingCycleCommand extends Command<ClosedBillingCycle | null> {
  constructor(
    readonly date: string,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
