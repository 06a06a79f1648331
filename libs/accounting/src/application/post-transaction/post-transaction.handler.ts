import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { addDays } from '@app/core/domain';
import { CommandRunner } from '@app/core';
import { accountDecider, accountStream } from '../../domain/account.decider';
import { AccountDayAlreadyClosed } from '../../domain/accounting.errors';
import { billingCycleDecider, billingCycleStream } from '../../domain/billing-cycle.decider';
import { taskPricingDecider, taskPricingStream } from '../../domain/task-pricing.decider';
import { PostTransactionCommand, type TaskCharge, type Transaction } from './post-transaction.command';

/** Far more days than any close can lag behind; a bound, so a bug cannot loop forever. */
const MAX_DAYS_AHEAD = 366;

/**
 * Posts a debit or a credit to a worker's account for a billing day. When that day is already
 * closed (or closing) for the worker, the transaction goes to the next open day: a closed day is
 * never changed. The transaction id goes with it as its event id, and each day remembers its
 * transactions, so posting the same transaction again (a redelivered task event) is a no-op
 * wherever the first posting landed: the walk from the same day finds it first.
 */
@Injectable()
@CommandHandler(PostTransactionCommand)
export class PostTransactionHandler implements ICommandHandler<PostTransactionCommand> {
  constructor(private readonly commands: CommandRunner) {}

  async execute({ transaction: given, billingDay }: PostTransactionCommand): Promise<string> {
    const transaction = 'amount' in given ? given : await this.priced(given);
    let date = billingDay;
    for (let days = 0; days < MAX_DAYS_AHEAD; days++, date = addDays(date, 1)) {
      const stream = accountStream(transaction.userId, date);
      const { state } = await this.commands.load(accountDecider, stream);
      if (state.transactionIds.has(transaction.transactionId)) return date;
      if (state.closed || (await this.closing(date))) continue;
      try {
        await this.commands.run(accountDecider, stream, { type: 'PostTransaction', data: { ...transaction, date } }, { eventIds: [transaction.transactionId] });
        return date;
      } catch (error) {
        if (!(error instanceof AccountDayAlreadyClosed)) throw error;
      }
    }
    throw new Error(`No open billing day for ${transaction.userId} within ${MAX_DAYS_AHEAD} days of ${billingDay}`);
  }

  /**
   * The charge with its task's fee or reward, title and description, from the task's price list.
   * The task-accounts process manager has the task priced on its TaskCreated, which comes first in
   * the log; a price missing here is a bug (or a price list still being written), so this throws
   * and the process manager retries.
   */
  private async priced(charge: TaskCharge): Promise<Transaction> {
    const { state } = await this.commands.load(taskPricingDecider, taskPricingStream(charge.taskId));
    if (state.status !== 'priced') throw new Error(`Task ${charge.taskId} has no price yet: its TaskCreated has not been handled`);
    const amount = charge.kind === 'debit' ? state.assignmentFee : state.completionReward;
    return { ...charge, amount, taskTitle: state.title, description: state.description };
  }

  /** Once a day's close has begun, new transactions go to the next day, so the close sees a still day. */
  private async closing(date: string): Promise<boolean> {
    const { state } = await this.commands.load(billingCycleDecider, billingCycleStream(date));
    return state.status !== 'open';
  }
}
