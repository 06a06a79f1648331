import { spec } from '@app/core/testing/given-when-then';
import type { BillingCycleAccountsListed, BillingCycleClosed, BillingCycleCloseStarted } from '../contract/accounting.events';
import { BillingCycleNotStarted } from './accounting.errors';
import { billingCycleDecider, dayTakes, type FinishBillingCycleClose, type ListBillingCycleAccounts, type StartBillingCycleClose } from './billing-cycle.decider';

const date = '2024-05-01';
const start: StartBillingCycleClose = { type: 'StartBillingCycleClose', data: { date, startedAt: '2024-05-02T00:00:01.000Z' } };
const started: BillingCycleCloseStarted = { type: 'BillingCycleCloseStarted', data: start.data };
const finish: FinishBillingCycleClose = { type: 'FinishBillingCycleClose', data: { date, payouts: 2, total: 55, closedAt: '2024-05-02T00:00:02.000Z' } };
const closed: BillingCycleClosed = { type: 'BillingCycleClosed', data: finish.data };

describe('billing cycle decider', () => {
  it('starts closing a day once, however many closes begin', () => {
    spec(billingCycleDecider).given([]).when(start).then([started]);
    spec(billingCycleDecider).given([started]).when(start).then([]);
    spec(billingCycleDecider).given([started, closed]).when(start).then([]);
  });

  it('closes a started day once: closing it again changes nothing', () => {
    spec(billingCycleDecider).given([started]).when(finish).then([closed]);
    spec(billingCycleDecider).given([started, closed]).when({ ...finish, data: { ...finish.data, payouts: 0, total: 0 } }).then([]);
  });

  it('lists the accounts a started close was not given, once each; a close started without its list records one even empty', () => {
    const list = (accounts: string[]): ListBillingCycleAccounts => ({ type: 'ListBillingCycleAccounts', data: { date, accounts, listedAt: '2024-05-02T00:00:03.000Z' } });
    const listed = (accounts: string[]): BillingCycleAccountsListed => ({ type: 'BillingCycleAccountsListed', data: { ...list(accounts).data } });
    const startedWith: BillingCycleCloseStarted = { type: 'BillingCycleCloseStarted', data: { ...start.data, accounts: ['ann'] } };
    spec(billingCycleDecider).given([startedWith]).when(list(['ann', 'eve'])).then([listed(['eve'])]);
    spec(billingCycleDecider).given([startedWith]).when(list(['ann'])).then([]);
    spec(billingCycleDecider).given([startedWith, listed(['eve'])]).when(list(['ann', 'eve'])).then([]);
    spec(billingCycleDecider).given([startedWith, closed]).when(list(['ann', 'eve'])).then([listed(['eve'])]);
    spec(billingCycleDecider).given([started]).when(list(['ann', 'bob'])).then([listed(['ann', 'bob'])]);
    spec(billingCycleDecider).given([started]).when(list([])).then([listed([])]);
    spec(billingCycleDecider).given([started, listed([])]).when(list([])).then([]);
    spec(billingCycleDecider).given([]).when(list(['ann'])).thenThrows(BillingCycleNotStarted);
  });

  it('cannot finish a close that never started', () => {
    spec(billingCycleDecider).given([]).when(finish).thenThrows(BillingCycleNotStarted);
  });

  it('takes work recorded up to the head its close began at, nothing after, and everything while open', () => {
    const fold = (events: (BillingCycleCloseStarted | BillingCycleClosed)[]) => events.reduce(billingCycleDecider.evolve, billingCycleDecider.initialState());
    const upTo = '0000000000000010-0000000000000000';
    const startedAt = { ...started, data: { ...started.data, upTo } };
    expect(dayTakes(fold([]), '0000000000000099-0000000000000000')).toBe(true);
    for (const state of [fold([startedAt]), fold([startedAt, closed])]) {
      expect(dayTakes(state, '0000000000000009-0000000000000000')).toBe(true);
      expect(dayTakes(state, upTo)).toBe(true);
      expect(dayTakes(state, '0000000000000011-0000000000000000')).toBe(false);
      expect(dayTakes(state, undefined)).toBe(false);
    }
    // A close recorded before `upTo` existed: its day takes nothing once closing.
    expect(dayTakes(fold([started]), '0000000000000001-0000000000000000')).toBe(false);
  });
});
