import type { LedgerPostingAccepted } from '@app/ledger/contract';
import { BalancesFold, compareAccount, type DayValues } from './reconcile';

const posting = (dateRef: string, debitCredit: 'D' | 'C', amountCents: number) =>
  ({ branch: 'B1', account: 'A1', dateRef, debitCredit, amountCents }) as LedgerPostingAccepted['data'];
const day = (totalDebit: string, totalCredit: string, accumulatedDebit: string, accumulatedCredit: string): DayValues => ({
  totalDebit,
  totalCredit,
  accumulatedDebit,
  accumulatedCredit,
});

describe('reconcile', () => {
  it('folds postings in any order into day totals, accumulated in date order, exactly beyond 2^53', () => {
    const fold = new BalancesFold();
    fold.add(posting('2026-03-10', 'C', 999_999_999_999_999));
    fold.add(posting('2026-03-08', 'D', 5));
    fold.add(posting('2026-03-10', 'C', 999_999_999_999_999));
    fold.add(posting('2026-03-08', 'C', 7));
    expect([...fold.daysOf('B1', 'A1')]).toEqual([
      ['2026-03-08', day('5', '7', '5', '7')],
      ['2026-03-10', day('0', '1999999999999998', '5', '2000000000000005')],
    ]);
    expect([...fold.daysOf('B1', 'OTHER')]).toEqual([]);
  });

  it('compares both ways: a changed value, a day missing from the read model, a day only the read model has', () => {
    const expected = new Map([
      ['2026-03-08', day('5', '7', '5', '7')],
      ['2026-03-10', day('0', '3', '5', '10')],
    ]);
    const actual = new Map([
      ['2026-03-08', day('5', '7', '5', '8')],
      ['2026-03-09', day('1', '0', '6', '8')],
    ]);
    const { days, differences } = compareAccount('B1', 'A1', expected, actual);
    expect(days).toBe(3);
    expect(differences).toEqual([
      { branch: 'B1', account: 'A1', dateRef: '2026-03-08', field: 'accumulatedCredit', expected: '7', actual: '8' },
      { branch: 'B1', account: 'A1', dateRef: '2026-03-09', field: 'totalDebit', expected: null, actual: '1' },
      { branch: 'B1', account: 'A1', dateRef: '2026-03-09', field: 'totalCredit', expected: null, actual: '0' },
      { branch: 'B1', account: 'A1', dateRef: '2026-03-09', field: 'accumulatedDebit', expected: null, actual: '6' },
      { branch: 'B1', account: 'A1', dateRef: '2026-03-09', field: 'accumulatedCredit', expected: null, actual: '8' },
      { branch: 'B1', account: 'A1', dateRef: '2026-03-10', field: 'totalDebit', expected: '0', actual: null },
      { branch: 'B1', account: 'A1', dateRef: '2026-03-10', field: 'totalCredit', expected: '3', actual: null },
      { branch: 'B1', account: 'A1', dateRef: '2026-03-10', field: 'accumulatedDebit', expected: '5', actual: null },
      { branch: 'B1', account: 'A1', dateRef: '2026-03-10', field: 'accumulatedCredit', expected: '10', actual: null },
    ]);
    expect(compareAccount('B1', 'A1', expected, new Map(expected)).differences).toEqual([]);
  });
});
