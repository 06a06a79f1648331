import { Injectable } from '@nestjs/common';
import { addDays, CommandRunner } from '@app/core';
import { accountDecider, accountStream } from '../../domain/account.decider';
import { AccountDayAlreadyClosed } from '../../domain/accounting.errors';
import type { AccountTransactionData } from '../../domain/accounting.events';
import { billingCycleDecider, billingCycleStream } from '../../domain/billing-cycle.decider';

export type Transaction = Omit<AccountTransactionData, 'date'> & { kind: 'debit' | 'credit' };

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
export class AccountPoster {
  constructor(private readonly commands: CommandRunner) {}

  /** Resolves to the billing day the transaction is on. */
  async post(transaction: Transaction, billingDay: string): Promise<string> {
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

  /** Once a day's close has begun, new transactions go to the next day, so the close sees a still day. */
  private async closing(date: string): Promise<boolean> {
    const { state } = await this.commands.load(billingCycleDecider, billingCycleStream(date));
    return state.status !== 'open';
  }
}
