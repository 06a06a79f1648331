import { workflowOptionsOf } from '@app/core';
import { recorded, workflowSpec } from '@app/core/workflows/workflow-spec';
import type { AccountDayClosed, BalanceCarriedIn, BillingCycleAccountsListed, BillingCycleCloseStarted, PayoutMade } from '../../contract/accounting.events';
import { BillingCloseWorkflow } from './billing-close.workflow';
import { CarryBalanceCommand } from './carry-balance.command';
import { CloseAccountDayCommand } from './close-account-day.command';
import { FinishBillingCycleCloseCommand } from './finish-billing-cycle-close.command';

const day = '2024-05-01';
const at = '2024-05-02T00:00:01.000Z';
const close = () => workflowSpec(new BillingCloseWorkflow());

const started = (accounts?: string[]): BillingCycleCloseStarted => ({
  type: 'BillingCycleCloseStarted',
  data: { date: day, startedAt: at, upTo: '0000000000000010-0000000000000000', ...(accounts ? { accounts } : {}) },
});
const listed = (accounts: string[]): BillingCycleAccountsListed => ({ type: 'BillingCycleAccountsListed', data: { date: day, accounts, listedAt: at } });
const paid = (userId: string, amount: number): PayoutMade => ({ type: 'PayoutMade', data: { payoutId: `payout-${userId}`, userId, date: day, amount, at } });
const closed = (userId: string, closingBalance: number): AccountDayClosed => ({ type: 'AccountDayClosed', data: { userId, date: day, closingBalance, closedAt: at } });
const carried = (userId: string, amount: number, into = '2024-05-02'): BalanceCarriedIn => ({ type: 'BalanceCarriedIn', data: { userId, date: into, fromDate: day, amount } });

describe('billing close workflow', () => {
  it('on a start closes every account it lists, in order', () => {
    close()
      .given([])
      .when(started(['ann', 'bob']))
      .then({ commands: [new CloseAccountDayCommand('ann', day), new CloseAccountDayCommand('bob', day)] });
  });

  it('a day with no account closes at once, paying nobody', () => {
    close().given([]).when(started([])).then({ commands: [new FinishBillingCycleCloseCommand(day, 0, 0)] });
  });

  it('carries a negative closing balance of a listed account, and nothing for one closed at zero or paid out', () => {
    close().given([started(['ann', 'bob'])]).when(closed('bob', -5)).then({ commands: [new CarryBalanceCommand('bob', day, -5)] });
    close().given([started(['ann', 'bob'])]).when(closed('bob', 0)).thenNothing();
    close().given([started(['ann', 'bob']), paid('ann', 33)]).when(closed('ann', 0)).thenNothing();
  });

  it('finishes once every listed account is closed and every negative one carried, with the payouts it saw', () => {
    const history = [started(['ann', 'bob', 'cid']), paid('ann', 33), closed('ann', 0), closed('bob', -5), paid('cid', 7), closed('cid', 0)];
    close().given(history).when(carried('bob', -5)).then({ commands: [new FinishBillingCycleCloseCommand(day, 2, 40)] });
    // The last account closing finishes it too, when the debt was carried before.
    close()
      .given([started(['ann', 'bob']), closed('bob', -5), carried('bob', -5), paid('ann', 33)])
      .when(closed('ann', 0))
      .then({ commands: [new FinishBillingCycleCloseCommand(day, 1, 33)] });
  });

  it('finishes once: an event after it, or one delivered again, sends nothing more', () => {
    const finished = [started(['bob']), closed('bob', -5), carried('bob', -5)];
    close().given(finished).when(carried('bob', -5)).thenNothing();
    close().given(finished).when(closed('bob', -5)).thenNothing();
  });

  it('leaves an account it was not given alone (one opened by a posting that raced the start)', () => {
    close().given([started(['ann'])]).when(closed('eve', -3)).thenNothing();
    close().given([started(['ann'])]).when(closed('eve', -3)).thenState({ accounts: ['ann'], closed: { eve: -3 }, paid: {}, carried: [] });
  });

  it('a close started without its list of accounts decides nothing until a later close lists them', () => {
    close().given([]).when(started()).thenNothing();
    close().given([started()]).when(closed('wim', -10)).thenNothing();
  });

  it('resumes a close that died half-way once listed: closes only what is left, carries what was not, counts the payouts made before', () => {
    // Wes was paid and closed, Wim closed but his debt not carried, Wyn untouched.
    const halfWay = [started(), paid('wes', 30), closed('wes', 0), closed('wim', -10)];
    close()
      .given(halfWay)
      .when(listed(['wes', 'wim', 'wyn']))
      .then({ commands: [new CarryBalanceCommand('wim', day, -10), new CloseAccountDayCommand('wyn', day)] });
    const resumed = [...halfWay, listed(['wes', 'wim', 'wyn']), carried('wim', -10), paid('wyn', 25)];
    close().given(resumed).when(closed('wyn', 0)).then({ commands: [new FinishBillingCycleCloseCommand(day, 2, 55)] });
  });

  it('closes the accounts listed after the start too, and finishes once they are', () => {
    close().given([started(['ann'])]).when(listed(['eve'])).then({ commands: [new CloseAccountDayCommand('eve', day)] });
    close()
      .given([started(['ann']), paid('ann', 33), closed('ann', 0), listed(['eve'])])
      .when(closed('eve', 4))
      .then({ commands: [new FinishBillingCycleCloseCommand(day, 1, 33)] });
  });

  it('is one instance per day: a carry belongs to the day it came from', () => {
    const { keyOf } = workflowOptionsOf(BillingCloseWorkflow);
    expect(keyOf?.(recorded(carried('bob', -5, '2024-05-04')))).toBe(day);
    expect(keyOf?.(recorded(closed('bob', -5)))).toBe(day);
    expect(keyOf?.(recorded(started(['bob'])))).toBe(day);
  });
});
