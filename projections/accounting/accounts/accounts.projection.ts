import { defineProjection, type ProjectionContext, type Recorded } from '@app/core';
import type { AccountEvent } from '@app/accounting/contract';

type AccountsTable = 'account_balances' | 'account_days' | 'account_audit_log' | 'daily_balances';

export type EntryKind = 'debit' | 'credit' | 'payout' | 'carried_in';

/**
 * A row of `account_audit_log`: one debit, credit, payout or carried-in balance, under the billing
 * day it belongs to. `amount` is positive; the kind says which way it goes (a carried-in balance is
 * a debt, so it counts against the day), and a day's entries add up to its balance.
 */
export interface AuditLogRow {
  entry_id: string;
  user_id: string;
  date: string;
  at: Date;
  kind: EntryKind;
  amount: string;
  task_id: string | null;
  task_title: string | null;
  description: string;
  position: string;
}

/** A row of `account_balances`: one worker's balance now (bigint, so a string). */
export interface AccountBalanceRow {
  user_id: string;
  balance: string;
}

/** A row of `daily_balances`: a worker's balance at the end of a day on which it changed. */
export interface DailyBalanceRow {
  user_id: string;
  date: string;
  balance: string;
}

/** A row of `account_days`: one worker's account for one billing day, and whether it is closed. */
export interface AccountDayRow {
  user_id: string;
  date: string;
  closed: boolean;
}

/**
 * Each worker's balance, account days and audit log, from the account events only. Amounts are
 * whole numbers in bigint columns. A negative balance carried into a day is an entry of that day's
 * audit log (`carried_in`, at the time it was carried), so the day's entries add up to its balance;
 * it moves no balance, since the day it came from already counted it. `daily_balances` holds each worker's balance at the end of
 * each day on which it changed (payouts included), so "negative on a date" is one lookup; an entry
 * for an earlier day updates that day and every later one.
 */
export const accountsProjection = defineProjection<AccountEvent, AccountsTable>({
  name: 'accounts',
  // 2: carried-in balances in the audit log.
  version: 2,
  tables: {
    account_balances: (t) => {
      t.uuid('user_id').primary();
      t.bigInteger('balance').notNullable();
    },
    account_days: (t) => {
      t.uuid('user_id').notNullable();
      t.text('date').notNullable();
      t.boolean('closed').notNullable().defaultTo(false);
      t.primary(['user_id', 'date']);
      t.index(['closed', 'date']);
    },
    account_audit_log: (t) => {
      t.uuid('entry_id').primary();
      t.uuid('user_id').notNullable();
      t.text('date').notNullable();
      t.timestamp('at', { useTz: true }).notNullable();
      t.text('kind').notNullable();
      t.bigInteger('amount').notNullable();
      t.uuid('task_id');
      t.text('task_title');
      t.text('description').notNullable();
      t.text('position').notNullable();
      t.index(['user_id', 'date', 'position']);
    },
    daily_balances: (t) => {
      t.uuid('user_id').notNullable();
      t.text('date').notNullable();
      t.bigInteger('balance').notNullable();
      t.primary(['user_id', 'date']);
      t.index(['date']);
    },
  },
  eventTypes: ['AccountDebited', 'AccountCredited', 'PayoutMade', 'BalanceCarriedIn', 'AccountDayClosed'],
  apply: applyBatch,
});

/** Rows per insert: PostgreSQL takes at most 65,535 parameters in one statement. */
const AUDIT_LOG_ROWS_PER_INSERT = 5000;

/**
 * A batch in a fixed number of statements, however many workers and days it touches: the audit
 * log rows in multi-row inserts, the account days in one insert, each worker's balance moved once
 * by the batch's sum, and the daily balances in two (see moveDailyBalances).
 */
