import { Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner, ReadModels } from '@app/core';
import { accountsQueries } from '@app/projections/accounting/accounts/accounts.queries';
import { BillingDateBeforeLog } from '../../domain/accounting.errors';
import { billingCycleDecider, billingCycleStream } from '../../domain/billing-cycle.decider';
import { CloseBillingCycleCommand, type ClosedBillingCycle } from './close-billing-cycle.command';
import { CloseDueBillingCycleCommand } from './close-due-billing-cycle.command';

/**
 * The scheduler's close: nothing when the day is settled (closed, with nothing left open up to it)
 * or before the log; otherwise the close itself, through the bus. Writes nothing of its own.
 */
@Injectable()
@CommandHandler(CloseDueBillingCycleCommand)
export class CloseDueBillingCycleHandler implements ICommandHandler<CloseDueBillingCycleCommand> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly commands: CommandRunner,
    private readonly readModels: ReadModels,
  ) {}

  async execute({ date, signal }: CloseDueBillingCycleCommand): Promise<ClosedBillingCycle | null> {
    if (await this.isSettled(date)) return null;
    try {
      // The scheduler's close waits for accounting however long it takes: it is never refused for lag.
      return await this.commandBus.execute(new CloseBillingCycleCommand(date, signal, 'until-caught-up'));
    } catch (error) {
      if (error instanceof BillingDateBeforeLog) return null;
      throw error;
    }
  }

  /** The billing cycle's stream says closed, and the accounts read model has no open day up to it. */
  private async isSettled(date: string): Promise<boolean> {
    const { state } = await this.commands.load(billingCycleDecider, billingCycleStream(date));
    if (state.status !== 'closed') return false;
    return !(await this.readModels.use(accountsQueries).anyOpenUpTo(date));
  }
}
