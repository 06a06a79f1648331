import { Query } from '@nestjs/cqrs';
import type { DayBalance } from '@app/projections/ledger/balances/balances.queries';
import { formatCents } from '../../domain/money';

export type { DayBalance };

/** A day's balance with amounts written with two decimals. */
export function formatDayBalance(day: DayBalance): DayBalance {
  return {
    dateRef: day.dateRef,
    totalDebit: formatCents(day.totalDebit),
    totalCredit: formatCents(day.totalCredit),
    accumulatedDebit: formatCents(day.accumulatedDebit),
    accumulatedCredit: formatCents(day.accumulatedCredit),
    balance: formatCents(day.balance),
  };
}

/** An account's balance as of the end of `date` (today when absent). */
export class GetBalanceQuery extends Query<DayBalance> {
  constructor(
    readonly branch: string,
    readonly account: string,
    readonly date: string | undefined,
  ) {
    super();
  }
}

export interface DayBalances {
  branch: string;
  account: string;
  items: DayBalance[];
}

/** One balance per date with postings from `from` to `to`, at most 366 days. */
export class GetBalancesQuery extends Query<DayBalances> {
  constructor(
    readonly branch: string,
    readonly account: string,
    readonly from: string,
    readonly to: string,
  ) {
    super();
  }
}
