import { assertNever, type Decider } from '@app/core/domain';
import type { BillingCycleAccountsListed, BillingCycleClosed, BillingCycleCloseStarted, BillingCycleEvent } from '../contract/accounting.events';
import { BillingCycleNotStarted } from './accounting.errors';

export type StartBillingCycleClose = { type: 'StartBillingCycleClose'; data: BillingCycleCloseStarted['data'] };
/** More accounts for a started close to close; only those not listed yet are recorded. */
export type ListBillingCycleAccounts = { type: 'ListBillingCycleAccounts'; data: BillingCycleAccountsListed['data'] };
export type FinishBillingCycleClose = { type: 'FinishBillingCycleClose'; data: BillingCycleClosed['data'] };
export type BillingCycleCommand = StartBillingCycleClose | ListBillingCycleAccounts | FinishBillingCycleClose;

/** `accounts`: those its close was given to close (absent for a close started before the start listed them, until listed). */
export type BillingCycleState =
  | { status: 'open' }
  | { status: 'closing'; upTo?: string; accounts?: readonly string[] }
  | { status: 'closed'; upTo?: string; accounts?: readonly string[]; payouts: number; total: number };

/**
 * The close of one billing day, in stream `billing-cycle-<date>`: started (with the accounts to
 * close) before any account is touched and closed after the last, so a close that stopped
 * half-way is seen and finished. Every step is idempotent: closing a closed day decides nothing,
 * and listing an account listed before records nothing.
 */
export const billingCycleDecider: Decider<BillingCycleCommand, BillingCycleEvent, BillingCycleState> = {
  initialState: () => ({ status: 'open' }),

  decide(command, state) {
    switch (command.type) {
      case 'StartBillingCycleClose':
        return state.status === 'open' ? [{ type: 'BillingCycleCloseStarted', data: command.data }] : [];
      case 'ListBillingCycleAccounts': {
        if (state.status === 'open') throw new BillingCycleNotStarted(command.data.date);
        const known = new Set(state.accounts ?? []);
        const accounts = command.data.accounts.filter((userId) => !known.has(userId));
        // A close started without its list records one, empty or not: from then on its close knows every account.
        if (accounts.length === 0 && state.accounts !== undefined) return [];
        return [{ type: 'BillingCycleAccountsListed', data: { ...command.data, accounts } }];
      }
      case 'FinishBillingCycleClose':
        if (state.status === 'open') throw new BillingCycleNotStarted(command.data.date);
        return state.status === 'closing' ? [{ type: 'BillingCycleClosed', data: command.data }] : [];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'BillingCycleCloseStarted':
        return state.status === 'open'
          ? { status: 'closing', ...(event.data.upTo ? { upTo: event.data.upTo } : {}), ...(event.data.accounts ? { accounts: event.data.accounts } : {}) }
          : state;
      case 'BillingCycleAccountsListed':
        return state.status === 'open' ? state : { ...state, accounts: [...(state.accounts ?? []), ...event.data.accounts] };
      case 'BillingCycleClosed':
        return { ...(state.status === 'open' ? {} : state), status: 'closed', payouts: event.data.payouts, total: event.data.total };
      default:
        return assertNever(event);
    }
  },
};

/**
 * Whether the day still takes a transaction caused by the event at `position` (a log position):
 * an open day takes all; a day whose close began takes only what was recorded up to the head the
 * close caught up with (`upTo`), all of which it waited for. Everything later goes to the next day.
 */
export function dayTakes(state: BillingCycleState, position: string | undefined): boolean {
  if (state.status === 'open') return true;
  return state.upTo !== undefined && position !== undefined && position <= state.upTo;
}

export function billingCycleStream(date: string): string {
  return `billing-cycle-${date}`;
}
