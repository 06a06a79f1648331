import { Command } from '@nestjs/cqrs';
import type { StoppableCommand } from '@app/core';
import type { ClosedBillingCycle } from './close-billing-cycle.command';

/**
 * The scheduler's close of a due day: like CloseBillingCycleCommand, unless there is nothing to do
 * (the day is before the first recorded event, or it is closed with nothing left open up to it);
 * resolves to null then. The workflow runtime sends it with the worker's shutdown signal, which
 * stops it between steps.
 */
export class CloseDueBillingCycleCommand extends Command<ClosedBillingCycle | null> implements StoppableCommand {
  constructor(
    readonly date: string,
    readonly signal?: AbortSignal,
  ) {
    super();
  }

  withSignal(signal: AbortSignal): CloseDueBillingCycleCommand {
    return new CloseDueBillingCycleCommand(this.date, signal);
  }
}