async function applyBatch(events: readonly Recorded<AccountEvent>[], { trx, tableName }: ProjectionContext<AccountsTable>): Promise<void> {
  const entries: AuditLogInsert[] = [];
  const days = new Map<string, { user_id: string; date: string; closed: boolean }>();
  const balances = new Map<string, number>();
  const dailyDeltas = new Map<string, { userId: string; date: string; delta: number }>();
  const touchDay = (userId: string, date: string, closed = false) => {
    const key = `${userId} ${date}`;
    const day = days.get(key) ?? { user_id: userId, date, closed: false };
    day.closed ||= closed;
    days.set(key, day);
  };
  const addEntry = (event: Recorded<AccountEvent>, userId: string, date: string, at: string, kind: EntryKind, amount: number, task: EntryTask, delta: number) => {
    touchDay(userId, date);
    entries.push({ entry_id: event.id, user_id: userId, date, at, kind, amount, task_id: task.taskId, task_title: task.taskTitle, description: task.description, position: event.position });
    balances.set(userId, (balances.get(userId) ?? 0) + delta);
    const key = `${userId} ${date}`;
    const daily = dailyDeltas.get(key) ?? { userId, date, delta: 0 };
    daily.delta += delta;
    dailyDeltas.set(key, daily);
  };
  for (const event of events) {
    switch (event.type) {
      case 'AccountDebited': {
        const { data } = event;
        addEntry(event, data.userId, data.date, data.at, 'debit', data.amount, data, -data.amount);
        break;
      }
      case 'AccountCredited': {
        const { data } = event;
        addEntry(event, data.userId, data.date, data.at, 'credit', data.amount, data, data.amount);
        break;
      }
      case 'PayoutMade': {
        const { userId, date, amount, at } = event.data;
        addEntry(event, userId, date, at, 'payout', amount, { taskId: null, taskTitle: null, description: `Payout of the balance of ${date}` }, -amount);
        break;
      }
      case 'BalanceCarriedIn': {
        const { userId, date, fromDate, amount } = event.data;
        touchDay(userId, date);
        entries.push({
          entry_id: event.id,
          user_id: userId,
          date,
          at: event.recordedAt.toISOString(),
          kind: 'carried_in',
          amount: -amount,
          task_id: null,
          task_title: null,
          description: `Balance of ${fromDate} carried in`,
          position: event.position,
        });
        break;
      }
      case 'AccountDayClosed': {
        const { userId, date } = event.data;
        touchDay(userId, date, true);
        break;
      }
    }
  }
  if (days.size > 0) {
    const table = tableName('account_days');
    await trx(table)
      .insert([...days.values()])
      .onConflict(['user_id', 'date'])
      .merge({ closed: trx.raw('?? or excluded.closed', [`${table}.closed`]) });
  }
  for (let from = 0; from < entries.length; from += AUDIT_LOG_ROWS_PER_INSERT) {
    await trx(tableName('account_audit_log')).insert(entries.slice(from, from + AUDIT_LOG_ROWS_PER_INSERT));
  }
  if (balances.size > 0) {
    const table = tableName('account_balances');
    await trx(table)
      .insert([...balances].map(([user_id, balance]) => ({ user_id, balance })))
      .onConflict('user_id')
      .merge({ balance: trx.raw('?? + excluded.balance', [`${table}.balance`]) });
  }
  if (dailyDeltas.size > 0) await moveDailyBalances(trx, tableName('daily_balances'), [...dailyDeltas.values()]);
}

type AuditLogInsert = Omit<AuditLogRow, 'amount' | 'at'> & { amount: number; at: string };

type EntryTask = { taskId: string | null; taskTitle: string | null; description: string };

/**
 * Moves each (worker, day)'s balance, and that worker's every later day, by the day's sum, in two
 * statements. First the days not recorded yet, each starting from the balance of the worker's
 * latest earlier day as it was before the batch; then every recorded day of those workers from
 * the earliest day touched on, by the sum of the batch's deltas of its day and every earlier day.
 * A day's final balance is its starting balance plus the deltas of its day and the days before
 * it, whatever order they came in, so this is the same as applying the events one by one.
 */
async function moveDailyBalances(trx: ProjectionContext['trx'], daily: string, deltas: readonly { userId: string; date: string; delta: number }[]): Promise<void> {
  const users = deltas.map((d) => d.userId);
  const dates = deltas.map((d) => d.date);
  await trx.raw(
    `insert into ?? (user_id, date, balance)
     select d.user_id, d.date, coalesce((select b.balance from ?? b where b.user_id = d.user_id and b.date < d.date order by b.date desc limit 1), 0)
       from unnest(?::uuid[], ?::text[]) as d(user_id, date)
     on conflict (user_id, date) do nothing`,
    [daily, daily, users, dates],
  );
  await trx.raw(
    `with d(user_id, date, delta) as (select * from unnest(?::uuid[], ?::text[], ?::bigint[])),
          moved as (
            select t.user_id, t.date, sum(d.delta) as total
              from ?? t join d on t.user_id = d.user_id and t.date >= d.date
             group by t.user_id, t.date)
     update ?? t set balance = t.balance + moved.total from moved where t.user_id = moved.user_id and t.date = moved.date`,
    [users, dates, deltas.map((d) => d.delta), daily, daily],
  );
}
