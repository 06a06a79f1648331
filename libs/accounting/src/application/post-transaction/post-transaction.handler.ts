import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { addDays } from '@app/core/domain';
import { CommandRunner, currentContext } from '@app/core';
import { accountDecider, accountStream } from '../../domain/account.decider';
import { AccountDayAlreadyClosed } from '../../domain/accounting.errors';
import { type BillingCycleState, billingCycleDecider, billingCycleStream, dayTakes } from '../../domain/billing-cycle.decider';
import { taskPricingDecider, taskPricingStream } from '../../domain/task-pricing.decider';
import { KnownPrices } from '../price-task/known-prices';
import { PostTransactionCommand, type TaskCharge, type Transaction } from './post-transaction.command';

/** Far more days than any close can lag behind; a bound, so a bug cannot loop forever. */
const MAX_DAYS_AHEAD = 366;

/**
 * Posts a debit or a credit to a worker's account for a billing day. When that day is already
 * closed (or closing) for the worker, the transaction goes to the next open day: a closed day is
 * never changed. A closing day still takes what comes from task events recorded before its close
 * began (the close waited until they were all handled, so in practice a redelivery). The transaction id goes with it as its event id, and each day remembers its
 * transactions, so posting the same transaction again (a redelivered task event) is a no-op
 * wherever the first posting landed: the walk from the same day finds it first.
 *
 * A posting costs one append, most of the time: the task's price (drawn in this process on the
 * task's creation, most of the time) and the days already closing are kept in memory, an open day is read once per batch of the process manager, and the account
 * day is decided on the state this process last saw of it (a stale one costs a retry, not a
 * wrong posting).
 */
@Injectable()
@CommandHandler(PostTransactionCommand)
export class PostTransactionHandler implements ICommandHandler<PostTransactionCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly prices: KnownPrices,
  ) {}

  /** Billing days seen closing or closed (one a day, so few), with their state; a close only moves forward, so they never open again. */
  private readonly stillDays = new Map<string, BillingCycleState>();
  /**
   * Per open day, a position up to which the day takes every transaction without another read: it
   * was read open after the log had reached that position, so a close beginning later records an
   * `upTo` at or past it (and waits for this process manager to get there first).
   */
  private readonly openThrough = new Map<string, string>();

  async execute({ transaction: given, billingDay, causedAt }: PostTransactionCommand): Promise<string> {
    const transaction = 'amount' in given ? given : await this.priced(given);
    let date = billingDay;
    for (let days = 0; days < MAX_DAYS_AHEAD; days++, date = addDays(date, 1)) {
      const stream = accountStream(transaction.userId, date);
      if (!(await this.takes(date, causedAt))) {
        // The day takes nothing new, but may hold this very transaction from before its close began.
        const { state } = await this.commands.load(accountDecider, stream);
        if (state.transactionIds.has(transaction.transactionId)) return date;
        continue;
      }
      try {
        // The decider decides nothing for a transaction the day already holds (a redelivery), and
        // refuses a closed day (a close that won the race since): then the walk goes on.
        // From the state this process last saw (it is nearly the only writer of account days): a close
        // that moved the stream since makes the append fail on its revision, and the retry reads.
        await this.commands.run(
          accountDecider,
          stream,
          { type: 'PostTransaction', data: { ...transaction, date } },
          { eventIds: [transaction.transactionId], fromCache: true },
        );
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
    let price = this.prices.get(charge.taskId);
    if (!price) {
      const { state } = await this.commands.load(taskPricingDecider, taskPricingStream(charge.taskId));
      if (state.status !== 'priced') throw new Error(`Task ${charge.taskId} has no price yet: its TaskCreated has not been handled`);
      const { status: _, ...known } = state;
      price = this.prices.remember({ taskId: charge.taskId, ...known });
    }
    const amount = charge.kind === 'debit' ? price.assignmentFee : price.completionReward;
    return { ...charge, amount, taskTitle: price.title, description: price.description };
  }

  /**
   * Whether the day takes the work of the task event at `causedAt`: once its close has begun, only
   * work recorded up to the close's `upTo`, so the close sees a still day. An open day may start
   * closing at any moment, so "open" holds only up to what the log had reached when it was read:
   * the end of the batch being handled (one read per day and batch), or else the event itself.
   */
  private async takes(date: string, causedAt: string | undefined): Promise<boolean> {
    const still = this.stillDays.get(date);
    if (still) return dayTakes(still, causedAt);
    const through = this.openThrough.get(date);
    if (causedAt !== undefined && through !== undefined && causedAt <= through) return true;
    const { state } = await this.commands.load(billingCycleDecider, billingCycleStream(date));
    if (state.status !== 'open') {
      this.stillDays.set(date, state);
      this.openThrough.delete(date);
      return dayTakes(state, causedAt);
    }
    const seen = [currentContext()?.deliveredUpTo, causedAt].filter((position): position is string => position !== undefined).sort().at(-1);
    if (seen !== undefined && (through === undefined || seen > through)) this.openThrough.set(date, seen);
    return true;
  }
}
