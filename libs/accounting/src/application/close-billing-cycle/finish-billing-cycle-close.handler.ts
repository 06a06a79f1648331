import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { billingCycleDecider, billingCycleStream } from '../../domain/billing-cycle.decider';
import { FinishBillingCycleCloseCommand } from './finish-billing-cycle-close.command';

/** Records `BillingCycleClosed`, which the close waiting for the day answers from; a closed day decides nothing. */
@Injectable()
@CommandHandler(FinishBillingCycleCloseCommand)
export class FinishBillingCycleCloseHandler implements ICommandHandler<FinishBillingCycleCloseCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ date, payouts, total }: FinishBillingCycleCloseCommand): Promise<void> {
    await this.commands.run(billingCycleDecider, billingCycleStream(date), {
      type: 'FinishBillingCycleClose',
      data: { date, payouts, total, closedAt: this.clock.now().toISOString() },
    });
  }
}
