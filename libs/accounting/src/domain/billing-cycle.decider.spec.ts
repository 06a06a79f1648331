import { spec } from '@app/core/testing/given-when-then';
import type { BillingCycleClosed, BillingCycleCloseStarted } from '../contract/accounting.events';
import { BillingCycleNotStarted } from './accounting.errors';
import { billingCycleDecider, type FinishBillingCycleClose, type StartBillingCycleClose } from './billing-cycle.decider';

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

  it('cannot finish a close that never started', () => {
    spec(billingCycleDecider).given([]).when(finish).thenThrows(BillingCycleNotStarted);
  });
});
