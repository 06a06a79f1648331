import { assertNever, type Decider, NotFoundError } from '@app/core/domain';
import type { LedgerAccountEvent } from '../contract/ledger.events';
import { LedgerAccountExists } from './ledger.errors';

type AccountKey = { branch: string; account: string };

export type OpenAccount = { type: 'OpenAccount'; data: AccountKey & { holder: string; openedAt: string } };
export type BlockAccount = { type: 'BlockAccount'; data: AccountKey & { reason: string; blockedAt: string } };
export type UnblockAccount = { type: 'UnblockAccount'; data: AccountKey & { unblockedAt: string } };

export type LedgerAccountCommand = OpenAccount | BlockAccount | UnblockAccount;

export type LedgerAccountState = { status: 'none' } | ({ status: 'open'; holder: string; blocked: boolean } & AccountKey);

/**
 * One account, in stream `ledger-account-<branch>:<account>`. It holds no balance (the balances
 * are a projection's), so postings never write here. Blocking a blocked account, or unblocking an
 * open one, records nothing: the answer is the same state.
 */
export const ledgerAccountDecider: Decider<LedgerAccountCommand, LedgerAccountEvent, LedgerAccountState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    const { branch, account } = command.data;
    switch (command.type) {
      case 'OpenAccount':
        if (state.status === 'open') throw new LedgerAccountExists(branch, account);
        return [{ type: 'LedgerAccountOpened', data: { branch, account, holder: command.data.holder, openedAt: command.data.openedAt } }];
      case 'BlockAccount':
        if (state.status === 'none') throw new NotFoundError('Account', `${branch}/${account}`);
        if (state.blocked) return [];
        return [{ type: 'LedgerAccountBlocked', data: { branch, account, reason: command.data.reason, blockedAt: command.data.blockedAt } }];
      case 'UnblockAccount':
        if (state.status === 'none') throw new NotFoundError('Account', `${branch}/${account}`);
        if (!state.blocked) return [];
        return [{ type: 'LedgerAccountUnblocked', data: { branch, account, unblockedAt: command.data.unblockedAt } }];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'LedgerAccountOpened': {
        const { branch, account, holder } = event.data;
        return { status: 'open', branch, account, holder, blocked: false };
      }
      case 'LedgerAccountBlocked':
        return state.status === 'open' ? { ...state, blocked: true } : state;
      case 'LedgerAccountUnblocked':
        return state.status === 'open' ? { ...state, blocked: false } : state;
      default:
        return assertNever(event);
    }
  },
};

export function ledgerAccountStream(branch: string, account: string): string {
  return `ledger-account-${branch}:${account}`;
}
