import { addDays, defineQueries } from '@app/core';
import { type AccountBalanceRow, type AccountDayRow, type AuditLogRow, accountsProjection } from './accounts.projection';

export type { AccountBalanceRow, AccountDayRow, AuditLogRow, EntryKind } from './accounts.projection';

/** Each worker's balance, account days and audit log: accounting's reads, and analytics' (exported by `@app/accounting`). */
export const accountsQueries = defineQueries(accountsProjection, ({ table, knex, sql, name }) => ({
  /**
   * A worker's balance now (null: nothing was ever posted to them), and the billing day new work
   * goes to as of `today`: today, or, once today (or a later day) has closed, the day after the last
   * closed one (days close in order, so that is the open one). One plain statement: `GET
   * /accounting/me` is this query alone.
   */
  balanceNow: async (userId: string, today: string): Promise<{ balance: string | null; openDay: string }> => {
    const [row] = await sql<{ balance: string | null; last_closed: string | null }>(
      `select (select balance from ${name('account_balances')} where user_id = $1) as balance, ` +
        `(select max(date) from ${name('account_days')} where closed) as last_closed`,
      [userId],
    );
    return { balance: row.balance, openDay: openDayAfter(row.last_closed, today) };
  },

  /** Every balance there is. */
  balances: (): Promise<AccountBalanceRow[]> => table<AccountBalanceRow>('account_balances').select('user_id', 'balance'),

  /**
   * One worker's entries of one billing day: first the balance carried in (it opens the day), then
   * the debits, credits and payout in the order they happened (`at`: when the task was assigned or
   * completed, when the payout was made), then in log order. Not the order of posting alone:
   * task-accounts posts different tasks' charges concurrently.
   */
  auditLog: (userId: string, date: string): Promise<AuditLogRow[]> =>
    table<AuditLogRow>('account_audit_log')
      .where({ user_id: userId, date })
      .orderByRaw(`kind = 'carried_in' desc, at, position`),

  /** The earliest day before `date` on which an account is still open. */
  openDayBefore: async (date: string): Promise<string | undefined> =>
    (await table<AccountDayRow>('account_days').where({ closed: false }).where('date', '<', date).orderBy('date').first())?.date,

  /** Whether an account is still open on `date` or before it. */
  anyOpenUpTo: async (date: string): Promise<boolean> =>
    (await table<AccountDayRow>('account_days').where({ closed: false }).where('date', '<=', date).first()) !== undefined,

  /** The earliest day any account was posted to (undefined while there is none). */
  earliestDay: async (): Promise<string | undefined> =>
    (await table<AccountDayRow>('account_days').min<{ date: string | null }>('date as date').first())?.date ?? undefined,

  /** The workers with an account on `date`, closed ones too, by id. */
  userIdsOn: (date: string): Promise<string[]> => table<AccountDayRow>('account_days').where({ date }).orderBy('user_id').pluck('user_id'),

  /** How many workers' balance on `date` is below zero: each one's balance of the last day up to `date` on which it changed. */
  negativeBalancesOn: async (date: string): Promise<number> => {
    const latest = table('daily_balances')
      .distinctOn('user_id')
      .where('date', '<=', date)
      .orderBy([{ column: 'user_id' }, { column: 'date', order: 'desc' }])
      .select('user_id', 'balance')
      .as('latest');
    const [{ count }] = await knex.from(latest).where('balance', '<', 0).count<{ count: string }[]>({ count: '*' });
    return Number(count);
  },
}));

/** Today, or the day after the last closed one when that is later. */
function openDayAfter(lastClosed: string | null, today: string): string {
  const dayAfterClosed = lastClosed ? addDays(lastClosed, 1) : undefined;
  return dayAfterClosed && dayAfterClosed > today ? dayAfterClosed : today;
}
