import { defineQueries } from '@app/core';
import { balancesProjection, type DailyBalanceRow } from './balances.projection';

export type { DailyBalanceRow } from './balances.projection';

/**
 * An account's balance at the end of one date, in cents as decimal strings of whole numbers (bigint
 * columns): the day's totals, the accumulated values of every posting up to and including it, and
 * `balance` = accumulated credit - accumulated debit.
 */
export interface DayBalance {
  dateRef: string;
  totalDebit: string;
  totalCredit: string;
  accumulatedDebit: string;
  accumulatedCredit: string;
  balance: string;
}

function dayBalance(dateRef: string, row: DailyBalanceRow | undefined, sameDay: boolean): DayBalance {
  const accumulatedDebit = row?.accumulated_debit ?? '0';
  const accumulatedCredit = row?.accumulated_credit ?? '0';
  return {
    dateRef,
    totalDebit: sameDay && row ? row.total_debit : '0',
    totalCredit: sameDay && row ? row.total_credit : '0',
    accumulatedDebit,
    accumulatedCredit,
    balance: (BigInt(accumulatedCredit) - BigInt(accumulatedDebit)).toString(),
  };
}

/** Each account's daily balances. */
export const balancesQueries = defineQueries(balancesProjection, ({ table }) => ({
  /**
   * The balance as of the end of `date`: that day's row, or, for a day without postings, the
   * accumulated values of the latest earlier day and totals of zero; before the account's first
   * posting (or for an account without any), every value zero.
   */
  balanceOn: async (branch: string, account: string, date: string): Promise<DayBalance> => {
    const row: DailyBalanceRow | undefined = await table<DailyBalanceRow>('ledger_daily_balances')
      .where({ branch, account })
      .where('date', '<=', date)
      .orderBy('date', 'desc')
      .first();
    return dayBalance(date, row, row?.date === date);
  },

  /** One balance per date with postings from `from` to `to` (both included), oldest first. */
  balancesBetween: async (branch: string, account: string, from: string, to: string): Promise<DayBalance[]> => {
    const rows: DailyBalanceRow[] = await table<DailyBalanceRow>('ledger_daily_balances')
      .where({ branch, account })
      .whereBetween('date', [from, to])
      .orderBy('date');
    return rows.map((row) => dayBalance(row.date, row, true));
  },
}));
