import { assertNever, type Decider, GrowOnlySet } from '@app/core/domain';
import type { AccountEvent, AccountTransactionData, BalanceCarriedIn } from '../contract/accounting.events';
import { AccountDayAlreadyClosed, InvalidAmount } from './accounting.errors';

/** A debit (assignment fee) or a credit (completion reward) for one task event. */
export type PostTransaction = { type: 'PostTransaction'; data: AccountTransactionData & { kind: 'debit' | 'credit' } };

/** The previous day closed negative: its balance opens this day. */
export type CarryBalanceIn = { type: 'CarryBalanceIn'; data: BalanceCarriedIn['data'] };

/** The end of the billing day for this account: pay out a positive balance, then close. */
export type CloseAccountDay = { type: 'CloseAccountDay'; data: { userId: string; date: string; payoutId: string; closedAt: string } };

export type AccountCommand = PostTransaction | CarryBalanceIn | CloseAccountDay;

export type AccountState = {
  balance: number;
  /** Transactions posted to this day; a day holds one day's work, so this stays small. */
  /** The transactions the day holds (grows only; O(1) to extend, as a fold does). */
  transactionIds: GrowOnlySet<string>;
  /** The days whose closing balance was carried into this one (normally just the day before). */
  carriedFrom: ReadonlySet<string>;
  /** What the day paid out when it closed (0 for none). */
  paidOut: number;
  closed: boolean;
};

/**
 * One worker's account for one billing day, in stream `account-<userId>-<date>` ("closing the
 * books"): a command reads one day's events, however long the worker has been here. A day opens
 * with the negative balance carried in from the previous day, takes that day's debits and credits,
 * and closes by paying out a positive balance.
 */
export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: () => ({ balance: 0, transactionIds: GrowOnlySet.empty(), carriedFrom: new Set(), paidOut: 0, closed: false }),

  decide(command, state) {
    switch (command.type) {
      case 'PostTransaction': {
        const { kind, ...data } = command.data;
        if (state.transactionIds.has(data.transactionId)) return [];
        if (state.closed) throw new AccountDayAlreadyClosed(data.userId, data.date);
        checkAmount(data.amount);
        return [{ type: kind === 'debit' ? 'AccountDebited' : 'AccountCredited', data }];
      }
      case 'CarryBalanceIn': {
        if (state.carriedFrom.has(command.data.fromDate)) return [];
        if (state.closed) throw new AccountDayAlreadyClosed(command.data.userId, command.data.date);
        return [{ type: 'BalanceCarriedIn', data: command.data }];
      }
      case 'CloseAccountDay': {
        if (state.closed) return [];
        const { payoutId, userId, date, closedAt } = command.data;
        const payout = state.balance > 0 ? state.balance : 0;
        return [
          ...(payout > 0 ? [{ type: 'PayoutMade' as const, data: { payoutId, userId, date, amount: payout, at: closedAt } }] : []),
          { type: 'AccountDayClosed', data: { userId, date, closingBalance: state.balance - payout, closedAt } },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'AccountDebited':
        return { ...state, balance: state.balance - event.data.amount, transactionIds: state.transactionIds.add(event.data.transactionId) };
      case 'AccountCredited':
        return { ...state, balance: state.balance + event.data.amount, transactionIds: state.transactionIds.add(event.data.transactionId) };
      case 'BalanceCarriedIn':
        return { ...state, balance: state.balance + event.data.amount, carriedFrom: new Set(state.carriedFrom).add(event.data.fromDate) };
      case 'PayoutMade':
        return { ...state, balance: state.balance - event.data.amount, paidOut: event.data.amount };
      case 'AccountDayClosed':
        return { ...state, closed: true };
      default:
        return assertNever(event);
    }
  },
};

function checkAmount(amount: number): void {
  if (!Number.isInteger(amount) || amount <= 0) throw new InvalidAmount(amount);
}

export function accountStream(userId: string, date: string): string {
  return `account-${userId}-${date}`;
}
