import { Injectable } from '@nestjs/common';
import { AsWorkflow, type Workflow, type WorkflowDecision, type WorkflowEvent } from '@app/core';
import { assertNever } from '@app/core/domain';
import type { AccountDayClosed, BalanceCarriedIn, BillingCycleAccountsListed, BillingCycleCloseStarted, PayoutMade } from '../../contract/accounting.events';
import { CarryBalanceCommand } from './carry-balance.command';
import { CloseAccountDayCommand } from './close-account-day.command';
import { FinishBillingCycleCloseCommand } from './finish-billing-cycle-close.command';

/** What a day's close is told: its start (with the accounts to close), more accounts, and what closing them wrote. */
export type BillingCloseInput = BillingCycleCloseStarted | BillingCycleAccountsListed | PayoutMade | AccountDayClosed | BalanceCarriedIn;

export type BillingCloseCommand = CloseAccountDayCommand | CarryBalanceCommand | FinishBillingCycleCloseCommand;

export type BillingCloseState = {
  /** The accounts the close was given, by id; null until a start or a listing names them. */
  accounts: readonly string[] | null;
  /** Closing balance of each account of the day seen closed, by id. */
  closed: Readonly<Record<string, number>>;
  /** What each account of the day was paid out, by id. */
  paid: Readonly<Record<string, number>>;
  /** The accounts whose negative closing balance is carried into a later day. */
  carried: readonly string[];
};

/**
 * The close of one billing day, one instance per day. Its start lists the day's accounts; the
 * workflow sends `CloseAccountDayCommand` for each, a `CarryBalanceCommand` for each that closed
 * negative, and once every listed account is closed and every negative balance carried,
 * `FinishBillingCycleCloseCommand` with the payouts and their total, counted from the `PayoutMade`
 * it saw. The closer (`CloseBillingCycleHandler`) starts it and waits for its `BillingCycleClosed`.
 *
 * It takes only the events of closes (never postings: it would then sit upstream of the accounts
 * for every `?after=` read), and decides only once the accounts are listed. A close started
 * before its start listed them decides nothing until a later close lists them
 * (`BillingCycleAccountsListed`): the accounts it closed before are known from the events seen,
 * so it closes and carries only what is left. Every command is idempotent, so a redelivered event
 * costs nothing.
 */
@Injectable()
@AsWorkflow<BillingCloseInput>({
  name: 'billing-close',
  eventTypes: ['BillingCycleCloseStarted', 'BillingCycleAccountsListed', 'PayoutMade', 'AccountDayClosed', 'BalanceCarriedIn'],
  keyOf: (event) => (event.type === 'BalanceCarriedIn' ? event.data.fromDate : event.data.date),
  emits: ['PayoutMade', 'AccountDayClosed', 'BalanceCarriedIn', 'BillingCycleClosed'],
})
export class BillingCloseWorkflow implements Workflow<BillingCloseInput, BillingCloseState, BillingCloseCommand> {
  initialState(): BillingCloseState {
    return { accounts: null, closed: {}, paid: {}, carried: [] };
  }

  decide(event: WorkflowEvent<BillingCloseInput>, state: BillingCloseState): WorkflowDecision<BillingCloseCommand> {
    const next = this.evolve(state, event);
    if (next.accounts === null) return {};
    const commands: BillingCloseCommand[] = [];
    switch (event.type) {
      case 'BillingCycleCloseStarted':
      case 'BillingCycleAccountsListed':
        for (const userId of event.data.accounts ?? []) {
          if (!Object.hasOwn(next.closed, userId)) commands.push(new CloseAccountDayCommand(userId, event.data.date));
          else commands.push(...this.carryOf(next, userId, event.data.date));
        }
        break;
      case 'AccountDayClosed':
        if (next.accounts.includes(event.data.userId)) commands.push(...this.carryOf(next, event.data.userId, event.data.date));
        break;
      case 'PayoutMade':
      case 'BalanceCarriedIn':
        break;
      case 'WorkflowStarted':
      case 'WorkflowTimerFired':
        return {};
      default:
        return assertNever(event);
    }
    // Finished once: when the last account is closed and carried.
    if (!done(state) && done(next)) {
      const date = event.type === 'BalanceCarriedIn' ? event.data.fromDate : event.data.date;
      const payouts = next.accounts.filter((userId) => (next.paid[userId] ?? 0) > 0);
      commands.push(new FinishBillingCycleCloseCommand(date, payouts.length, payouts.reduce((sum, userId) => sum + next.paid[userId], 0)));
    }
    return { commands };
  }

  evolve(state: BillingCloseState, event: WorkflowEvent<BillingCloseInput>): BillingCloseState {
    switch (event.type) {
      case 'BillingCycleCloseStarted':
      case 'BillingCycleAccountsListed': {
        const listed = event.data.accounts;
        if (!listed) return state;
        const known = new Set(state.accounts ?? []);
        return { ...state, accounts: [...(state.accounts ?? []), ...listed.filter((userId) => !known.has(userId))] };
      }
      case 'PayoutMade':
        return { ...state, paid: { ...state.paid, [event.data.userId]: event.data.amount } };
      case 'AccountDayClosed':
        return { ...state, closed: { ...state.closed, [event.data.userId]: event.data.closingBalance } };
      case 'BalanceCarriedIn':
        return state.carried.includes(event.data.userId) ? state : { ...state, carried: [...state.carried, event.data.userId] };
      case 'WorkflowStarted':
      case 'WorkflowTimerFired':
        return state;
      default:
        return assertNever(event);
    }
  }

  /** The carry of an account that closed negative, unless it is carried. */
  private carryOf(state: BillingCloseState, userId: string, date: string): CarryBalanceCommand[] {
    const balance = state.closed[userId];
    return balance !== undefined && balance < 0 && !state.carried.includes(userId) ? [new CarryBalanceCommand(userId, date, balance)] : [];
  }
}

/** Every listed account is closed, and carried when it closed negative. */
function done(state: BillingCloseState): boolean {
  if (state.accounts === null) return false;
  return state.accounts.every((userId) => Object.hasOwn(state.closed, userId) && (state.closed[userId] >= 0 || state.carried.includes(userId)));
}
