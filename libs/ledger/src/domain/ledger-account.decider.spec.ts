import { NotFoundError } from '@app/core/domain';
import { spec } from '@app/core/testing/given-when-then';
import type { LedgerAccountBlocked, LedgerAccountOpened, LedgerAccountUnblocked } from '../contract/ledger.events';
import { type BlockAccount, ledgerAccountDecider, ledgerAccountStream, type OpenAccount, type UnblockAccount } from './ledger-account.decider';
import { LedgerAccountExists } from './ledger.errors';

/** What a thrown domain error must match: its code, and its status and details where given. */
const domainError = (expected: { code: string; status?: number; details?: Record<string, unknown> }) => expected;

const key = { branch: '0001', account: 'ACC-42' };
const open: OpenAccount = { type: 'OpenAccount', data: { ...key, holder: 'Ann Example', openedAt: '2026-11-02T09:00:00.000Z' } };
const opened: LedgerAccountOpened = { type: 'LedgerAccountOpened', data: open.data };
const block: BlockAccount = { type: 'BlockAccount', data: { ...key, reason: 'court order', blockedAt: '2026-11-02T10:00:00.000Z' } };
const blocked: LedgerAccountBlocked = { type: 'LedgerAccountBlocked', data: block.data };
const unblock: UnblockAccount = { type: 'UnblockAccount', data: { ...key, unblockedAt: '2026-11-02T11:00:00.000Z' } };
const unblocked: LedgerAccountUnblocked = { type: 'LedgerAccountUnblocked', data: unblock.data };

describe('ledger account decider', () => {
  it('opens an account once', () => {
    spec(ledgerAccountDecider).given([]).when(open).then([opened]);
    spec(ledgerAccountDecider).given([opened]).when(open).thenThrows(LedgerAccountExists);
    spec(ledgerAccountDecider).given([opened, blocked]).when(open).thenThrows(domainError({ code: 'LEDGER_ACCOUNT_EXISTS', status: 409, details: key }));
  });

  it('blocks and unblocks an open account', () => {
    spec(ledgerAccountDecider).given([opened]).when(block).then([blocked]);
    spec(ledgerAccountDecider).given([opened, blocked]).when(unblock).then([unblocked]);
    spec(ledgerAccountDecider).given([opened, blocked, unblocked]).when(block).then([blocked]);
  });

  it('records nothing for blocking a blocked account or unblocking an unblocked one', () => {
    spec(ledgerAccountDecider).given([opened, blocked]).when(block).then([]);
    spec(ledgerAccountDecider).given([opened]).when(unblock).then([]);
    spec(ledgerAccountDecider).given([opened, blocked, unblocked]).when(unblock).then([]);
  });

  it('answers NOT_FOUND for blocking or unblocking an account never opened', () => {
    spec(ledgerAccountDecider).given([]).when(block).thenThrows(NotFoundError);
    spec(ledgerAccountDecider).given([]).when(unblock).thenThrows(domainError({ code: 'NOT_FOUND', status: 404 }));
  });

  it('names each account’s stream unambiguously: branch and account never hold ":"', () => {
    expect(ledgerAccountStream('0001', 'ACC-42')).toBe('ledger-account-0001:ACC-42');
    expect(ledgerAccountStream('a-b', 'c')).not.toBe(ledgerAccountStream('a', 'b-c'));
  });
});
