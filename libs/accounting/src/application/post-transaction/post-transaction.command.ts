import { Command } from '@nestjs/cqrs';
import type { AccountTransactionData } from '../../contract/accounting.events';

/** A debit or a credit, with its amount and the task it names. */
export type Transaction = Omit<AccountTransactionData, 'date'> & { kind: 'debit' | 'credit' };

/** A task's assignment fee (debit) or completion reward (credit): the amount and the task's text come from its price. */
export type TaskCharge = Omit<Transaction, 'amount' | 'taskTitle' | 'description'>;

/**
 * Post a transaction to a worker's account for a billing day, or to the next open day when that
 * one is closed (or closing, unless the close began after `causedAt`). A `TaskCharge` is priced
 * from the task's price list, which must exist. Resolves to the billing day the transaction is on.
 */
export class PostTransactionCommand extends Command<string> {
  constructor(
    readonly transaction: Transaction | TaskCharge,
    readonly billingDay: string,
    /** The log position of the event the transaction comes from; without it, a closing day takes nothing. */
    readonly causedAt?: string,
  ) {
    super();
  }
}
