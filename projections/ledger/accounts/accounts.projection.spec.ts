import type { LedgerAccountEvent } from '@app/ledger/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { ledgerAccountsProjection } from './accounts.projection';
import { ledgerAccountsQueries } from './accounts.queries';

const at = '2026-03-01T09:00:00.000Z';
const recorded = recorder<LedgerAccountEvent>((event) => `ledger-account-${event.data.branch}:${event.data.account}`);
const opened = (branch: string, account: string) => recorded('LedgerAccountOpened', { branch, account, holder: `holder ${account}`, openedAt: at });

/** Accounts of two branches, one blocked, one blocked and unblocked, and a block of an account never opened. */
const log = [
  opened('0002', 'B'),
  opened('0001', 'C'),
  opened('0001', 'A'),
  opened('0001', 'B'),
  recorded('LedgerAccountBlocked', { branch: '0001', account: 'C', reason: 'fraud', blockedAt: at }),
  recorded('LedgerAccountBlocked', { branch: '0002', account: 'B', reason: 'review', blockedAt: at }),
  recorded('LedgerAccountUnblocked', { branch: '0002', account: 'B', unblockedAt: at }),
  recorded('LedgerAccountBlocked', { branch: '0009', account: 'Z', reason: 'x', blockedAt: at }),
];

describe('ledger accounts', () => {
  const readModel = readModelUnderTest(ledgerAccountsProjection, { generations: ['served', 2], batches: [log] });

  it('keeps each opened account and whether it is blocked now', async () => {
    expect(await readModel.rows('ledger_accounts', 'served', 'account_key')).toEqual([
      { account_key: '0001:A', branch: '0001', account: 'A', holder: 'holder A', blocked: false, opened_at: new Date(at) },
      { account_key: '0001:B', branch: '0001', account: 'B', holder: 'holder B', blocked: false, opened_at: new Date(at) },
      { account_key: '0001:C', branch: '0001', account: 'C', holder: 'holder C', blocked: true, opened_at: new Date(at) },
      { account_key: '0002:B', branch: '0002', account: 'B', holder: 'holder B', blocked: false, opened_at: new Date(at) },
    ]);
  });

  it('gives the same rows applied one event per batch as in one batch', async () => {
    await readModel.applyEachAlone(log, 2);
    expect(await readModel.rows('ledger_accounts', 2, 'account_key')).toEqual(await readModel.rows('ledger_accounts', 'served', 'account_key'));
  });

  it('pages by branch then account, optionally of one branch', async () => {
    const accounts = readModel.queries(ledgerAccountsQueries);
    const keys = (rows: { account_key: string }[]) => rows.map((row) => row.account_key);
    const first = await accounts.page({ limit: 3 });
    expect(keys(first.rows)).toEqual(['0001:A', '0001:B', '0001:C']);
    expect(first.next).toEqual({ branch: '0001', account: 'C' });
    const second = await accounts.page({ limit: 3, cursor: first.next });
    expect(keys(second.rows)).toEqual(['0002:B']);
    expect(second.next).toBeUndefined();
    expect(keys((await accounts.page({ branch: '0002', limit: 50 })).rows)).toEqual(['0002:B']);
  });
});
