import { spec } from '@app/core/testing/given-when-then';
import { accountDecider, type CarryBalanceIn, type CloseAccountDay, type PostTransaction } from './account.decider';
import { AccountDayAlreadyClosed } from './accounting.errors';
import type { AccountCredited, AccountDayClosed, AccountDebited, BalanceCarriedIn, PayoutMade } from '../contract/accounting.events';

const ann = 'a0000000-0000-4000-8000-000000000001';
const taskId = '7d1c3a52-4b8e-4a8f-9a57-1f6f3c0b2e10';
const date = '2024-05-01';
const task = { userId: ann, date, taskId, taskTitle: 'fix login', description: 'the beak scanner times out' };

const debit = (transactionId: string, amount: number): PostTransaction => ({
  type: 'PostTransaction',
  data: { ...task, kind: 'debit', transactionId, amount, at: '2024-05-01T09:00:00.000Z' },
});
const credit = (transactionId: string, amount: number): PostTransaction => ({
  type: 'PostTransaction',
  data: { ...task, kind: 'credit', transactionId, amount, at: '2024-05-01T10:00:00.000Z' },
});
const debited = (transactionId: string, amount: number): AccountDebited => {
  const { kind: _, ...data } = debit(transactionId, amount).data;
  return { type: 'AccountDebited', data };
};
const credited = (transactionId: string, amount: number): AccountCredited => {
  const { kind: _, ...data } = credit(transactionId, amount).data;
  return { type: 'AccountCredited', data };
};
const payoutId = 'e0000000-0000-4000-8000-000000000009';
const closedAt = '2024-05-02T00:00:05.000Z';
const close: CloseAccountDay = { type: 'CloseAccountDay', data: { userId: ann, date, payoutId, closedAt } };
const paid = (amount: number): PayoutMade => ({ type: 'PayoutMade', data: { payoutId, userId: ann, date, amount, at: closedAt } });
const closed = (closingBalance: number): AccountDayClosed => ({ type: 'AccountDayClosed', data: { userId: ann, date, closingBalance, closedAt } });
const carry: CarryBalanceIn = { type: 'CarryBalanceIn', data: { userId: ann, date, fromDate: '2024-04-30', amount: -12 } };
const carried: BalanceCarriedIn = { type: 'BalanceCarriedIn', data: carry.data };

describe('account decider', () => {
  describe('PostTransaction', () => {
    it('debits the assignment fee and credits the completion reward', () => {
      spec(accountDecider).given([]).when(debit('t1', 12)).then([debited('t1', 12)]);
      spec(accountDecider).given([debited('t1', 12)]).when(credit('t2', 35)).then([credited('t2', 35)]);
    });

    it('posts a transaction once: the same transaction again decides nothing, even after the close', () => {
      spec(accountDecider).given([debited('t1', 12)]).when(debit('t1', 12)).then([]);
      spec(accountDecider).given([debited('t1', 12), closed(-12)]).when(debit('t1', 12)).then([]);
    });

    it('takes nothing new on a closed day', () => {
      spec(accountDecider).given([debited('t1', 12), closed(-12)]).when(credit('t2', 35)).thenThrows(AccountDayAlreadyClosed);
    });

    it('refuses an amount that is not a positive whole number', () => {
      spec(accountDecider).given([]).when(debit('t1', 0)).thenThrows({ code: 'INVALID_AMOUNT' });
      spec(accountDecider).given([]).when(credit('t1', 2.5)).thenThrows({ code: 'INVALID_AMOUNT' });
    });
  });

  describe('CloseAccountDay', () => {
    it('pays out a positive balance, then closes at zero', () => {
      spec(accountDecider).given([debited('t1', 12), credited('t2', 35)]).when(close).then([paid(23), closed(0)]);
    });

    it('counts the balance carried in from the day before', () => {
      spec(accountDecider).given([carried, credited('t2', 35)]).when(close).then([paid(23), closed(0)]);
      spec(accountDecider).given([carried, credited('t2', 5)]).when(close).then([closed(-7)]);
    });

    it('pays nothing on a negative or zero balance, and closes with it', () => {
      spec(accountDecider).given([debited('t1', 12)]).when(close).then([closed(-12)]);
      spec(accountDecider).given([]).when(close).then([closed(0)]);
    });

    it('closes once: closing again pays nobody twice', () => {
      spec(accountDecider).given([credited('t2', 35), paid(35), closed(0)]).when(close).then([]);
    });
  });

  describe('CarryBalanceIn', () => {
    it('opens the day with the previous day’s negative balance, once', () => {
      spec(accountDecider).given([debited('t1', 12)]).when(carry).then([carried]);
      spec(accountDecider).given([carried]).when(carry).then([]);
    });

    it('never changes a closed day', () => {
      spec(accountDecider).given([closed(0)]).when(carry).thenThrows(AccountDayAlreadyClosed);
    });
  });
});
