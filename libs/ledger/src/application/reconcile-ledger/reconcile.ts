import type { LedgerPostingAccepted, LedgerReconciliationDifference } from '@app/ledger/contract';

/** A day's four values in cents, as the balances read model keeps them (decimal strings of whole numbers). */
export interface DayValues {
  totalDebit: string;
  totalCredit: string;
  accumulatedDebit: string;
  accumulatedCredit: string;
}

const FIELDS = ['totalDebit', 'totalCredit', 'accumulatedDebit', 'accumulatedCredit'] as const;

type DayTotals = { debit: bigint; credit: bigint };

/**
 * The balances as the accepted postings alone make them, folded with exact BigInt sums: per
 * account, per date, the day's totals; the accumulated values follow in date order when asked.
 */
export class BalancesFold {
  private readonly accounts = new Map<string, { branch: string; account: string; days: Map<string, DayTotals> }>();

  add({ branch, account, dateRef, debitCredit, amountCents }: LedgerPostingAccepted['data']): void {
    const key = accountKey(branch, account);
    let entry = this.accounts.get(key);
    if (!entry) this.accounts.set(key, (entry = { branch, account, days: new Map() }));
    const day = entry.days.get(dateRef) ?? { debit: 0n, credit: 0n };
    if (debitCredit === 'D') day.debit += BigInt(amountCents);
    else day.credit += BigInt(amountCents);
    entry.days.set(dateRef, day);
  }

  keys(): string[] {
    return [...this.accounts.keys()];
  }

  /** Every date of the account with postings, oldest first, with its totals and accumulated values. */
  daysOf(branch: string, account: string): Map<string, DayValues> {
    const days = this.accounts.get(accountKey(branch, account))?.days ?? new Map<string, DayTotals>();
    const result = new Map<string, DayValues>();
    let debit = 0n;
    let credit = 0n;
    for (const date of [...days.keys()].sort()) {
      const day = days.get(date)!;
      debit += day.debit;
      credit += day.credit;
      result.set(date, {
        totalDebit: day.debit.toString(),
        totalCredit: day.credit.toString(),
        accumulatedDebit: debit.toString(),
        accumulatedCredit: credit.toString(),
      });
    }
    return result;
  }
}

/** One key per account: branch and account hold no quote, so the JSON pair is unambiguous. */
export function accountKey(branch: string, account: string): string {
  return JSON.stringify([branch, account]);
}

export function parseAccountKey(key: string): { branch: string; account: string } {
  const [branch, account] = JSON.parse(key) as [string, string];
  return { branch, account };
}

/**
 * Every day of one account compared both ways: a day the postings make and the read model lacks
 * (actual null), a day the read model has and no posting makes (expected null), and each of the
 * four values of a day both have. In date order, then field order.
 */
export function compareAccount(
  branch: string,
  account: string,
  expected: ReadonlyMap<string, DayValues>,
  actual: ReadonlyMap<string, DayValues>,
): { days: number; differences: LedgerReconciliationDifference[] } {
  const dates = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  const differences: LedgerReconciliationDifference[] = [];
  for (const dateRef of dates) {
    const want = expected.get(dateRef);
    const have = actual.get(dateRef);
    for (const field of FIELDS) {
      const wanted = want ? BigInt(want[field]).toString() : null;
      const had = have ? BigInt(have[field]).toString() : null;
      if (wanted !== had) differences.push({ branch, account, dateRef, field, expected: wanted, actual: had });
    }
  }
  return { days: dates.length, differences };
}
