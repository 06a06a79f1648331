import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BillingCycleCloser } from './billing-cycle-closer';
import { CloseBillingCycleCommand, type ClosedBillingCycle } from './close-billing-cycle.command';

@Injectable()
@CommandHandler(CloseBillingCycleCommand)
export class CloseBillingCycleHandler implements ICommandHandler<CloseBillingCycleCommand> {
  constructor(private readonly closer: BillingCycleCloser) {}

  execute({ date }: CloseBillingCycleCommand): Promise<ClosedBillingCycle> {
    return this.closer.close(date);
  }
}
